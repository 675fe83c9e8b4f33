// The language servers policyops's is compared with (issue 15), driven over stdio the way
// bench/lsp.mjs drives policyops's, on the same corpus, each only on what is in its scope:
// - yaml-language-server (devDependency, 1.25.x: the last release for node 20) on the YAML
//   records, with our schemas (as draft-07, bench/peers.mjs) associated by folder: schema
//   checks of the open documents, no cross-document references;
// - VS Code's Markdown language server (vscode-markdown-languageserver, 0.5.0-alpha.12: 0.5.0
//   needs node 22) on the Markdown: link diagnostics (files, fragments, references) pulled
//   with textDocument/diagnostic. It asks its client to tokenize (`markdown/parse`) and to read
//   the disk (`markdown/fs/*`), as VS Code's extension does; here the bench answers those with
//   markdown-it and node:fs, so that work is in the client's process, not in the server's CPU.
// Edits are unsaved buffers: nothing is written to the corpus.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import MarkdownIt from "markdown-it";
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidChangeConfigurationNotification, CompletionRequest, DocumentDiagnosticRequest,
  ShutdownRequest, ExitNotification,
} from "vscode-languageserver-protocol/node.js";
import { percentile, processCpuMs, processMemory } from "./measure.mjs";
import { standaloneSchemas } from "./peers.mjs";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const YAML_LS = join(PROJECT, "node_modules", "yaml-language-server", "bin", "yaml-language-server");
const MD_LS = join(PROJECT, "node_modules", "vscode-markdown-languageserver", "dist", "node", "workerMain.js");
const now = () => Number(process.hrtime.bigint()) / 1e6;
const log = (s) => process.stderr.write(s + "\n");
const stat = (xs) => (xs.length ? { p50: percentile(xs, 50), p95: percentile(xs, 95), n: xs.length } : null);


/** Spawns a server and connects to it; `handlers` answers its requests to the client. */
function startServer(args, dir, handlers) {
  const proc = spawn(process.execPath, args, { cwd: dir, stdio: ["pipe", "pipe", "ignore"] });
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  for (const [method, fn] of Object.entries(handlers)) conn.onRequest(method, fn);
  for (const m of ["client/registerCapability", "client/unregisterCapability", "window/workDoneProgress/create", "window/showMessageRequest", "workspace/diagnostic/refresh"]) if (!handlers[m]) conn.onRequest(m, () => null);
  conn.onNotification(() => {});
  const stop = async () => {
    try {
      await conn.sendRequest(ShutdownRequest.type);
      await conn.sendNotification(ExitNotification.type);
    } catch {
      // Already gone.
    }
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    conn.dispose();
    proc.kill();
  };
  return { proc, conn, stop };
}

/** A dotted section of a settings object (`yaml`, `markdown.validate`), or null. */
const section = (settings, name) => (name ? name.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), settings) ?? null : settings);

/** Files of a folder, in name order, that end with `ext`. */
const filesOf = (dir, folder, ext) => (existsSync(join(dir, folder)) ? readdirSync(join(dir, folder)).filter((f) => f.endsWith(ext)).sort().map((f) => `${folder}/${f}`) : []);

/**
 * yaml-language-server on the YAML records. `kinds`: policyops/kinds's answer (folder, format, count).
 * Rows: open → first diagnostics of one record (schemas loaded), a value edit → publishDiagnostics,
 * completion of an enum value, then every record opened → all of them diagnosed (the whole-workspace row).
 */
export async function yamlPeer(corpusDir, kinds, { iterations = 40 } = {}) {
  const schemaDir = mkdtempSync(join(tmpdir(), "policyops-lsp-peer-schemas-"));
  try {
    // Its file patterns (`**/licences/*.yaml`) match no path with a dot folder in it, such as bench/.corpus/…:
    // it is given the corpus through a symbolic link in the temp folder.
    const dir = join(schemaDir, "corpus");
    symlinkSync(corpusDir, dir, "dir");
    const schemas = standaloneSchemas(join(schemaDir, "schemas"));
    const yamlKinds = kinds.filter((k) => !k.markdown && k.count > 0 && schemas[k.kind]);
    const settings = {
      yaml: { validate: true, completion: true, hover: true, format: { enable: false }, schemaStore: { enable: false }, schemas: Object.fromEntries(yamlKinds.map((k) => [pathToFileURL(schemas[k.kind]).href, `${k.folder}/*.yaml`])) },
      http: { proxy: "", proxyStrictSSL: false },
    };
    const { proc, conn, stop } = startServer([YAML_LS, "--stdio"], dir, { "workspace/configuration": (p) => p.items.map((i) => section(settings, i.section)) });
    const waiting = new Map();
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const w = waiting.get(p.uri);
      if (w) {
        waiting.delete(p.uri);
        w(now());
      }
    });
    conn.listen();
    const root = pathToFileURL(dir).href;
    await conn.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: "corpus" }],
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { completion: { completionItem: { snippetSupport: true } }, publishDiagnostics: {} } },
    });
    await conn.sendNotification(InitializedNotification.type, {});
    await conn.sendNotification(DidChangeConfigurationNotification.type, { settings });
    // The first record of the first YAML kind with an enum field, e.g. a licence's `type:`.
    const enumLine = (kind, text) => {
      const props = JSON.parse(readFileSync(schemas[kind], "utf8")).properties ?? {};
      const lines = text.split("\n");
      const line = lines.findIndex((l) => { const m = /^([a-z_]+): \S/.exec(l); return m && Array.isArray(props[m[1]]?.enum); });
      return line < 0 ? null : { line, character: lines[line].indexOf(":") + 2, field: lines[line].slice(0, lines[line].indexOf(":")) };
    };
    let file, text, at, kind;
    for (const k of yamlKinds) {
      const f = filesOf(dir, k.folder, ".yaml")[0];
      if (!f) continue;
      const t = readFileSync(join(dir, f), "utf8");
      const a = enumLine(k.kind, t);
      if (a) {
        [file, text, at, kind] = [f, t, a, k.kind];
        break;
      }
    }
    const uri = pathToFileURL(join(dir, file)).href;
    const diagnosed = (u) => new Promise((resolve) => waiting.set(u, resolve));
    let t0 = now();
    let done = diagnosed(uri);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "yaml", version: 1, text } });
    const firstMs = (await done) - t0;
    let version = 1;
    const edit = async (next) => {
      const t = now();
      const d = diagnosed(uri);
      await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ text: next }] });
      return (await d) - t;
    };
    await edit(`${text}# warm-up\n`);
    const body = [];
    let cpu0 = processCpuMs(proc.pid);
    for (let i = 0; i < iterations; i++) body.push(await edit(`${text}# edited ${i}\n`));
    const bodyCpu = processCpuMs(proc.pid) - cpu0;
    // The schema is in force: a value outside the field's enum is reported.
    const lines = text.split("\n");
    const badValue = lines.map((l, i) => (i === at.line ? `${at.field}: not-one-of-them` : l)).join("\n");
    let checked = null;
    conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      if (p.uri === uri) checked = p.diagnostics;
      const w = waiting.get(p.uri);
      if (w) {
        waiting.delete(p.uri);
        w(now());
      }
    });
    await edit(badValue);
    const schemaActive = (checked ?? []).some((d) => d.range.start.line === at.line && /schema/i.test(`${d.source ?? ""}`));
    // Completion of the value being typed (`type: ` and nothing yet).
    await edit(lines.map((l, i) => (i === at.line ? `${at.field}: ` : l)).join("\n"));
    const completion = [];
    let items = 0;
    cpu0 = processCpuMs(proc.pid);
    for (let i = 0; i < iterations; i++) {
      t0 = now();
      const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: at.line, character: at.character } });
      completion.push(now() - t0);
      items = Array.isArray(r) ? r.length : r?.items.length ?? 0;
    }
    const completionCpu = processCpuMs(proc.pid) - cpu0;
    await edit(text);
    const oneOpen = processMemory(proc.pid);
    // Every record opened at once: the time until each has its diagnostics.
    const all = yamlKinds.flatMap((k) => filesOf(dir, k.folder, ".yaml")).filter((f) => f !== file);
    t0 = now();
    const pending = [];
    for (const f of all) {
      const u = pathToFileURL(join(dir, f)).href;
      pending.push(diagnosed(u));
      await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: "yaml", version: 1, text: readFileSync(join(dir, f), "utf8") } });
    }
    await Promise.all(pending);
    const workspaceMs = now() - t0;
    const end = processMemory(proc.pid);
    await stop();
    const r = {
      name: "yaml-language-server", file, kind, field: at.field, schemaActive, files: all.length + 1, firstMs, workspaceMs,
      body: { ...stat(body), cpuMsEach: bodyCpu / iterations }, completion: { ...stat(completion), cpuMsEach: completionCpu / iterations, items },
      rssOneOpenKiB: oneOpen.rssKiB, rssAllOpenKiB: end.rssKiB, peakKiB: end.peakKiB,
    };
    log(`lsp peer yaml-language-server: ${file} first diagnostics ${firstMs.toFixed(0)} ms; edit p50 ${r.body.p50.toFixed(1)} p95 ${r.body.p95.toFixed(1)} ms; completion (${items} items) p50 ${r.completion.p50.toFixed(1)} p95 ${r.completion.p95.toFixed(1)} ms; schema checks ${schemaActive ? "active" : "NOT active"}; all ${r.files} records diagnosed in ${(workspaceMs / 1000).toFixed(2)} s; RSS ${Math.round(r.rssOneOpenKiB / 1024)} / ${Math.round(r.rssAllOpenKiB / 1024)} MiB`);
    return r;
  } finally {
    rmSync(schemaDir, { recursive: true, force: true });
  }
}

/** Blank lines for a leading YAML front matter (VS Code's engine drops it too), so line numbers stay. */
const withoutFrontMatter = (text) => {
  const m = /^---\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/.exec(text);
  return m ? m[0].replace(/[^\n]/g, "") + text.slice(m[0].length) : text;
};

/**
 * VS Code's Markdown language server on the Markdown documents, link validation on.
 * Rows: open → first diagnostics of one document (pulled; the server reads the workspace's
 * Markdown files first), a body edit → pulled diagnostics, completion of a path in a link.
 */
export async function markdownPeer(dir, file, { iterations = 40 } = {}) {
  const md = new MarkdownIt({ html: true });
  const settings = {
    markdown: {
      validate: {
        enabled: true, referenceLinks: { enabled: "warning" }, fragmentLinks: { enabled: "warning" }, fileLinks: { enabled: "warning", markdownFragmentLinks: "inherit" },
        ignoredLinks: [], unusedLinkDefinitions: { enabled: "hint" }, duplicateLinkDefinitions: { enabled: "warning" },
      },
      suggest: { paths: { enabled: true, includeWorkspaceHeaderCompletions: "never" } },
      preferredMdPathExtensionStyle: "auto", occurrencesHighlight: { enabled: false },
    },
  };
  const pathOf = (uri) => fileURLToPath(uri);
  let clientMs = 0;
  const timed = (fn) => (p) => {
    const t = now();
    try {
      return fn(p);
    } finally {
      clientMs += now() - t;
    }
  };
  const allMarkdown = () => {
    const out = [];
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.name.startsWith(".") || e.name === "node_modules") continue;
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith(".md")) out.push(pathToFileURL(join(d, e.name)).href);
      }
    };
    walk(dir);
    return out;
  };
  const { proc, conn, stop } = startServer([MD_LS, "--stdio"], dir, {
    "workspace/configuration": (p) => p.items.map((i) => section(settings, i.section)),
    "markdown/parse": timed((p) => md.parse(withoutFrontMatter(typeof p.text === "string" ? p.text : readFileSync(pathOf(p.uri), "utf8")), {})),
    "markdown/fs/readFile": timed((p) => Array.from(readFileSync(pathOf(p.uri)))),
    "markdown/fs/stat": timed((p) => {
      try {
        return { isDirectory: statSync(pathOf(p.uri)).isDirectory() };
      } catch {
        return undefined;
      }
    }),
    "markdown/fs/readDirectory": timed((p) => readdirSync(pathOf(p.uri), { withFileTypes: true }).map((e) => [e.name, { isDirectory: e.isDirectory() }])),
    "markdown/findMarkdownFilesInWorkspace": timed(() => allMarkdown()),
    "markdown/fs/watcher/create": () => null,
    "markdown/fs/watcher/delete": () => null,
  });
  conn.listen();
  const root = pathToFileURL(dir).href;
  await conn.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: root, workspaceFolders: [{ uri: root, name: "corpus" }],
    capabilities: { workspace: { configuration: true }, textDocument: { completion: { completionItem: { snippetSupport: true } }, diagnostic: { dynamicRegistration: false } } },
    initializationOptions: { markdownFileExtensions: ["md"] },
  });
  await conn.sendNotification(InitializedNotification.type, {});
  await conn.sendNotification(DidChangeConfigurationNotification.type, { settings });
  const uri = pathToFileURL(join(dir, file)).href;
  const text = readFileSync(join(dir, file), "utf8");
  const pull = () => conn.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
  let t0 = now();
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: "markdown", version: 1, text } });
  const first = await pull();
  const firstMs = now() - t0;
  let version = 1;
  const edit = async (next) => {
    const t = now();
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: ++version }, contentChanges: [{ text: next }] });
    await pull();
    return now() - t;
  };
  await edit(`${text}\nWarm-up.\n`);
  const body = [];
  let cpu0 = processCpuMs(proc.pid);
  const client0 = clientMs;
  for (let i = 0; i < iterations; i++) body.push(await edit(`${text}\nEdited body line ${i}.\n`));
  const bodyCpu = processCpuMs(proc.pid) - cpu0;
  const bodyClient = clientMs - client0;
  // A relative link being typed to the folder of the document's kind: the files there are offered.
  const folder = file.slice(0, file.indexOf("/"));
  const linking = `${text}\nSee [x](../${folder}/`;
  await edit(linking);
  const position = { line: linking.split("\n").length - 1, character: linking.split("\n").at(-1).length };
  const completion = [];
  let items = 0;
  cpu0 = processCpuMs(proc.pid);
  for (let i = 0; i < iterations; i++) {
    t0 = now();
    const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri }, position, context: { triggerKind: 2, triggerCharacter: "/" } });
    completion.push(now() - t0);
    items = Array.isArray(r) ? r.length : r?.items.length ?? 0;
  }
  const completionCpu = processCpuMs(proc.pid) - cpu0;
  const end = processMemory(proc.pid);
  await stop();
  const r = {
    name: "vscode-markdown-languageserver", file, files: allMarkdown().length, firstMs, firstItems: first?.items?.length ?? 0,
    body: { ...stat(body), cpuMsEach: bodyCpu / iterations, clientMsEach: bodyClient / iterations }, completion: { ...stat(completion), cpuMsEach: completionCpu / iterations, items },
    rssKiB: end.rssKiB, peakKiB: end.peakKiB,
  };
  log(`lsp peer vscode-markdown-languageserver: ${file} first diagnostics ${firstMs.toFixed(0)} ms (of ${r.files} Markdown files); edit p50 ${r.body.p50.toFixed(1)} p95 ${r.body.p95.toFixed(1)} ms; completion (${items} items) p50 ${r.completion.p50.toFixed(1)} p95 ${r.completion.p95.toFixed(1)} ms; RSS ${Math.round(r.rssKiB / 1024)} MiB`);
  return r;
}
