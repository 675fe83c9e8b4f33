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
// Standalone: `node bench/lsp.mjs [--docs 10000] [--iterations 40] [--no-validate] [--no-peers] [--cpu-prof <dir>] [--json <file>] [--server <another build's dist/lsp.js>]`; `npm run bench` runs it too.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification, PublishDiagnosticsNotification,
  DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, CompletionRequest, ShutdownRequest, ExitNotification,
} from "vscode-languageserver-protocol/node.js";
import { percentile, processCpuMs, processMemory, timeNode } from "./measure.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(HERE, "..");
const SERVER = join(PROJECT, "dist", "lsp.js");
const CLI = join(PROJECT, "bin", "policyops.js");
const now = () => Number(process.hrtime.bigint()) / 1e6;
const log = (s) => process.stderr.write(s + "\n");


/**
 * Measures the language server on `dir` (a corpus), with `today`. `cpuProf` (a folder): the
 * server runs under `--cpu-prof` and writes its profile there on exit, next to `phases.json`
 * (each phase's start and end on the monotonic clock, in µs, as the profile's timestamps are).
 */
export async function lspBench(dir, { today, iterations = 40, cpuProf, validate = true, peers = true, server = SERVER } = {}) {
  const loadStart = loadavg();
  const coldValidate = validate ? timeNode([CLI, "validate", dir, "--format", "json", "--today", today]) : { wallMs: NaN, maxRssKiB: null };
  const nodeArgs = cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${cpuProf}`] : [];
  const proc = spawn(process.execPath, [...nodeArgs, server, "--stdio"], { cwd: dir, stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((resolve) => proc.on("exit", resolve));
  const phases = {};
  const phase = async (name, fn) => {
    const cpu0 = processCpuMs(proc.pid);
    const t0 = process.hrtime.bigint() / 1000n;
    const r = await fn();
    phases[name] = { startUs: Number(t0), endUs: Number(process.hrtime.bigint() / 1000n) };
    const cpu1 = processCpuMs(proc.pid);
    return { r, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0 };
  };
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
  const afterLoad = processMemory(proc.pid);
  // Git history is read after the first diagnostics (approval/stale): let it finish (the server's
  // CPU time stops growing) so that the edits below are measured alone, as they are once an editor has settled.
  /** Waits until the server's CPU time stops growing (three quiet quarters of a second); returns the CPU it used meanwhile. */
  const settle = async () => {
    const started = now();
    const first = processCpuMs(proc.pid);
    let last = first;
    for (let idle = 0; last !== null && idle < 3 && now() - started < 120000; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const cpu = processCpuMs(proc.pid);
      idle = cpu - last < 20 ? idle + 1 : 0;
      last = cpu;
    }
    return first === null ? null : last - first;
  };
  await settle();
  const settledMs = now() - firstSummary.lastPublish;
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
  const bodyCpu = (await phase("body", async () => {
    for (let i = 0; i < iterations; i++) body.push(await timedChange(`${text}\nEdited body line ${i}.\n`));
  })).cpuMs;
  const idChange = [];
  const idCpu = (await phase("idChange", async () => {
    for (let i = 0; i < iterations; i++) idChange.push(await timedChange(i % 2 === 0 ? text.replace(`id: ${id}`, `id: ${id}-B`) : text));
  })).cpuMs;
  if (iterations % 2 === 1) await timedChange(text);
  // The policyops/summary the server sends 150 ms after the last edit (counts and two reports over every document):
  // its CPU is measured here, so that the completion row is completion alone.
  const summaryCpuMs = await settle();
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
  const completionCpu = (await phase("completion", async () => {
    for (let i = 0; i < iterations; i++) {
      const t0 = now();
      const r = await conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf(file) }, position: { line, character } });
      completion.push(now() - t0);
      items = Array.isArray(r) ? r.length : r?.items.length ?? 0;
    }
  })).cpuMs;
  const end = processMemory(proc.pid);
  await conn.sendRequest(ShutdownRequest.type);
  await conn.sendNotification(ExitNotification.type);
  // Let the server exit by itself (a profile is written on exit), then make sure it is gone.
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, cpuProf ? 60000 : 2000))]);
  conn.dispose();
  proc.kill();
  if (cpuProf) writeFileSync(join(cpuProf, "phases.json"), JSON.stringify(phases, null, 2) + "\n");
  // The peers, one at a time after policyops's server has exited (bench/lsp-peers.mjs), on what is in their scope.
  let peerResults = null;
  if (peers) {
    const { yamlPeer, markdownPeer } = await import("./lsp-peers.mjs");
    peerResults = { yaml: await yamlPeer(dir, kinds, { iterations }), markdown: await markdownPeer(dir, file, { iterations }) };
  }
  const stat = (xs, cpu) => ({ p50: percentile(xs, 50), p95: percentile(xs, 95), n: xs.length, cpuMsEach: cpu == null ? null : cpu / xs.length });
  const result = {
    documents: firstSummary.summary.documents,
    file,
    firstDiagnosticsMs,
    settledMs,
    summaryCpuMs,
    coldValidateMs: coldValidate.wallMs,
    coldValidateRssKiB: coldValidate.maxRssKiB,
    body: stat(body, bodyCpu),
    idChange: stat(idChange, idCpu),
    completion: { ...stat(completion, completionCpu), items, where },
    rssAfterLoadKiB: afterLoad.rssKiB,
    peakRssKiB: end.peakKiB,
    peers: peerResults,
    loadAverage: { start: loadStart, end: loadavg() },
  };
  const cpu = (x) => (x.cpuMsEach == null ? "" : `, CPU ${x.cpuMsEach.toFixed(1)} ms each`);
  log(`lsp: didChange→publishDiagnostics body p50 ${result.body.p50.toFixed(1)} ms p95 ${result.body.p95.toFixed(1)} ms${cpu(result.body)}; id change p50 ${result.idChange.p50.toFixed(1)} ms p95 ${result.idChange.p95.toFixed(1)} ms${cpu(result.idChange)}; completion (${items} items, ${where}) p50 ${result.completion.p50.toFixed(1)} ms p95 ${result.completion.p95.toFixed(1)} ms${cpu(result.completion)}; peak RSS ${Math.round(end.peakKiB / 1024)} MiB`);
  return result;
}

/** The results.md section (and bench/lsp.md's table). */
export function lspSection(r) {
  const ms = (x) => (x == null || Number.isNaN(x) ? "n/a" : `${x.toFixed(1)} ms`);
  const mib = (k) => (k == null || Number.isNaN(k) ? "n/a" : `${Math.round(k / 1024)} MiB`);
  const cpu = (x) => (x?.cpuMsEach == null ? "n/a" : `${x.cpuMsEach.toFixed(1)} ms`);
  const y = r.peers?.yaml;
  const m = r.peers?.markdown;
  const peerRows = r.peers
    ? `
Peers, each on what is in its scope only (bench/lsp-peers.mjs; same corpus, same driver, ${r.body.n} requests per row):

| measure | policyops (everything: schemas, references, links, reviews, licences…) | yaml-language-server 1.25.0 (YAML records; schema checks of open documents only, no references) | vscode-markdown-languageserver 0.5.0-alpha.12 (Markdown link diagnostics only) |
|---|---|---|---|
| edit → diagnostics of the edited document, p50 / p95 (CPU each) | ${ms(r.body.p50)} / ${ms(r.body.p95)} (${cpu(r.body)}) | ${ms(y.body.p50)} / ${ms(y.body.p95)} (${cpu(y.body)}); a comment line added to \`${y.file}\`; includes the server's own validation delay | ${ms(m.body.p50)} / ${ms(m.body.p95)} (${cpu(m.body)}, plus ${ms(m.body.clientMsEach)} of tokenizing and file reads done in the client, as VS Code's extension does them); \`${m.file}\`, pulled with textDocument/diagnostic |
| id change → diagnostics of the documents naming it | ${ms(r.idChange.p50)} / ${ms(r.idChange.p95)} | n/a: no cross-document checks | n/a: no ids |
| completion, p50 / p95 (items) | ${ms(r.completion.p50)} / ${ms(r.completion.p95)} (${r.completion.items} ids) | ${ms(y.completion.p50)} / ${ms(y.completion.p95)} (${y.completion.items} items, \`${y.field}:\` value) | ${ms(m.completion.p50)} / ${ms(m.completion.p95)} (${m.completion.items} paths in a link) |
| first diagnostics | whole workspace ${(r.firstDiagnosticsMs / 1000).toFixed(2)} s | one record ${ms(y.firstMs)}; all ${y.files} records opened at once: ${(y.workspaceMs / 1000).toFixed(2)} s (it checks open documents only) | one document ${ms(m.firstMs)} (of ${m.files} Markdown files; it checks open documents only) |
| RSS | ${mib(r.rssAfterLoadKiB)} after load, peak ${mib(r.peakRssKiB)} | ${mib(y.rssOneOpenKiB)} one record open, ${mib(y.rssAllOpenKiB)} all open | ${mib(m.rssKiB)} |
`
    : "";
  return `## Language server (\`policyops lsp --stdio\`, bench/lsp.mjs)

The real server (\`dist/lsp.js --stdio\`) on the same corpus (${r.documents} documents), driven over stdio by
vscode-languageserver-protocol as an editor drives it; edits are unsaved buffers of \`${r.file}\` (the corpus is not
written); debounce 0 ms (the default 75 ms debounce adds up to that much to each edit); ${r.body.n} edits per row, measured
once the server has settled (git history read, ${(r.settledMs / 1000).toFixed(1)} s after the first diagnostics). CPU is the server
process's user + system time over the row divided by the number of requests (/proc, 10 ms ticks).

| measure | p50 | p95 | server CPU each |
|---|---|---|---|
| didChange → publishDiagnostics, body edit | ${ms(r.body.p50)} | ${ms(r.body.p95)} | ${cpu(r.body)} |
| didChange → publishDiagnostics, id change (documents naming it re-checked, their diagnostics pushed) | ${ms(r.idChange.p50)} | ${ms(r.idChange.p95)} | ${cpu(r.idChange)} |
| completion, ${r.completion.where} (${r.completion.items} items) | ${ms(r.completion.p50)} | ${ms(r.completion.p95)} | ${cpu(r.completion)} |

First full-workspace diagnostics: **${(r.firstDiagnosticsMs / 1000).toFixed(2)} s** after \`initialized\` (git history is read
after them), against ${(r.coldValidateMs / 1000).toFixed(2)} s for a cold \`policyops validate --format json\` process (peak ${mib(r.coldValidateRssKiB)}).
The \`policyops/summary\` notification (sent 150 ms after the last edit; it counts findings and runs the review and
licence reports over every document) cost ${r.summaryCpuMs == null ? "n/a" : `${Math.round(r.summaryCpuMs)} ms`} of server CPU after the edits; an edit arriving meanwhile waits for it.
Server memory: ${mib(r.rssAfterLoadKiB)} RSS after the first diagnostics, peak ${mib(r.peakRssKiB)} at the end.
Load average (1, 5, 15 min) at the start: ${r.loadAverage.start.map((x) => x.toFixed(1)).join(", ")}; at the end: ${r.loadAverage.end.map((x) => x.toFixed(1)).join(", ")} (${cpus().length} cores).
${peerRows}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const { corpus } = await import("./run.mjs");
  const { dir } = await corpus(Number(arg("docs", 10000)));
  const r = await lspBench(dir, { today: "2026-06-30", iterations: Number(arg("iterations", 40)), cpuProf: arg("cpu-prof", undefined), validate: !process.argv.includes("--no-validate"), peers: !process.argv.includes("--no-peers"), server: arg("server", SERVER) });
  const json = arg("json", undefined);
  if (json) writeFileSync(json, JSON.stringify(r, null, 1) + "\n");
  process.stdout.write(lspSection(r));
}
