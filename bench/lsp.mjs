#!/usr/bin/env node
// The language server on the generated corpus (issue 15 "Performance"): the real server
// (dist/lsp.js --stdio) spawned and driven over stdio as an editor drives it.
// - time to first full-workspace diagnostics (initialized → the last publishDiagnostics before
//   the first policyops/summary) next to a cold `policyops validate --format json`;
// - didChange → publishDiagnostics of the edited document, p50/p95, for a body edit and for an
//   id change (which re-checks the documents naming that id and pushes their diagnostics too);
// - completion p50/p95 in a reference list (ids of every document of the right kind);
// - the server's RSS after the first diagnostics and its peak (VmHWM) at the end.
// Edits are unsaved buffers: nothing is written to the corpus (run.mjs fingerprints it).
// Standalone: `node bench/lsp.mjs [--docs 10000] [--iterations 40]`; `npm run bench` runs it too.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, CompletionRequest, ShutdownRequest, ExitNotification,
} from "vscode-languageserver-protocol/node.js";
import { percentile, timeNode } from "./measure.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(HERE, "..");
const SERVER = join(PROJECT, "dist", "lsp.js");
const CLI = join(PROJECT, "bin", "policyops.js");
const now = () => Number(process.hrtime.bigint()) / 1e6;
const log = (s) => process.stderr.write(s + "\n");

/** /proc/<pid>/status's VmRSS and VmHWM in KiB (null off Linux). */
function memory(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? NaN);
    return { rssKiB: kib("VmRSS"), peakKiB: kib("VmHWM") };
  } catch {
    return { rssKiB: null, peakKiB: null };
  }
}

/** Measures the language server on `dir` (a corpus), with `today`. */
export async function lspBench(dir, { today, iterations = 40 } = {}) {
  const coldValidate = timeNode([CLI, "validate", dir, "--format", "json", "--today", today]);
  const proc = spawn(process.execPath, [SERVER, "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const uriOf = (file) => pathToFileURL(join(dir, file)).href;
  let lastPublish = 0;
  let published = 0;
  const waiting = new Map();
  conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
    lastPublish = now();
    published++;
    const w = waiting.get(p.uri);
    if (w) {
      waiting.delete(p.uri);
      w(lastPublish);
    }
  });
  let firstSummary = null;
  const summaryArrived = new Promise((resolve) => conn.onNotification("policyops/summary", (s) => {
    if (!firstSummary) {
      firstSummary = { at: now(), lastPublish, published, summary: s };
      resolve();
    }
  }));
  conn.onRequest("client/registerCapability", () => null);
  conn.listen();
  await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(dir).href, workspaceFolders: [{ uri: pathToFileURL(dir).href, name: "corpus" }], capabilities: {}, initializationOptions: { today, debounceMs: 0 } });
  const started = now();
  await conn.sendNotification(InitializedNotification.type, {});
  await summaryArrived;
  const firstDiagnosticsMs = firstSummary.lastPublish - started;
  const afterLoad = memory(proc.pid);
  log(`lsp: first full-workspace diagnostics in ${(firstDiagnosticsMs / 1000).toFixed(2)} s (${firstSummary.published} files published; cold validate ${(coldValidate.wallMs / 1000).toFixed(2)} s); RSS ${Math.round(afterLoad.rssKiB / 1024)} MiB`);

  // The first document (by folder and name) of a Markdown kind whose front matter has a flow list of ids, else the first Markdown one.
  const kinds = await conn.sendRequest("policyops/kinds");
  const candidates = kinds.filter((k) => k.markdown && k.count > 0).map((k) => `${k.folder}/${readdirSync(join(dir, k.folder)).filter((f) => f.endsWith(".md")).sort()[0]}`);
  const idList = /^[a-z_]+: \[[A-Z]|^\s+- [A-Z][A-Z0-9]*-[0-9]+\s*$/m;
  const file = candidates.find((f) => idList.test(readFileSync(join(dir, f), "utf8"))) ?? candidates[0];
  const text = readFileSync(join(dir, file), "utf8");
  const id = /^id:\s*(\S+)\s*$/m.exec(text)?.[1];
  let version = 1;
  await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(file), languageId: "markdown", version, text } });
  const timedChange = async (next) => {
    const t0 = now();
    const done = new Promise((resolve) => waiting.set(uriOf(file), resolve));
    await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(file), version: ++version }, contentChanges: [{ text: next }] });
    return (await done) - t0;
  };
  await timedChange(`${text}\nWarm-up.\n`);
  const body = [];
  for (let i = 0; i < iterations; i++) body.push(await timedChange(`${text}\nEdited body line ${i}.\n`));
  const idChange = [];
  for (let i = 0; i < iterations; i++) idChange.push(await timedChange(i % 2 === 0 ? text.replace(`id: ${id}`, `id: ${id}-B`) : text));
  if (iterations % 2 === 1) await timedChange(text);
  // Completion inside the first flow list of ids in the front matter (`related: [`…), else a `status:` value.
  const lines = text.split("\n");
  let line = lines.findIndex((l) => /^[a-z_]+: \[[A-Z]/.test(l));
  let character = line >= 0 ? lines[line].indexOf("[") + 1 : -1;
  let where = line >= 0 ? `in \`${lines[line].slice(0, lines[line].indexOf(":"))}: [\`` : "";
  if (line < 0) {
    // A block list of ids (`  - SOP-0001`): the cursor in the item's value.
    line = lines.findIndex((l) => /^\s+- [A-Z][A-Z0-9]*-[0-9]+\s*$/.test(l));
    const field = line > 0 ? lines.slice(0, line).reverse().find((l) => /^[a-z_]+:\s*$/.test(l)) : undefined;
    character = line >= 0 ? lines[line].indexOf("- ") + 3 : -1;
    where = line >= 0 ? `in a \`${field?.replace(/:\s*$/, "") ?? "?"}\` list item` : "";
  }
  if (line < 0) {
    line = lines.findIndex((l) => l.startsWith("status:"));
    character = "status: ".length;
    where = "a `status:` value";
  }
  const completion = [];
  let items = 0;
  for (let i = 0; i < iterations; i++) {
    const t0 = now();
    const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf(file) }, position: { line, character } });
    completion.push(now() - t0);
    items = Array.isArray(r) ? r.length : r?.items.length ?? 0;
  }
  const end = memory(proc.pid);
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  conn.dispose();
  proc.kill();
  const stat = (xs) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95), n: xs.length });
  const result = {
    documents: firstSummary.summary.documents,
    file,
    firstDiagnosticsMs,
    coldValidateMs: coldValidate.wallMs,
    coldValidateRssKiB: coldValidate.maxRssKiB,
    body: stat(body),
    idChange: stat(idChange),
    completion: { ...stat(completion), items, where },
    rssAfterLoadKiB: afterLoad.rssKiB,
    peakRssKiB: end.peakKiB,
  };
  log(`lsp: didChange→publishDiagnostics body p50 ${result.body.p50.toFixed(1)} ms p95 ${result.body.p95.toFixed(1)} ms; id change p50 ${result.idChange.p50.toFixed(1)} ms p95 ${result.idChange.p95.toFixed(1)} ms; completion (${items} items, ${where}) p50 ${result.completion.p50.toFixed(1)} ms p95 ${result.completion.p95.toFixed(1)} ms; peak RSS ${Math.round(end.peakKiB / 1024)} MiB`);
  return result;
}

/** The results.md section. */
export function lspSection(r) {
  const ms = (x) => `${x.toFixed(1)} ms`;
  const mib = (k) => (k == null || Number.isNaN(k) ? "n/a" : `${Math.round(k / 1024)} MiB`);
  return `## Language server (\`policyops lsp --stdio\`, bench/lsp.mjs)

The real server (\`dist/lsp.js --stdio\`) on the same corpus (${r.documents} documents), driven over stdio by
vscode-languageserver-protocol as an editor drives it; edits are unsaved buffers of \`${r.file}\` (the corpus is not
written); debounce 0 ms (the default 75 ms debounce adds up to that much to each edit); ${r.body.n} edits per row.

| measure | p50 | p95 |
|---|---|---|
| didChange → publishDiagnostics, body edit | ${ms(r.body.p50)} | ${ms(r.body.p95)} |
| didChange → publishDiagnostics, id change (documents naming it re-checked, their diagnostics pushed) | ${ms(r.idChange.p50)} | ${ms(r.idChange.p95)} |
| completion, ${r.completion.where} (${r.completion.items} items) | ${ms(r.completion.p50)} | ${ms(r.completion.p95)} |

First full-workspace diagnostics: **${(r.firstDiagnosticsMs / 1000).toFixed(2)} s** after \`initialized\` (git history is read
after them), against ${(r.coldValidateMs / 1000).toFixed(2)} s for a cold \`policyops validate --format json\` process (peak ${mib(r.coldValidateRssKiB)}).
Server memory: ${mib(r.rssAfterLoadKiB)} RSS after the first diagnostics, peak ${mib(r.peakRssKiB)} at the end.
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const { corpus } = await import("./run.mjs");
  const { dir } = await corpus(Number(arg("docs", 10000)));
  const r = await lspBench(dir, { today: "2026-06-30", iterations: Number(arg("iterations", 40)) });
  process.stdout.write(lspSection(r));
}
