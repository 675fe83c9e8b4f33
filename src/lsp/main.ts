/**
 * Entry of the language server bundle (dist/lsp.js): `node dist/lsp.js --stdio`, or
 * `policyops lsp --stdio`. Speaks LSP over stdin/stdout; nothing else may write to stdout.
 */
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from "vscode-languageserver/node.js";
import { startServer } from "./server.js";

export { startServer };

/** Starts the server on this process's stdin/stdout; resolves when the client closes the connection. */
export function startStdio(defaults: { today?: string } = {}): Promise<void> {
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  // Anything printed by mistake would corrupt the protocol: send it to stderr.
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  startServer(connection, defaults);
  return new Promise((resolveClosed) => connection.onExit(() => resolveClosed()));
}

// Run directly (`node dist/lsp.js --stdio`, what the extension spawns).
if (process.argv[1] && /lsp\.js$/.test(process.argv[1])) void startStdio();
