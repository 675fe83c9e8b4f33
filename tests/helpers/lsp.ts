import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, ShutdownRequest, ExitNotification, ApplyWorkspaceEditRequest,
  type ProtocolConnection, type Diagnostic, type PublishDiagnosticsParams, type TextEdit, type ApplyWorkspaceEditParams,
} from "vscode-languageserver-protocol/node.js";
import { CLI, PROJECT } from "./repo.js";

export interface LspClient {
  conn: ProtocolConnection;
  root: string;
  proc: ChildProcess;
  uri: (file: string) => string;
  /** The latest diagnostics published for each file. */
  diagnostics: Map<string, Diagnostic[]>;
  /** Every file diagnostics were published for, in the order they came (one entry per publishDiagnostics). */
  published: string[];
  /** Every policyops/summary notification received. */
  summaries: unknown[];
  /** workspace/applyEdit requests the server sent (answered `applied: true`). */
  applied: ApplyWorkspaceEditParams[];
  /** Resolves with the next diagnostics published for `file` that satisfy `pred`. */
  waitFor: (file: string, pred?: (d: Diagnostic[]) => boolean, timeoutMs?: number) => Promise<Diagnostic[]>;
  open: (file: string, text: string, languageId?: string) => Promise<void>;
  /** Replaces the whole text of an open document (a full-content change) and bumps its version. */
  change: (file: string, text: string) => Promise<void>;
  texts: Map<string, string>;
  close: () => Promise<void>;
}

/**
 * Spawns the built language server (`bin/policyops.js lsp --stdio`, or `dist/lsp.js --stdio`)
 * on `root` and talks to it over stdio with vscode-languageserver-protocol, as an editor does.
 */
export async function startLsp(root: string, options: { today?: string; severities?: Record<string, string>; debounceMs?: number; bundle?: boolean; workers?: number } = {}): Promise<LspClient> {
  const args = options.bundle ? [join(PROJECT, "dist", "lsp.js"), "--stdio"] : [CLI, "lsp", "--stdio"];
  const proc = spawn(process.execPath, args, { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  proc.stderr!.on("data", (d) => (stderr += String(d)));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const uri = (file: string) => pathToFileURL(join(root, file)).href;
  const fileOf = (u: string) => decodeURIComponent(u.slice(pathToFileURL(root).href.length + 1));
  const diagnostics = new Map<string, Diagnostic[]>();
  const published: string[] = [];
  const waiters: { file: string; pred: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const summaries: unknown[] = [];
  const applied: ApplyWorkspaceEditParams[] = [];
  conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
    const file = fileOf(p.uri);
    diagnostics.set(file, p.diagnostics);
    published.push(file);
    for (const w of [...waiters]) {
      if (w.file === file && w.pred(p.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p.diagnostics);
      }
    }
  });
  conn.onNotification("policyops/summary", (s: unknown) => summaries.push(s));
  conn.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
    applied.push(p);
    return { applied: true };
  });
  conn.onRequest("client/registerCapability", () => null);
  conn.onRequest("window/showMessageRequest", () => null);
  conn.listen();
  const waitFor = (file: string, pred: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 20_000) =>
    new Promise<Diagnostic[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${file} matching the condition within ${timeoutMs} ms; last: ${JSON.stringify(diagnostics.get(file))}\n${stderr}`)), timeoutMs);
      waiters.push({ file, pred, resolve: (d) => (clearTimeout(timer), resolve(d)) });
    });
  const versions = new Map<string, number>();
  const texts = new Map<string, string>();
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: "repo" }],
    capabilities: { workspace: { applyEdit: true, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { today: options.today, severities: options.severities, debounceMs: options.debounceMs ?? 0, workers: options.workers ?? 1 },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  return {
    conn, root, proc, uri, diagnostics, published, summaries, applied, waitFor, texts,
    open: async (file, text, languageId) => {
      versions.set(file, 1);
      texts.set(file, text);
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uri(file), languageId: languageId ?? (file.endsWith(".md") ? "markdown" : "yaml"), version: 1, text } });
    },
    change: async (file, text) => {
      const v = (versions.get(file) ?? 1) + 1;
      versions.set(file, v);
      texts.set(file, text);
      await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uri(file), version: v }, contentChanges: [{ text }] });
    },
    close: async () => {
      try {
        await conn.sendRequest(ShutdownRequest.type);
        await conn.sendNotification(ExitNotification.type);
      } catch {
        // Already gone.
      }
      conn.dispose();
      proc.kill();
    },
  };
}

/** Applies LSP text edits to a text (from the end backwards, as an editor does). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const offset = (line: number, character: number) => {
    let off = 0;
    for (let i = 0; i < line; i++) off = text.indexOf("\n", off) + 1;
    return off + character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
  for (const e of sorted) text = text.slice(0, offset(e.range.start.line, e.range.start.character)) + e.newText + text.slice(offset(e.range.end.line, e.range.end.character));
  return text;
}
