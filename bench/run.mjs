#!/usr/bin/env node
// The PolicyOps benchmark: `npm run bench` (not part of `npm test`).
//
// On a generated corpus (../shared/tools/gen-corpus.mjs, seed 7) it measures, in one run and
// the same way (whole processes through one spawn helper, bench/measure.mjs: wall, CPU and
// peak RSS, N runs each, min / median / max):
//   - Node start-up alone, and the floors: stat'ing every file (a warm run's floor); reading every file; reading + tokenizing the
//     Markdown bodies the engine tokenizes, with the engine's own tokenizer (markdown-it since issue 14)
//     (bench/floor.mjs). Work policyops cannot avoid; it does more (YAML, schemas, rules).
//   - baselines that do MORE work than the engine (full YAML documents, emphasis, every
//     body; unified/remark mdast), for reference only;
//   - policyops validate cold (default threads and POLICYOPS_WORKERS=2), warm with --cache
//     after one file changed (on a scratch copy of the corpus, its cache and machine key in
//     scratch folders, all deleted), and the incremental workspace (in-process
//     Workspace.update, p50/p95 of body edits and of id/heading edits);
//   - the peers (bench/peers.mjs) on a scratch copy, credited only inside their scope;
//   - the scaling curve 1k → 10k → 50k documents;
//   - the pathological inputs (bench/pathological.mjs → bench/pathological.md);
//   - real documentation repositories against a markdown-it floor, and editor-sized edits
//     (bench/real-world-speed.mjs) when $POLICYOPS_REAL_WORLD holds them; it says it skipped
//     them otherwise (the editor-sized step then runs on a generated page).
// The corpus is fingerprinted before and after: the run fails if anything changed it.
// Options: --docs N (default 10000), --runs N (default 3), --out FILE (default
// bench/results.md), --corpus-root DIR (default bench/.corpus), --no-peers, --no-curve,
// --no-pathological, --no-incremental, --no-lsp (the language server section, bench/lsp.mjs),
// --no-real-world, --no-site, --skip-mkdocs (the auditors' site against Hugo
// and MkDocs Material, bench/site.mjs → bench/site.md; MkDocs takes minutes).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { applySpecModels } from "./expected.mjs";
import { HOW_MEASURED, nodeMeasured, percentile, sample, spread } from "./measure.mjs";
import { daemonEnv, SERVED_WARMUP, servedRuns, startDaemon } from "./daemon.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(HERE, "..");
const CLI = join(PROJECT, "bin", "policyops.js");
const FLOOR = join(HERE, "floor.mjs");
const GEN = join(PROJECT, "..", "shared", "tools", "gen-corpus.mjs");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const has = (flag) => process.argv.includes(`--${flag}`);
const DOCS = Number(arg("docs", 10000));
const RUNS = Number(arg("runs", 3));
const OUT = arg("out", join(HERE, "results.md"));
const CORPUS_ROOT = arg("corpus-root", join(HERE, ".corpus"));
const TODAY = "2026-06-30";
const log = (s) => process.stderr.write(s + "\n");

// ---------------------------------------------------------------------------------------
// The corpus: generated once, never written to by the benchmark (checked by fingerprint).

export async function corpus(docs, root = CORPUS_ROOT) {
  const dir = join(root, `${docs}-seed7`);
  const expect = `${dir}.expected.json`;
  // The generator's output is fingerprinted when written; a corpus that differs since (an
  // older harness appended to documents and left a cache and peer configs in it) is regenerated.
  const print = `${dir}.sha256`;
  if (existsSync(expect) && (!existsSync(print) || readFileSync(print, "utf8").trim() !== fingerprint(dir))) {
    log(`corpus ${dir} is not as the generator wrote it: regenerating`);
    rmSync(expect, { force: true });
  }
  if (!existsSync(expect)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    execFileSync(process.execPath, [GEN, "--out", dir, "--docs", String(docs), "--seed", "7", "--today", TODAY, "--expect", expect]);
    writeFileSync(print, fingerprint(dir) + "\n");
  }
  const generated = JSON.parse(readFileSync(expect, "utf8"));
  // The generator's labels, with the SPEC §2 models it predates applied (bench/expected.mjs): the renewal model of auto-renewing licences, continuity/test-overdue.
  const findings = await applySpecModels(dir, TODAY, generated.findings);
  return { dir, expected: { ...generated, injected: generated.findings.length, findings } };
}

/** A hash of every path and byte under `dir`, dot entries included: any change shows. */
export function fingerprint(dir) {
  const hash = createHash("sha256");
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      hash.update(`${relative(dir, p)}\0${e.isDirectory() ? "d" : "f"}\0`);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) hash.update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/** A scratch copy of `dir` in the system temp folder, for runs that write (caches, edits, peer configs). */
function scratchCopy(dir) {
  const base = mkdtempSync(join(tmpdir(), "policyops-bench-"));
  const copy = join(base, "corpus");
  cpSync(dir, copy, { recursive: true });
  return { dir: copy, base, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Exact match of reported findings with the injected defects: {missing, extra}. */
function compare(findings, expected) {
  const pool = new Map();
  for (const f of findings) pool.set(`${f.code} ${f.file}`, [...(pool.get(`${f.code} ${f.file}`) ?? []), f.line]);
  let missing = 0;
  for (const e of expected) {
    const lines = pool.get(`${e.code} ${e.file}`) ?? [];
    const i = lines.findIndex((l) => e.line === null || l === e.line);
    if (i === -1) missing++;
    else lines.splice(i, 1);
  }
  const extra = [...pool.values()].reduce((n, l) => n + l.length, 0);
  return { missing, extra };
}

/** Kinds, folders and formats as policyops itself reported the corpus's documents (no list of kinds here). */
function layoutOf(documents) {
  const seen = new Map();
  for (const d of documents) {
    const folder = d.file.split("/")[0];
    if (!seen.has(d.kind)) seen.set(d.kind, { kind: d.kind, folder, format: /\.md$/i.test(d.file) ? "markdown" : "yaml" });
  }
  return [...seen.values()];
}

/**
 * Folders whose Markdown bodies the engine tokenizes on every cold run (kinds with required
 * sections; other bodies only when they hold `[` or `<`). Read from the schemas'
 * `x-policyops.sections` (SPEC §1 "Kinds are data") when they carry it, else from the
 * engine's source (src/engine/facts/parse-file.ts, BODY_ALWAYS), so the floor follows the
 * engine rather than a list kept here.
 */
function alwaysTokenized(layout) {
  const kinds = new Set();
  const schemaDir = join(PROJECT, "schemas");
  let declared = false;
  for (const f of readdirSync(schemaDir).filter((n) => n.endsWith(".schema.json"))) {
    const x = JSON.parse(readFileSync(join(schemaDir, f), "utf8"))["x-policyops"];
    if (!x) continue;
    declared = true;
    if (Array.isArray(x.sections) && x.sections.length) kinds.add(x.kind);
  }
  let source = "schemas' `x-policyops.sections`";
  if (!declared) {
    const src = join(PROJECT, "src", "engine", "load", "parse-file.ts");
    const m = existsSync(src) ? /BODY_ALWAYS[^=]*=\s*new Set<Kind>\(\[([^\]]*)\]\)/.exec(readFileSync(src, "utf8")) : null;
    if (!m) throw new Error("cannot tell which bodies the engine always tokenizes: no `x-policyops.sections` in schemas/ and no BODY_ALWAYS in src/engine/facts/parse-file.ts; update bench/run.mjs alwaysTokenized()");
    for (const k of m[1].matchAll(/"([^"]+)"/g)) kinds.add(k[1]);
    source = "`BODY_ALWAYS` in src/engine/facts/parse-file.ts";
  }
  return { folders: layout.filter((l) => kinds.has(l.kind)).map((l) => l.folder), source };
}

// ---------------------------------------------------------------------------------------
// Measurements: one function each, every one returning spreads from bench/measure.mjs.

function floorRun(mode, dir, always) {
  return sample(RUNS, () => {
    const r = nodeMeasured([FLOOR, mode, dir, "--always", always.join(",")]);
    if (r.status !== 0) throw new Error(`floor ${mode}: ${r.stderr}`);
    return { ...r, inner: JSON.parse(r.stdout.trim().split("\n").pop()) };
  });
}

function validateRun(dir, extra = [], env = {}) {
  const r = nodeMeasured([CLI, "validate", dir, "--format", "json", "--today", TODAY, ...extra], { env });
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  return { ...r, result: JSON.parse(r.stdout) };
}

function cold(dir, expected, env = {}) {
  const s = sample(RUNS, () => validateRun(dir, [], env));
  return { ...s, check: compare(s.runs.at(-1).result.findings, expected.findings), result: s.runs.at(-1).result };
}

/**
 * Warm --cache runs on a scratch copy; the cache (inside the copy) and the machine key (XDG_CACHE_HOME) are deleted after.
 * Each run is a fresh process (POLICYOPS_DAEMON=off: a daemon the user may run is not used); warmDaemon measures served runs.
 */
function warm(dir, expected, sopFolder) {
  const copy = scratchCopy(dir);
  const env = { XDG_CACHE_HOME: join(copy.base, "xdg-cache"), POLICYOPS_DAEMON: "off" };
  try {
    validateRun(copy.dir, ["--cache"], env); // fill the cache
    const cacheAt = [".policyops-cache", "node_modules/.cache/policyops"].filter((p) => existsSync(join(copy.dir, p)));
    const sops = readdirSync(join(copy.dir, sopFolder)).filter((f) => f.endsWith(".md")).sort();
    const s = sample(RUNS, (i) => {
      appendFileSync(join(copy.dir, sopFolder, sops[i % sops.length]), `\nEdited for the warm benchmark, run ${i}.\n`);
      return validateRun(copy.dir, ["--cache"], env);
    });
    return { ...s, check: compare(s.runs.at(-1).result.findings, expected.findings), cacheAt };
  } finally {
    copy.remove();
  }
}

/**
 * Warm --cache runs served by `policyops daemon` (its own runtime folder, started after the cache
 * is filled and stopped after), on a scratch copy, the same edits as warm(). The daemon's first
 * run is reported apart: it compiles the code once per daemon, as a fresh process does every run.
 */
function warmDaemon(dir, expected, sopFolder) {
  const copy = scratchCopy(dir);
  const env = { XDG_CACHE_HOME: join(copy.base, "xdg-cache"), ...daemonEnv(copy.base) };
  try {
    validateRun(copy.dir, ["--cache"], { ...env, POLICYOPS_DAEMON: "off" }); // fill the cache
    const sops = readdirSync(join(copy.dir, sopFolder)).filter((f) => f.endsWith(".md")).sort();
    const daemon = startDaemon(CLI, env);
    try {
      const edit = (i) => appendFileSync(join(copy.dir, sopFolder, sops[i % sops.length]), `\nEdited for the warm benchmark, run ${i}.\n`);
      const { runs, first } = servedRuns(daemon, RUNS, (i) => (edit(i), validateRun(copy.dir, ["--cache"], env)));
      const s = { runs, wallMs: spread(runs.map((r) => r.wallMs)), cpuMs: spread(runs.map((r) => r.cpuMs)), maxRssKiB: spread(runs.map((r) => r.maxRssKiB)) };
      const uncached = validateRun(copy.dir, [], env).stdout;
      return { ...s, first, daemonCpuMs: spread(runs.map((r) => r.daemonCpuMs)), daemonRssKiB: daemon.peakRssKiB(), same: runs.at(-1).stdout === uncached, check: compare(runs.at(-1).result.findings, expected.findings) };
    } finally {
      daemon.stop();
    }
  } finally {
    copy.remove();
  }
}

async function incremental(dir, layout, always) {
  const { load } = await import(join(PROJECT, "dist", "engine.js"));
  const ws = await load(dir, { today: TODAY, git: false });
  // An edited body: a Markdown kind with required sections; a structural edit: the kind
  // the body's documents reference by id (the first such kind, as the corpus lays them out).
  const docs = ws.documents();
  const bodyKind = layout.find((l) => l.folder === always.at(-1))?.kind;
  const structKind = layout.find((l) => l.folder === always[0])?.kind;
  const bodies = docs.filter((d) => d.kind === bodyKind).map((d) => d.file);
  const structural = docs.filter((d) => d.kind === structKind).map((d) => d.file);
  let seed = 42;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const body = [];
  const struct = [];
  for (let i = 0; i < 200; i++) {
    const isBody = i % 2 === 0;
    const file = isBody ? bodies[rand(bodies.length)] : structural[rand(structural.length)];
    const text = readFileSync(join(dir, file), "utf8");
    const edited = isBody
      ? text.replace(/## Scope\n\n/, `## Scope\n\nEdit ${i}. `)
      : i % 4 === 1
        ? text.replace(/^id: ([A-Z]+)-(\d+)$/m, "id: $1-9$2") // an id change: references to it break
        : text.replace("## Purpose", `## Purpose ${i}`); // a heading change: links to #purpose break
    const t0 = performance.now();
    ws.update(file, edited);
    (isBody ? body : struct).push(performance.now() - t0);
    ws.update(file, text); // restore, unmeasured
  }
  // A large document (issue 14): one body grown to about 100 KB of sections and links to
  // its own headings, then 50 small edits of it, each timed from update to findings.
  const bigFile = bodies[0];
  const original = readFileSync(join(dir, bigFile), "utf8");
  let extra = "";
  for (let i = 0; extra.length < 100 * 1024; i++) extra += `\n## Control area ${i}\n\nSee [area ${i}](#control-area-${i}) and [the scope](#scope); *emphasis* and \`code\` here.\n`;
  const big = original + extra;
  ws.update(bigFile, big);
  const large = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    ws.update(bigFile, big.replace("## Control area 7\n", `## Control area 7\n\nEdit ${i}.\n`));
    ws.findings();
    large.push(performance.now() - t0);
  }
  ws.update(bigFile, original);
  const stats = (xs) => ({ ...spread(xs), p50: percentile(xs, 50), p95: percentile(xs, 95) });
  return { body: stats(body), structural: stats(struct), large: { ...stats(large), bytes: Buffer.byteLength(big) }, bodyKind, structKind };
}

// ---------------------------------------------------------------------------------------
// Formatting.

const s2 = (ms) => (ms == null ? "n/a" : (ms / 1000).toFixed(2));
const mib = (kib) => (kib == null ? "n/a" : `${Math.round(kib / 1024)} MiB`);
/** `min / median / max` seconds. */
const range = (sp) => (sp ? `${s2(sp.min)} / **${s2(sp.median)}** / ${s2(sp.max)} s` : "n/a");
/** A ratio of medians, with the widest range the runs allow (min÷max … max÷min). */
const ratio = (a, b) => (a && b ? `${(a.median / b.median).toFixed(2)} (${(a.min / b.max).toFixed(2)}–${(a.max / b.min).toFixed(2)})` : "n/a");
const mbps = (bytes, sp) => (sp ? ((bytes / 2 ** 20) / (sp.median / 1000)).toFixed(1) : "n/a");
const load = () => loadavg().map((x) => x.toFixed(2)).join(", ");

// ---------------------------------------------------------------------------------------

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const loadBefore = load();
  const started = new Date();
  const { dir, expected } = await corpus(DOCS);
  const before = fingerprint(dir);
  log(`corpus: ${expected.documents} documents, ${expected.injected} injected defects, ${expected.findings.length} expected findings (${dir}); load average ${loadBefore}`);

  const coldPar = cold(dir, expected);
  log(`policyops cold (default threads): ${range(coldPar.wallMs)}, CPU ${range(coldPar.cpuMs)}, ${mib(coldPar.maxRssKiB?.median)}, ${JSON.stringify(coldPar.check)}`);
  const layout = layoutOf(coldPar.result.documents);
  const always = alwaysTokenized(layout);
  log(`layout: ${layout.map((l) => `${l.kind}→${l.folder}`).join(", ")}; bodies always tokenized: ${always.folders.join(", ")} (${always.source})`);

  const floors = {};
  for (const mode of ["start", "stat", "read", "floor", "micromark", "unified"]) {
    floors[mode] = floorRun(mode, dir, always.folders);
    log(`${mode}: ${range(floors[mode].wallMs)}, CPU ${range(floors[mode].cpuMs)}, ${mib(floors[mode].maxRssKiB?.median)}`);
  }
  const bytes = floors.read.runs[0].inner.bytes;
  const coldTwo = cold(dir, expected, { POLICYOPS_WORKERS: "2" });
  log(`policyops cold (POLICYOPS_WORKERS=2): ${range(coldTwo.wallMs)}, CPU ${range(coldTwo.cpuMs)}, ${mib(coldTwo.maxRssKiB?.median)}`);
  const warmRun = warm(dir, expected, always.folders.at(-1));
  log(`policyops warm --cache, one file changed: ${range(warmRun.wallMs)}, ${mib(warmRun.maxRssKiB?.median)} (cache was at ${warmRun.cacheAt.join(", ") || "?"} in the scratch copy, deleted)`);
  log(`warm ÷ cold (default threads): wall ${ratio(warmRun.wallMs, coldPar.wallMs)}, CPU ${ratio(warmRun.cpuMs, coldPar.cpuMs)}; stat floor ÷ cold: wall ${ratio(floors.stat.wallMs, coldPar.wallMs)}`);
  const served = warmDaemon(dir, expected, always.folders.at(-1));
  log(`policyops warm --cache served by the daemon: ${range(served.wallMs)}, CPU (client + daemon) ${range(served.cpuMs)}; first served run ${(served.first.wallMs / 1000).toFixed(2)} s; output = uncached: ${served.same}`);
  log(`served ÷ cold (default threads): wall ${ratio(served.wallMs, coldPar.wallMs)}, CPU ${ratio(served.cpuMs, coldPar.cpuMs)}`);
  const inc = has("no-incremental") ? null : await incremental(dir, layout, always.folders);
  // The language server on the same corpus (bench/lsp.mjs): edits are unsaved buffers, the corpus is not written.
  const lsp = has("no-lsp") ? null : await (await import("./lsp.mjs")).lspBench(dir, { today: TODAY, peers: !has("no-peers") });
  if (inc) log(`incremental: body p50 ${inc.body.p50.toFixed(2)} ms p95 ${inc.body.p95.toFixed(2)} ms; id/heading p50 ${inc.structural.p50.toFixed(2)} ms p95 ${inc.structural.p95.toFixed(2)} ms; ${Math.round(inc.large.bytes / 1024)} KB document p50 ${inc.large.p50.toFixed(2)} ms p95 ${inc.large.p95.toFixed(2)} ms`);

  let peers = [];
  if (!has("no-peers")) {
    const { runPeers } = await import("./peers.mjs");
    const copy = scratchCopy(dir);
    try {
      peers = runPeers(copy.dir, expected.findings, layout);
    } finally {
      copy.remove();
    }
    for (const p of peers) log(`peer ${p.name}: ${s2(p.wallMs)} s, CPU ${s2(p.cpuMs)} s, ${mib(p.maxRssKiB)}, found ${p.found ?? "—"}/${p.of}, ${p.other} other messages`);
  }
  const curve = [];
  if (!has("no-curve")) {
    for (const docs of [1000, 10000, 50000]) {
      const c = await corpus(docs);
      const print = fingerprint(c.dir);
      const r = validateRun(c.dir);
      if (fingerprint(c.dir) !== print) throw new Error(`the ${docs}-document corpus changed during its run`);
      curve.push({ docs: c.expected.documents, ...r, check: compare(r.result.findings, c.expected.findings) });
      log(`curve ${docs}: ${s2(r.wallMs)} s, CPU ${s2(r.cpuMs)} s, ${mib(r.maxRssKiB)}`);
    }
  }
  if (!has("no-site")) {
    const { runSiteBench } = await import("./site.mjs");
    await runSiteBench({ dir, runs: 1, skipMkdocs: has("skip-mkdocs"), docs: DOCS, out: join(dirname(OUT), "site.md") });
  }
  const after = fingerprint(dir);
  if (after !== before) throw new Error(`the corpus ${dir} changed during the benchmark (fingerprint ${before.slice(0, 12)} → ${after.slice(0, 12)}); the benchmark must leave it as generated`);
  const loadAfter = load();

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const f = floors;
  const row = (name, s, extra = "") => `| ${name} | ${range(s.wallMs)} | ${range(s.cpuMs)} | ${mib(s.maxRssKiB?.median)} | ${mbps(bytes, s.wallMs)} |${extra}`;
  const md = `# Benchmark results

Generated by \`npm run bench\` on ${started.toISOString().slice(0, 16).replace("T", " ")} UTC; machine: ${machine}.
**Load average** (1, 5, 15 min) ${loadBefore} at the start, ${loadAfter} at the end: the machine is shared, so wall
times carry other work; CPU times (user + system) much less so.
Corpus: \`gen-corpus.mjs --docs ${DOCS} --seed 7\` (${expected.documents} documents, ${(bytes / 2 ** 20).toFixed(1)} MiB of governed files, ${expected.injected} injected defects), today ${TODAY};
expected findings: the generator's, with SPEC §2's renewal model applied to auto-renewing licences (bench/expected.mjs, as the corpus test does): ${expected.findings.length};
fingerprinted before and after the run: unchanged (warm runs and peers work on scratch copies, deleted after).
Every row is whole processes measured the same way: ${HOW_MEASURED}.
Times are **min / median / max** of ${RUNS} runs; ratios are of medians, with the widest range the runs allow (min÷max–max÷min).

## Floors (work policyops cannot avoid)

| work | wall | CPU | peak RSS (median) | MiB/s (median wall) |
|---|---|---|---|---|
${row("Node start-up, nothing else", f.start)}
${row("stat every governed file (walk the folders, read nothing): the floor of a warm run", f.stat)}
${row("read every governed file", f.read)}
${row(`**floor**: read + tokenize the bodies the engine tokenizes (${f.floor.runs[0].inner.bodies} of them), markdown-it 14.1.1 as the engine reads them (issue 14; micromark before)`, f.floor)}

The floor tokenizes what policyops tokenizes on a cold run: every body in ${always.folders.map((x) => `\`${x}/\``).join(", ")} (required sections; from ${always.source}) and any other body holding \`[\` or \`<\`. It reads no YAML: clean front matter is read by policyops without a YAML library.

## Baselines (more work than policyops: reference only, not floors)

| work | wall | CPU | peak RSS (median) | MiB/s (median wall) |
|---|---|---|---|---|
${row(`read + yaml \`parseDocument\` of every front matter and record + micromark with GFM and emphasis on every body (${f.micromark.runs[0].inner.bodies} bodies)`, f.micromark)}
${row("read + yaml `parseDocument` + unified/remark-parse/remark-frontmatter/remark-gfm mdast of every Markdown file", f.unified)}

## policyops

| run | wall | CPU | peak RSS (median) | MiB/s (median wall) | ÷ floor (wall) | ÷ floor (CPU) | ÷ micromark baseline (wall) | findings vs expected |
|---|---|---|---|---|---|---|---|---|
${row(`cold, default (${cpus().length >= 3 ? `${cpus().length} worker threads` : "one thread on 2 cores"})`, coldPar, ` ${ratio(coldPar.wallMs, f.floor.wallMs)} | ${ratio(coldPar.cpuMs, f.floor.cpuMs)} | ${ratio(coldPar.wallMs, f.micromark.wallMs)} | missing ${coldPar.check.missing}, extra ${coldPar.check.extra} |`)}
${row("cold, `POLICYOPS_WORKERS=2`", coldTwo, ` ${ratio(coldTwo.wallMs, f.floor.wallMs)} | ${ratio(coldTwo.cpuMs, f.floor.cpuMs)} | ${ratio(coldTwo.wallMs, f.micromark.wallMs)} | missing ${coldTwo.check.missing}, extra ${coldTwo.check.extra} |`)}
${row("warm `--cache`, one file changed since the previous run", warmRun, ` | | | missing ${warmRun.check.missing}, extra ${warmRun.check.extra} |`)}
${row("warm `--cache`, one file changed, served by `policyops daemon` (CPU: client + daemon; peak RSS: the client)", served, ` | | | missing ${served.check.missing}, extra ${served.check.extra} |`)}

Warm ÷ cold (default threads), from this run (issue 14's target is ≤ 0.15):
- each run a fresh process: wall ${ratio(warmRun.wallMs, coldPar.wallMs)}, CPU ${ratio(warmRun.cpuMs, coldPar.cpuMs)};
- served by \`policyops daemon\`: wall ${ratio(served.wallMs, coldPar.wallMs)}, CPU ${ratio(served.cpuMs, coldPar.cpuMs)} (of which the daemon ${s2(served.daemonCpuMs?.median)} s CPU a run; measured after the daemon had served ${SERVED_WARMUP} runs, the first of which, compiling the code once a daemon, took ${s2(served.first.wallMs)} s wall; the daemon's peak RSS ${mib(served.daemonRssKiB)}; the last served run's JSON ${served.same ? "equals" : "**differs from**"} an uncached run's).
A fresh process that only starts, walks the folders and stats every file (the stat floor, before it reads a cache or writes a
report) takes ${ratio(f.stat.wallMs, coldPar.wallMs)} of cold by wall; the warm run is ${ratio(warmRun.wallMs, f.stat.wallMs)} × that floor.

Warm runs work on a scratch copy of the corpus (each run appends a line to one \`${always.folders.at(-1)}/\` document); the cache
(${warmRun.cacheAt.map((p) => `\`${p}\``).join(", ") || "not found"} inside the copy) and the machine key (\`XDG_CACHE_HOME\` pointed at a scratch folder) are deleted after.
${inc ? `
## Incremental workspace (200 edits, \`Workspace.update\`, in-process)

| edit | min | p50 | p95 | max |
|---|---|---|---|---|
| body edit (\`${inc.bodyKind}\`) | ${inc.body.min.toFixed(2)} ms | ${inc.body.p50.toFixed(2)} ms | ${inc.body.p95.toFixed(2)} ms | ${inc.body.max.toFixed(2)} ms |
| id or heading change (\`${inc.structKind}\`) | ${inc.structural.min.toFixed(2)} ms | ${inc.structural.p50.toFixed(2)} ms | ${inc.structural.p95.toFixed(2)} ms | ${inc.structural.max.toFixed(2)} ms |
| a ${Math.round(inc.large.bytes / 1024)} KB document edited, then its findings (50 edits) | ${inc.large.min.toFixed(2)} ms | ${inc.large.p50.toFixed(2)} ms | ${inc.large.p95.toFixed(2)} ms | ${inc.large.max.toFixed(2)} ms |
` : ""}${peers.length ? `
## Peers on the same corpus (one run each, on a scratch copy)

Each checks a fraction of what policyops checks. A peer is credited with an injected defect only
when the defect is in its scope (its files, its classes of check) and it reported a message of the
same class on that file (and line, where both give one): remark-lint-frontmatter-schema's
\`#/properties/status/enum\` for \`schema/enum\`, ajv's \`keyword\` likewise. "Other messages" are
the rest: style notes, or false alarms such as ajv-cli reading \`2026-01-01\` as a YAML 1.1
timestamp (\`must be string\`). markdownlint checks Markdown style, which no injected defect is:
a speed reference only. ajv-cli stops at the first record it cannot parse and names no file.

| tool | checks | scope | wall | CPU | peak RSS | ÷ policyops cold (wall) | injected defects in scope found | other messages |
|---|---|---|---|---|---|---|---|---|
| policyops validate (median) | everything in SPEC §2 | all | ${s2(coldPar.wallMs.median)} s | ${s2(coldPar.cpuMs?.median)} s | ${mib(coldPar.maxRssKiB?.median)} | 1.00 | ${expected.findings.length - coldPar.check.missing} of ${expected.findings.length} expected | ${coldPar.check.extra} |
${peers.map((p) => `| ${p.name} | ${p.checks} | ${p.scope} | ${s2(p.wallMs)} s | ${s2(p.cpuMs)} s | ${mib(p.maxRssKiB)} | ${(p.wallMs / coldPar.wallMs.median).toFixed(2)} | ${p.found == null ? "— (speed reference)" : `${p.found} of ${p.of}`} | ${p.other} |`).join("\n")}
` : ""}${curve.length ? `
## Scaling (cold, default threads, one run each: no spread)

| documents | wall | CPU | peak RSS | µs CPU a document | findings vs expected |
|---|---|---|---|---|---|
${curve.map((c) => `| ${c.docs} | ${s2(c.wallMs)} s | ${s2(c.cpuMs)} s | ${mib(c.maxRssKiB)} | ${c.cpuMs == null ? "n/a" : Math.round((c.cpuMs * 1000) / c.docs)} | missing ${c.check.missing}, extra ${c.check.extra} |`).join("\n")}
` : ""}${lsp ? `\n${(await import("./lsp.mjs")).lspSection(lsp)}` : ""}`;
  const realWorld = has("no-real-world") ? "" : "\n" + (await (await import("./real-world-speed.mjs")).realWorldSection({ runs: RUNS, log, corpusDir: has("no-incremental") ? null : dir }));
  writeFileSync(OUT, md + realWorld);
  process.stdout.write(md + realWorld);
  if (!has("no-pathological")) {
    const { runPathological } = await import("./pathological.mjs");
    process.stdout.write("\n" + runPathological().md);
  }
}
