import { Command, CommanderError } from "commander";
import { UsageError } from "../engine/index.js";
import type { CliIO } from "./io.js";
import { processIO } from "./io.js";
import { VERSION } from "./version.js";

/**
 * Every command, in the order help lists them, each loaded only when asked for: a run of one
 * command (a warm `validate --cache` above all) compiles and starts only that command's code,
 * not the site builder, the calendar or the report formats (the build splits them into chunks).
 */
const COMMANDS: readonly { names: readonly string[]; load: (io: CliIO, setExit: (code: number) => void) => Promise<Command[]> }[] = [
  { names: ["validate"], load: async (io, setExit) => [(await import("./commands/validate.js")).validateCommand(io, setExit)] },
  { names: ["licences"], load: async (io) => [(await import("./commands/licences.js")).licencesCommand(io)] },
  { names: ["contracts"], load: async (io) => [(await import("./commands/contracts.js")).contractsCommand(io)] },
  { names: ["actions"], load: async (io) => [(await import("./commands/actions.js")).actionsCommand(io)] },
  { names: ["budget"], load: async (io) => [(await import("./commands/budget.js")).budgetCommand(io)] },
  { names: ["calendar"], load: async (io) => [(await import("./commands/calendar.js")).calendarCommand(io)] },
  { names: ["reviews"], load: async (io) => [(await import("./commands/reviews.js")).reviewsCommand(io)] },
  { names: ["compliance"], load: async (io) => [(await import("./commands/compliance.js")).complianceCommand(io)] },
  { names: ["init"], load: async (io) => [(await import("./commands/init.js")).initCommand(io)] },
  { names: ["list"], load: async (io) => [(await import("./commands/list.js")).listCommand(io)] },
  { names: ["new"], load: async (io) => [(await import("./commands/new.js")).newCommand(io)] },
  { names: ["import-catalog"], load: async (io) => [(await import("./commands/import-catalog.js")).importCatalogCommand(io)] },
  { names: ["daemon"], load: async (io, setExit) => [(await import("./commands/daemon.js")).daemonCommand(io, main, setExit)] },
  { names: ["lsp"], load: async (io) => [(await import("./commands/lsp.js")).lspCommand(io)] },
  {
    names: ["site", "verify-site"],
    load: async (io, setExit) => {
      const m = await import("./commands/site.js");
      return [m.siteCommand(io), m.verifySiteCommand(io, setExit)];
    },
  },
];

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
  // The program itself takes no option with a value, so the first bare word is the command.
  // An unknown one is a usage error even with --help (commander would print the main help
  // and exit 0, as if `policyops frob --help` had worked). A known one loads alone; no
  // command, or `help`, loads them all so the help lists every one.
  const command = argv.find((a) => !a.startsWith("-"));
  const named = command === undefined || command === "help" ? undefined : COMMANDS.find((c) => c.names.includes(command));
  if (command !== undefined && command !== "help" && !named) {
    io.err(`policyops: unknown command \`${command}\`; run \`policyops --help\` to see the commands.\n`);
    return 2;
  }
  for (const c of named ? [named] : COMMANDS) for (const cmd of await c.load(io, setExit)) program.addCommand(cmd);
  // Every command, a command's own commands too (`daemon start`): commander would otherwise exit the process.
  const wire = (cmds: readonly Command[]): void => {
    for (const cmd of cmds) {
      cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
      wire(cmd.commands);
    }
  };
  wire(program.commands);

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
