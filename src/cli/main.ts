import { Command, CommanderError } from "commander";
import { UsageError } from "../engine/index.js";
import { validateCommand } from "./commands/validate.js";
import { licencesCommand } from "./commands/licences.js";
import { contractsCommand } from "./commands/contracts.js";
import { budgetCommand } from "./commands/budget.js";
import { calendarCommand } from "./commands/calendar.js";
import { actionsCommand } from "./commands/actions.js";
import { reviewsCommand } from "./commands/reviews.js";
import { complianceCommand } from "./commands/compliance.js";
import { initCommand } from "./commands/init.js";
import { newCommand } from "./commands/new.js";
import { importCatalogCommand } from "./commands/import-catalog.js";
import { listCommand } from "./commands/list.js";
import { lspCommand } from "./commands/lsp.js";
import { siteCommand, verifySiteCommand } from "./commands/site.js";
import { processIO, type CliIO } from "./io.js";
import { VERSION } from "./version.js";

/**
 * Runs the CLI and returns its exit code (SPEC §3: 0 clean, 1 findings, 2 usage or
 * config error). Never calls process.exit and reads the environment and working
 * directory only through `io`, so tests can run it in-process.
 */
export async function main(argv: string[], ioArg: CliIO = processIO()): Promise<number> {
  // Every command reads env and cwd from here, never from the process.
  const io: CliIO = { ...ioArg, env: ioArg.env ?? process.env, cwd: ioArg.cwd ?? process.cwd() };
  let exitCode = 0;
  const setExit = (code: number) => (exitCode = code);
  const program = new Command("policyops")
    .description("Governance documents as code: validate policies, SOPs, licences and compliance evidence.")
    .version(VERSION)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program.addCommand(validateCommand(io, setExit));
  program.addCommand(licencesCommand(io));
  program.addCommand(contractsCommand(io));
  program.addCommand(actionsCommand(io));
  program.addCommand(budgetCommand(io));
  program.addCommand(calendarCommand(io));
  program.addCommand(reviewsCommand(io));
  program.addCommand(complianceCommand(io));
  program.addCommand(initCommand(io));
  program.addCommand(listCommand(io));
  program.addCommand(newCommand(io));
  program.addCommand(importCatalogCommand(io));
  program.addCommand(lspCommand(io));
  program.addCommand(siteCommand(io));
  program.addCommand(verifySiteCommand(io, setExit));
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });

  // The program itself takes no option with a value, so the first bare word is the command.
  // An unknown one is a usage error even with --help (commander would print the main help
  // and exit 0, as if `policyops frob --help` had worked).
  const command = argv.find((a) => !a.startsWith("-"));
  if (command !== undefined && command !== "help" && !program.commands.some((c) => c.name() === command || c.aliases().includes(command))) {
    io.err(`policyops: unknown command \`${command}\`; run \`policyops --help\` to see the commands.\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; everything else is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      io.err(`policyops: ${e.message}\n`);
      return 2;
    }
    io.err(`policyops: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this bug.\n`);
    return 3;
  }
}
