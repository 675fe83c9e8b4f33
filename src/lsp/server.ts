/**
 * The PolicyOps language server (SPEC §5, issue 15): diagnostics, completion, hover,
 * definition, references, document links, quick fixes and the custom requests of
 * lsp-protocol.md, all on the engine's public API with an overlay of the editor's buffers.
 */
import {
  CodeActionKind, DidChangeWatchedFilesNotification, FileChangeType, ResponseError, ErrorCodes, LSPErrorCodes, TextDocumentSyncKind, TextDocuments,
  type CancellationToken, type CodeAction, type Connection, type Diagnostic, type InitializeParams, type InitializeResult, type TextEdit as LspTextEdit, type WorkspaceEdit,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { readFileSync, existsSync, statSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isAbsolute, relative, resolve, sep } from "node:path";
import {
  applyRuleSettings, contractReport, kindOf, kinds, readGitFacts, licenceReport, load, nodeHost, overlayHost, parallelParser, resolveToday, reviewReport, UsageError, YamlEditor,
  type Finding, type FindingsDelta, type OverlayHost, type SeveritySetting, type TextEdit, type Workspace,
} from "../engine/index.js";
import { toDiagnostic, toLspRange, touches } from "./convert.js";
import { completion, definition, documentLinks, hover, references, type Ctx } from "./features.js";
import { calendar, kindList, listJson, newDocument, reportJson, type ReportName } from "./reports.js";
import { RepoCache } from "./repo-cache.js";

export interface ServerOptions {
  /** `YYYY-MM-DD` (lsp-protocol.md: initializationOptions.today, then the setting). */
  today?: string;
  severities?: Record<string, SeveritySetting>;
  /** Milliseconds between the last keystroke and the re-check (default 75). */
  debounceMs?: number;
  /** Parse threads for the initial load (default: the engine's choice). */
  workers?: number;
}

const COMMANDS = ["policyops.markReviewed"];

/** Wires a connection (stdio in production) to a PolicyOps workspace. */
export function startServer(connection: Connection, defaults: { today?: string } = {}): void {
  const documents = new TextDocuments(TextDocument);
  let root = "";
  let options: ServerOptions = {};
  let ws: Workspace | null = null;
  let ready: Promise<void> = new Promise(() => {});
  let loadController: AbortController | null = null;
  /** The day of the latest (re)load asked for: a newer one aborts it. */
  let requestedToday = "";
  /** The editor's buffers over the disk: what a full reload reads. */
  const editorHost: OverlayHost = overlayHost(nodeHost);
  /** Files with diagnostics published (to clear them after a reload). */
  const published = new Set<string>();
  /** Debounced edits: file → its timer and the AbortController of the pending re-check. */
  const pending = new Map<string, { timer: NodeJS.Timeout; controller: AbortController; run: () => void }>();
  let summaryTimer: NodeJS.Timeout | null = null;
  let watchRegistration = false;

  const uriOf = (file: string) => pathToFileURL(resolve(root, file)).href;
  const fileOf = (uri: string): string | null => {
    if (!uri.startsWith("file:")) return null;
    const rel = relative(root, fileURLToPath(uri));
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
    return rel.split(sep).join("/");
  };
  /** Ids, titles and catalogues for completion and navigation, brought up to date per edited file. */
  const cache = new RepoCache();
  const ctx = (): Ctx => ({ ws: ws!, uriOf, cache });
  const today = () => options.today ?? resolveToday();
  const severities = () => options.severities ?? {};
  const isKindsSchema = (file: string) => /^kinds\/[^/]+\.schema\.json$/.test(file);

  // ---- diagnostics ----------------------------------------------------------------------

  const publish = (file: string, findings: Finding[]) => {
    const diagnostics: Diagnostic[] = applyRuleSettings(findings, severities()).map((f) => toDiagnostic(f, uriOf));
    if (diagnostics.length) published.add(file);
    else published.delete(file);
    void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
  };
  const publishDelta = (delta: FindingsDelta) => {
    for (const [file, findings] of delta) publish(file, findings);
    if (delta.size) scheduleSummary();
  };
  const publishAll = () => {
    const byFile = new Map<string, Finding[]>();
    for (const f of ws!.findings()) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    for (const file of [...published]) if (!byFile.has(file)) publish(file, []);
    for (const [file, list] of byFile) publish(file, list);
    scheduleSummary();
  };
  const summary = () => {
    const w = ws!;
    const findings = applyRuleSettings(w.findings(), severities());
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    return {
      documents: w.documents().length,
      errors: count("error"),
      warnings: count("warning"),
      infos: count("info"),
      overdueReviews: reviewReport(w, {}).filter((r) => r.state === "overdue").length,
      // Licences and contracts alike: both need an action before their notice deadline.
      renewalsDue: [...licenceReport(w, {}), ...contractReport(w, {})].filter((r) => r.status === "renewal-due" || r.status === "cancel-by").length,
      today: w.today,
    };
  };
  function scheduleSummary() {
    if (summaryTimer) clearTimeout(summaryTimer);
    summaryTimer = setTimeout(() => {
      summaryTimer = null;
      if (ws) void connection.sendNotification("policyops/summary", summary());
    }, 150);
  }

  /** Loads (or reloads) the whole workspace; a newer reload aborts this one. */
  const reload = (): Promise<void> => {
    loadController?.abort();
    const day = today();
    requestedToday = day;
    const controller = new AbortController();
    loadController = controller;
    const parseAll = parallelParser(options.workers ? { workers: options.workers } : {});
    const run = (async () => {
      try {
        // The disk (parsed in worker threads on a large repository), then the open buffers as edits;
        // only an open config or kind schema must be read from its buffer while loading.
        const host = documents.all().some((d) => { const f = fileOf(d.uri); return f !== null && (isKindsSchema(f) || /^policyops\.ya?ml$/.test(f)); }) ? editorHost : nodeHost;
        const next = await load(root, { today: day, host, git: false, signal: controller.signal, parseAll });
        if (controller.signal.aborted) return;
        ws = next;
        cache.reset();
        // Buffers typed while loading: the engine must see them with their versions.
        for (const doc of documents.all()) {
          const file = fileOf(doc.uri);
          if (file) ws.update(file, doc.getText(), doc.version);
        }
        publishAll();
        // Git history (approval/stale) after the first diagnostics, from a fresh turn of the event loop.
        setTimeout(() => void readGit(next, controller.signal), 0);
      } catch (e) {
        if (controller.signal.aborted) return;
        const message = e instanceof UsageError ? e.message : (e as Error).stack ?? String(e);
        connection.console.error(`policyops: ${message}`);
        void connection.window.showErrorMessage(`PolicyOps cannot check this repository: ${message}`);
        // A bad kind schema: say so on the file, keep the last workspace.
        const m = /(kinds\/[^\s:`]+\.schema\.json)/.exec(message);
        if (m) {
          published.add(m[1]!);
          void connection.sendDiagnostics({ uri: uriOf(m[1]!), diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 1, source: "policyops", code: "config/invalid", message: `This kind schema stops PolicyOps from checking the repository (${message}); correct it, and the last good state is kept until then.` }] });
        }
      }
    })();
    ready = ws ? ready : run;
    return run;
  };

  /** Reads git history for the loaded workspace and re-checks what it changes (approval/stale). */
  const readGit = async (loaded: Workspace, signal: AbortSignal) => {
    try {
      const folders = [...new Set(kinds().names().map((k) => loaded.config.paths[k]).filter((f): f is string => !!f))];
      const git = await readGitFacts(root, folders);
      if (signal.aborted || ws !== loaded || !git) return;
      publishDelta(loaded.setGit(git));
    } catch (e) {
      connection.console.warn(`policyops: git history was not read (${(e as Error).message}); approval/stale is not checked.`);
    }
  };

  let gitTimer: NodeJS.Timeout | null = null;
  const scheduleGit = () => {
    if (gitTimer) clearTimeout(gitTimer);
    gitTimer = setTimeout(() => {
      gitTimer = null;
      if (ws && loadController) void readGit(ws, loadController.signal);
    }, 300);
  };

  // ---- edits -----------------------------------------------------------------------------

  /** Applies a pending edit now (before a request reads the file). */
  const flush = () => {
    for (const [file, p] of [...pending]) {
      clearTimeout(p.timer);
      pending.delete(file);
      p.run();
    }
  };
  const schedule = (doc: TextDocument) => {
    const file = fileOf(doc.uri);
    if (!file) return;
    const text = doc.getText();
    const version = doc.version;
    editorHost.set(resolve(root, file), text, version);
    const before = pending.get(file);
    if (before) {
      // A newer change supersedes the pending re-check.
      clearTimeout(before.timer);
      before.controller.abort();
    }
    const controller = new AbortController();
    const run = () => {
      if (controller.signal.aborted || !ws) return;
      pending.delete(file);
      if (isKindsSchema(file)) {
        ws.update(file, text, version);
        void reload();
        return;
      }
      const delta = ws.update(file, text, version);
      cache.changed(ws, [file]);
      // The edited document always gets a fresh publish (for its new version), even when its findings are the same.
      if (!delta.has(file) && kindOf(file, ws.config)) delta.set(file, ws.findingsFor(file));
      publishDelta(delta);
    };
    const delay = options.debounceMs ?? 75;
    pending.set(file, { timer: setTimeout(() => void ready.then(run), delay), controller, run });
  };

  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    const file = fileOf(e.document.uri);
    if (!file) return;
    const p = pending.get(file);
    if (p) {
      clearTimeout(p.timer);
      p.controller.abort();
      pending.delete(file);
    }
    editorHost.reset(resolve(root, file));
    // Closed unsaved: the disk's content counts again.
    void ready.then(() => diskChanged(file));
  });

  /** The disk's content of `file` (or its absence) becomes what the engine sees, unless the editor has it open. */
  function diskChanged(file: string): void {
    if (!ws) return;
    if (documents.get(uriOf(file))) return;
    const abs = resolve(root, file);
    if (isKindsSchema(file)) {
      void reload();
      return;
    }
    let bytes: Uint8Array | null = null;
    try {
      if (existsSync(abs) && statSync(abs).isFile()) bytes = readFileSync(abs);
    } catch {
      bytes = null;
    }
    if (bytes) {
      publishDelta(ws.update(file, bytes));
      cache.changed(ws, [file]);
      return;
    }
    if (existsSync(abs)) return; // a folder: its files send their own events
    // Deleted (a file, or a folder with everything in it).
    const prefix = `${file}/`;
    const gone = [file, ...ws.documents().map((d) => d.file).filter((f) => f.startsWith(prefix))];
    for (const f of gone) publishDelta(ws.remove(f));
    cache.changed(ws, gone);
  }

  // ---- lifecycle -------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? (params.rootPath ? pathToFileURL(params.rootPath).href : null);
    if (!folder) throw new ResponseError(ErrorCodes.InvalidParams, "PolicyOps needs a workspace folder: open the policy repository as a folder.");
    root = fileURLToPath(folder);
    options = { ...((params.initializationOptions ?? {}) as ServerOptions) };
    options.today ??= defaults.today;
    if (options.today !== undefined) resolveToday(options.today);
    watchRegistration = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ["#", ":", " ", "-", "["], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: COMMANDS },
      },
      serverInfo: { name: "policyops" },
    };
  });
  connection.onInitialized(() => {
    if (watchRegistration) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*" }] });
    void reload();
  });
  connection.onDidChangeWatchedFiles((params) => {
    void ready.then(() => {
      for (const change of params.changes) {
        const file = fileOf(change.uri);
        if (!file) continue;
        // A commit, checkout or pull: read git history again (approval/stale), once things settle.
        if (file === ".git" || file.startsWith(".git/")) {
          if (/^\.git\/(HEAD|refs\/|packed-refs)/.test(file)) scheduleGit();
          continue;
        }
        // Dot-folders (caches) and node_modules are no part of the repository the engine sees.
        if (file.split("/").some((seg) => seg.startsWith(".") || seg === "node_modules")) continue;
        if (change.type === FileChangeType.Deleted && !documents.get(change.uri)) {
          if (isKindsSchema(file)) void reload();
          else diskChanged(file);
        } else diskChanged(file);
      }
    });
  });
  connection.onDidChangeConfiguration((params) => {
    const settings = (params.settings as { policyops?: ServerOptions } | null)?.policyops;
    if (!settings) return;
    const sevBefore = JSON.stringify(options.severities ?? {});
    if (settings.today !== undefined) {
      try {
        resolveToday(settings.today || undefined);
        options.today = settings.today || undefined;
      } catch (e) {
        void connection.window.showErrorMessage(`PolicyOps: ${(e as Error).message}`);
      }
    }
    if (settings.severities !== undefined) options.severities = settings.severities;
    void ready.then(() => {
      if (requestedToday !== today()) void reload();
      else if (JSON.stringify(options.severities ?? {}) !== sevBefore) publishAll();
    });
  });

  // ---- requests --------------------------------------------------------------------------

  /** Runs a request once the workspace is loaded and pending edits are applied; usage errors become clear ResponseErrors. */
  const request = <T>(fn: () => T | Promise<T>, token?: CancellationToken) => async (): Promise<T> => {
    await ready;
    if (!ws) throw new ResponseError(ErrorCodes.InternalError, "PolicyOps could not load this repository (see the error shown when it started); fix it and reload the window.");
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, "Request cancelled.");
    flush();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof UsageError) throw new ResponseError(ErrorCodes.InvalidParams, e.message);
      throw e;
    }
  };
  const withFile = <T>(uri: string, empty: T, fn: (file: string) => T, token?: CancellationToken) =>
    request(() => {
      const file = fileOf(uri);
      return file ? fn(file) : empty;
    }, token)();

  connection.onCompletion((p, token) => withFile(p.textDocument.uri, [], (file) => completion(ctx(), file, p.position), token));
  connection.onHover((p, token) => withFile(p.textDocument.uri, null, (file) => hover(ctx(), file, p.position), token));
  connection.onDefinition((p, token) => withFile(p.textDocument.uri, [], (file) => definition(ctx(), file, p.position), token));
  connection.onReferences((p, token) => withFile(p.textDocument.uri, [], (file) => references(ctx(), file, p.position, p.context.includeDeclaration), token));
  connection.onDocumentLinks((p, token) => withFile(p.textDocument.uri, [], (file) => documentLinks(ctx(), file), token));
  connection.onCodeAction((p, token) =>
    withFile(p.textDocument.uri, [] as CodeAction[], (file) => {
      const actions: CodeAction[] = [];
      for (const f of applyRuleSettings(ws!.findingsFor(file, { suggest: true }), severities())) {
        if (!f.suggest?.length || !touches(toLspRange(f), p.range)) continue;
        const diagnostic = toDiagnostic(f, uriOf);
        f.suggest.forEach((s, i) => actions.push({ title: s.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: i === 0, edit: workspaceEdit(s.edits) }));
      }
      return actions;
    }, token),
  );
  const workspaceEdit = (edits: TextEdit[]): WorkspaceEdit => {
    const changes: Record<string, LspTextEdit[]> = {};
    for (const e of edits) (changes[uriOf(e.file)] ??= []).push({ range: toLspRange(e.range), newText: e.newText });
    return { changes };
  };
  connection.onExecuteCommand((p, token) =>
    request(async () => {
      if (p.command !== "policyops.markReviewed") throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command \`${p.command}\`; use one of ${COMMANDS.map((c) => `\`${c}\``).join(", ")}.`);
      const uri = String(p.arguments?.[0] ?? "");
      const file = fileOf(uri);
      const text = file ? ws!.text(file) : undefined;
      if (!file || text === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `\`${uri}\` is not a file of this repository; pass the URI of a document to mark as reviewed.`);
      const ed = new YamlEditor(file, text, /\.(md|markdown)$/i.test(file) ? "markdown" : "yaml");
      const edit = ed.ok ? ed.set("/last_reviewed", ws!.today) : null;
      if (!edit) throw new ResponseError(ErrorCodes.InvalidParams, `\`${file}\` has no YAML that can be edited; fix its front matter first.`);
      const r = await connection.workspace.applyEdit({ label: `Mark as reviewed today (\`${ws!.today}\`)`, edit: workspaceEdit([edit]) });
      return r.applied;
    }, token)(),
  );

  /** A workspace for `today` (the server's own, or a fresh one over the same buffers for another day). */
  const workspaceFor = async (day?: string): Promise<Workspace> => {
    if (day === undefined || day === ws!.today) return ws!;
    resolveToday(day);
    const other = await load(root, { today: day, host: editorHost, git: false });
    for (const doc of documents.all()) {
      const file = fileOf(doc.uri);
      if (file) other.update(file, doc.getText());
    }
    return other;
  };
  connection.onRequest("policyops/report", (p: { report: ReportName; within?: number; today?: string }, token) =>
    request(async () => reportJson(await workspaceFor(p?.today), p?.report, p?.within), token)(),
  );
  connection.onRequest("policyops/kinds", (_p: unknown, token) => request(() => kindList(ws!), token)());
  connection.onRequest("policyops/list", (p: { kind: string; today?: string }, token) => request(async () => listJson(await workspaceFor(p?.today), String(p?.kind)), token)());
  connection.onRequest("policyops/calendar", (p: { report: "licences" | "reviews"; today?: string }, token) => request(async () => calendar(await workspaceFor(p?.today), p?.report), token)());
  connection.onRequest("policyops/newDocument", (p: { kind: string; title: string }, token) =>
    request(() => {
      const { file, text } = newDocument(ws!, String(p?.kind), String(p?.title ?? ""), (f) => ws!.text(f) !== undefined || existsSync(resolve(root, f)));
      return { uri: uriOf(file), text };
    }, token)(),
  );

  documents.listen(connection);
  connection.listen();
}
