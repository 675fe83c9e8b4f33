import { Command } from "commander";
import { UsageError } from "../../engine/index.js";
import { todayFrom, type CliIO } from "../io.js";

/**
 * `policyops lsp --stdio`: the language server (dist/lsp.js, bundled next to the CLI and
 * loaded only when asked for, so other commands start no slower).
 */
export function lspCommand(io: CliIO): Command {
  return new Command("lsp")
    .description("Run the PolicyOps language server for editors (LSP over stdin/stdout).")
    .option("--stdio", "talk LSP over stdin and stdout (the only transport)")
    .addHelpText("after", "\nThe VS Code extension starts it; other editors can run `policyops lsp --stdio` in the policy repository.\nToday is the client's `today` (initializationOptions or the `policyops` settings), else POLICYOPS_TODAY, else the local date.")
    .action(async (flags: { stdio?: boolean }) => {
      if (!flags.stdio) throw new UsageError("the language server needs `--stdio`; run `policyops lsp --stdio`");
      const bundle = new URL("./lsp.js", import.meta.url).href;
      const m = (await import(bundle)) as { startStdio: (defaults: { today?: string }) => Promise<void> };
      // POLICYOPS_TODAY is the default day; the editor's `policyops.today` setting wins.
      await m.startStdio({ today: todayFrom(io, undefined) });
    });
}
