/**
 * Entry of the language server bundle (dist/lsp.js): `node dist/lsp.js --stdio` (or
 * `--node-ipc`, `--socket=N`, as vscode-languageclient starts a server module), or
 * `policyops lsp --stdio`. Over stdio nothing else may write to stdout.
 */
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection } from "vscode-languageserver/node.js";
import { startServer } from "./server.js";

export { startServer };

function run(connection: Connection, defaults: { today?: string }): Promise<void> {
  // Anything printed by mistake would corrupt the protocol: send it to stderr.
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  startServer(connection, defaults);
  return new Promise((resolveClosed) => connection.onExit(() => resolveClosed()));
}

/** Starts the server on this process's stdin/stdout; resolves when the client closes the connection. */
export function startStdio(defaults: { today?: string } = {}): Promise<void> {
  return run(createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)), defaults);
}

/** True when this bundle is the program node was asked to run (not imported by the CLI). */
function isMain(): boolean {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

// Run directly: the transport comes from the command line (--stdio, --node-ipc, --socket=N).
if (isMain()) void run(createConnection(ProposedFeatures.all), {});
