#!/usr/bin/env node
// The PolicyOps benchmark: `npm run bench` (not part of `npm test`).
//
// On a generated corpus (../shared/tools/gen-corpus.mjs, seed 7) it measures, in one run:
// the parse floors (read; + yaml; + micromark; + unified/remark, the "unified floor"),
// policyops validate cold (2 workers and 1), warm with --cache after one file changed,
// and the incremental workspace (p50/p95 of update() for body edits and for id/heading
// edits), checks the findings against the corpus's expected ones, and writes
// bench/results.md; then the peers (bench/peers.mjs) on the same corpus, and the scaling
// curve 1k → 10k → 50k documents; then the pathological inputs (bench/pathological.mjs,
// written to bench/pathological.md). Options: --docs N (default 10000), --runs N (default 3),
// --no-peers, --no-curve, --no-pathological.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, percentile, timeNode } from "./measure.mjs";
import { runPathological } from "./pathological.mjs";
import { runPeers } from "./peers.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(HERE, "..");
const CLI = join(PROJECT, "bin", "policyops.js");
const GEN = join(PROJECT, "..", "shared", "tools", "gen-corpus.mjs");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const DOCS = Number(arg("docs", 10000));
const RUNS = Number(arg("runs", 3));
const TODAY = "2026-06-30";
const log = (s) => process.stderr.write(s + "\n");

function corpus(docs) {
  const dir = join(HERE, ".corpus", `${docs}-seed7`);
  const expect = `${dir}.expected.json`;
  if (!existsSync(expect)) {
    mkdirSync(join(HERE, ".corpus"), { recursive: true });
    execFileSync(process.execPath, [GEN, "--out", dir, "--docs", String(docs), "--seed", "7", "--today", TODAY, "--expect", expect]);
  }
  return { dir, expected: JSON.parse(readFileSync(expect, "utf8")) };
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

const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const fmtMiB = (kib) => (kib == null ? "n/a" : `${Math.round(kib / 1024)} MiB`);

function floor(mode, dir) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = timeNode([join(HERE, "floor.mjs"), mode, dir]);
    if (r.status !== 0) throw new Error(r.stderr);
    runs.push(JSON.parse(r.stdout.trim().split("\n").pop()));
  }
  return { ms: median(runs.map((r) => r.ms)), maxRssKiB: median(runs.map((r) => r.maxRssKiB)) };
}

function validateRun(dir, extra = [], env = {}) {
  const r = timeNode([CLI, "validate", dir, "--format", "json", "--today", TODAY, ...extra], { env });
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  return { ...r, result: JSON.parse(r.stdout) };
}

function cold(dir, expected, env = {}) {
  const runs = [];
  let check;
  for (let i = 0; i < RUNS; i++) {
    const r = validateRun(dir, [], env);
    runs.push(r);
    check = compare(r.result.findings, expected.findings);
  }
  return { wallMs: median(runs.map((r) => r.wallMs)), maxRssKiB: median(runs.map((r) => r.maxRssKiB)), check };
}

function warm(dir, expected) {
  validateRun(dir, ["--cache"]); // fill the cache
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const file = join(dir, "sops", `sop-${String(i + 1).padStart(5, "0")}.md`);
    appendFileSync(file, `\nEdited for the warm benchmark, run ${i}.\n`);
    runs.push(validateRun(dir, ["--cache"]));
  }
  return { wallMs: median(runs.map((r) => r.wallMs)), maxRssKiB: median(runs.map((r) => r.maxRssKiB)), check: compare(runs.at(-1).result.findings, expected.findings) };
}

async function incremental(dir) {
  const { load } = await import(join(PROJECT, "dist", "engine.js"));
  const ws = await load(dir, { today: TODAY, git: false });
  const sops = ws.documents().filter((d) => d.kind === "sop").map((d) => d.file);
  const policies = ws.documents().filter((d) => d.kind === "policy").map((d) => d.file);
  let seed = 42;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const body = [];
  const structural = [];
  for (let i = 0; i < 200; i++) {
    const isBody = i % 2 === 0;
    const file = isBody ? sops[rand(sops.length)] : policies[rand(policies.length)];
    const text = readFileSync(join(dir, file), "utf8");
    const edited = isBody
      ? text.replace(/## Scope\n\n/, `## Scope\n\nEdit ${i}. `)
      : i % 4 === 1
        ? text.replace(/^id: POL-(\d+)$/m, "id: POL-9$1") // an id change: its sops' references break
        : text.replace("## Purpose", `## Purpose ${i}`); // a heading change: links to #purpose break
    const t0 = performance.now();
    ws.update(file, edited);
    (isBody ? body : structural).push(performance.now() - t0);
    ws.update(file, text); // restore, unmeasured
  }
  return { body: { p50: percentile(body, 50), p95: percentile(body, 95) }, structural: { p50: percentile(structural, 50), p95: percentile(structural, 95) } };
}

const { dir, expected } = corpus(DOCS);
log(`corpus: ${expected.documents} documents, ${expected.findings.length} injected defects (${dir})`);
const floors = {};
for (const mode of ["read", "yaml", "micromark", "unified"]) {
  floors[mode] = floor(mode, dir);
  log(`floor ${mode}: ${fmtS(floors[mode].ms)}, ${fmtMiB(floors[mode].maxRssKiB)}`);
}
const coldPar = cold(dir, expected);
log(`policyops cold (default threads): ${fmtS(coldPar.wallMs)}, ${fmtMiB(coldPar.maxRssKiB)}, ${JSON.stringify(coldPar.check)}`);
const coldOne = cold(dir, expected, { POLICYOPS_WORKERS: "2" });
log(`policyops cold (2 worker threads): ${fmtS(coldOne.wallMs)}, ${fmtMiB(coldOne.maxRssKiB)}`);
const warmRun = warm(dir, expected);
log(`policyops warm --cache, one file changed: ${fmtS(warmRun.wallMs)}, ${fmtMiB(warmRun.maxRssKiB)}`);
const inc = await incremental(dir);
log(`incremental: body p50 ${inc.body.p50.toFixed(2)} ms p95 ${inc.body.p95.toFixed(2)} ms; id/heading p50 ${inc.structural.p50.toFixed(2)} ms p95 ${inc.structural.p95.toFixed(2)} ms`);

let peers = [];
if (!process.argv.includes("--no-peers")) {
  peers = runPeers(dir, expected.findings);
  for (const p of peers) log(`peer ${p.name}: ${fmtS(p.wallMs)}, ${fmtMiB(p.maxRssKiB)}, found ${p.found}/${p.of}, ${p.elsewhere} messages elsewhere`);
}
const curve = [];
if (!process.argv.includes("--no-curve")) {
  for (const docs of [1000, 10000, 50000]) {
    const c = corpus(docs);
    const r = validateRun(c.dir);
    curve.push({ docs: c.expected.documents, wallMs: r.wallMs, maxRssKiB: r.maxRssKiB, check: compare(r.result.findings, c.expected.findings) });
    log(`curve ${docs}: ${fmtS(r.wallMs)}, ${fmtMiB(r.maxRssKiB)}`);
  }
}

const ratio = (a, b) => (a / b).toFixed(2);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const md = `# Benchmark results

Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.
Corpus: \`gen-corpus.mjs --docs ${DOCS} --seed 7\` (${expected.documents} documents, ${expected.findings.length} injected defects), today ${TODAY}. Medians of ${RUNS} runs; wall time includes process start-up for policyops runs, not for floors (in-process timers).

## Parse floors (single thread)

| work | wall | peak RSS |
|---|---|---|
| read every file | ${fmtS(floors.read.ms)} | ${fmtMiB(floors.read.maxRssKiB)} |
| + yaml \`parseDocument\` | ${fmtS(floors.yaml.ms)} | ${fmtMiB(floors.yaml.maxRssKiB)} |
| + micromark events (the libraries policyops uses) | ${fmtS(floors.micromark.ms)} | ${fmtMiB(floors.micromark.maxRssKiB)} |
| + unified/remark-parse/remark-frontmatter/remark-gfm (the unified floor) | ${fmtS(floors.unified.ms)} | ${fmtMiB(floors.unified.maxRssKiB)} |

## policyops

| run | wall | peak RSS | ÷ micromark floor | ÷ unified floor | findings vs expected |
|---|---|---|---|---|---|
| cold, default (${cpus().length >= 3 ? `${cpus().length} worker threads` : "one thread on 2 cores"}) | ${fmtS(coldPar.wallMs)} | ${fmtMiB(coldPar.maxRssKiB)} | ${ratio(coldPar.wallMs, floors.micromark.ms)} | ${ratio(coldPar.wallMs, floors.unified.ms)} | missing ${coldPar.check.missing}, extra ${coldPar.check.extra} |
| cold, \`POLICYOPS_WORKERS=2\` | ${fmtS(coldOne.wallMs)} | ${fmtMiB(coldOne.maxRssKiB)} | ${ratio(coldOne.wallMs, floors.micromark.ms)} | ${ratio(coldOne.wallMs, floors.unified.ms)} | missing ${coldOne.check.missing}, extra ${coldOne.check.extra} |
| warm \`--cache\`, one file changed | ${fmtS(warmRun.wallMs)} | ${fmtMiB(warmRun.maxRssKiB)} | | | missing ${warmRun.check.missing}, extra ${warmRun.check.extra} |

## Incremental workspace (200 edits, \`Workspace.update\`)

| edit | p50 | p95 |
|---|---|---|
| body edit | ${inc.body.p50.toFixed(2)} ms | ${inc.body.p95.toFixed(2)} ms |
| id or heading change | ${inc.structural.p50.toFixed(2)} ms | ${inc.structural.p95.toFixed(2)} ms |
${peers.length ? `
## Peers on the same corpus

Each checks a fraction of what policyops checks. "Found" counts injected defects a peer
reported in the right file (and on the right line where both give one); "elsewhere" counts
its messages that point at no injected defect (style notes, or false alarms such as
ajv-cli reading 2026-01-01 as a YAML 1.1 timestamp, not a string).

| tool | checks | wall | peak RSS | ÷ policyops cold | injected defects found | messages elsewhere |
|---|---|---|---|---|---|---|
| policyops validate | everything in SPEC §2 | ${fmtS(coldPar.wallMs)} | ${fmtMiB(coldPar.maxRssKiB)} | 1.00 | ${expected.findings.length - coldPar.check.missing} of ${expected.findings.length} | ${coldPar.check.extra} |
${peers.map((p) => `| ${p.name} | ${p.checks} | ${fmtS(p.wallMs)} | ${fmtMiB(p.maxRssKiB)} | ${ratio(p.wallMs, coldPar.wallMs)} | ${p.found} of ${p.of} | ${p.elsewhere} |`).join("\n")}
` : ""}${curve.length ? `
## Scaling (cold, default threads, one run each)

| documents | wall | peak RSS | µs a document | findings vs expected |
|---|---|---|---|---|
${curve.map((c) => `| ${c.docs} | ${fmtS(c.wallMs)} | ${fmtMiB(c.maxRssKiB)} | ${Math.round((c.wallMs * 1000) / c.docs)} | missing ${c.check.missing}, extra ${c.check.extra} |`).join("\n")}
` : ""}`;
writeFileSync(join(HERE, "results.md"), md);
process.stdout.write(md);
if (!process.argv.includes("--no-pathological")) process.stdout.write("\n" + runPathological().md);
