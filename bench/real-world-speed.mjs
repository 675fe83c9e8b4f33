#!/usr/bin/env node
// Throughput on real documentation repositories, against a markdown-it floor (issue 14):
//
//   POLICYOPS_REAL_WORLD=/tmp/rw node bench/real-world-speed.mjs [--runs 3] [--edits 60] [--only NAME] [--out FILE] [--corpus DIR] [--editor-only]
//
// For each repository of REPOS found under $POLICYOPS_REAL_WORLD (extracted snapshots, see
// bench/real-world.md; nothing of them is in this repository), with the config
// `paths: { manual: FOLDER }` written to a scratch folder, and in the same run:
//   (a) floor: a Node process that reads every `.md` file under FOLDER and runs markdown-it
//       14.1.1's `parse` (default preset: CommonMark + tables + strikethrough) on each;
//   (b) `policyops validate ROOT --config … --format json` with the default workers and with
//       POLICYOPS_WORKERS=1 ("one core");
// each a whole process timed by bench/measure.mjs's spawnMeasured (wall from the parent,
// CPU and peak RSS from GNU time), N runs, min / median / max; then
//   (c) the editor-sized step: load the workspace in-process and time `Workspace.update` of
//       one ~85–100 KB page (an edit in its body) + `findingsFor` it, over --edits edits, p50/p95.
// Without $POLICYOPS_REAL_WORLD, or with none of the repositories under it, it says so and
// does (c) on a generated 100 KB manual added in memory to the benchmark's corpus instead.
// `npm run bench` runs this section through realWorldSection(); alone it prints the Markdown.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeMeasured, percentile, sample } from "./measure.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(HERE, "..");
const CLI = join(PROJECT, "bin", "policyops.js");
const SELF = fileURLToPath(import.meta.url);
const TODAY = "2026-11-22";

/** The repositories, as extracted under $POLICYOPS_REAL_WORLD (`git archive HEAD | tar -x -C DIR/<dir>`). */
export const REPOS = [
  { name: "nodejs/nodejs.org", dir: "nodejs.org", folder: "apps/site/pages" },
  { name: "gohugoio/hugoDocs", dir: "hugodocs", folder: "content/en" },
  { name: "MicrosoftDocs/office-docs-powershell", dir: "office-docs-powershell", folder: "exchange" },
];

/** Every `.md` file under dir (dot entries and node_modules skipped, as the engine walks). */
function markdownFiles(dir, into = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) markdownFiles(p, into);
    else if (e.isFile() && e.name.toLowerCase().endsWith(".md")) into.push(p);
  }
  return into;
}

// (a) The floor, run as its own process: `node bench/real-world-speed.mjs --floor DIR`.
// markdown-it is imported inside the timed process: module loading is part of the floor.
async function floorChild(dir) {
  const { default: MarkdownIt } = await import("markdown-it");
  const md = new MarkdownIt();
  let bytes = 0;
  let tokens = 0;
  const files = markdownFiles(dir);
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    bytes += Buffer.byteLength(text);
    tokens += md.parse(text, {}).length;
  }
  process.stdout.write(JSON.stringify({ files: files.length, bytes, tokens }) + "\n");
}

// (c) Editor-sized work: one page of ~85–100 KB edited `edits` times through Workspace.update.
// `kind` "sentence": a sentence with a link inserted at the start of a body paragraph (a line
// after an empty line, starting with a letter); "typing": one character typed 10 columns into
// a body line of 20 or more characters (list items, table rows and code included), as a
// keystroke in an editor is.
async function editorSized(ws, file, text, edits, kind = "sentence") {
  const bodyAt = text.indexOf("\n---", 3) + 4;
  const points = [];
  if (kind === "typing") {
    for (const m of text.matchAll(/\n[^\n]{20,}/g)) if (m.index > bodyAt) points.push(m.index + 1 + 10);
  } else for (const m of text.matchAll(/\n\n(?=[A-Za-z])/g)) if (m.index > bodyAt) points.push(m.index + 2);
  if (!points.length) points.push(text.length);
  const times = [];
  const cpu = [];
  let findings = 0;
  for (let i = 0; i < edits; i++) {
    const at = points[(i * 7919) % points.length];
    const edited = kind === "typing" ? `${text.slice(0, at)}x${text.slice(at)}` : `${text.slice(0, at)}Edit ${i}, see [the notes](#notes-${i}). ${text.slice(at)}`;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    ws.update(file, edited);
    findings = ws.findingsFor(file).length; // what an editor publishes for the page
    const c = process.cpuUsage(c0); // this process's CPU: steadier than wall on a shared machine
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
    ws.update(file, text); // restore, unmeasured
  }
  return { file, kind, kb: Buffer.byteLength(text) / 1024, edits, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times), cpuP50: percentile(cpu, 50), cpuP95: percentile(cpu, 95), findings };
}

/** A ~100 KB manual in the corpus's style (generated, in memory only): sections of prose with links. */
function generatedPage() {
  let s = "---\nid: MAN-9999\ntitle: Generated operations manual\nowner: IT\nversion: \"1.0\"\nstatus: draft\n---\n\n## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n";
  for (let i = 0; s.length < 100 * 1024; i++) s += `## Procedure ${i}\n\nRun the step ${i} as described in [the policy](../policies/x.md) and [section ${i}](#procedure-${i}). ${"Text of the procedure, with `code` and *emphasis*. ".repeat(6)}\n\n`;
  return s;
}

const mb = (bytes) => bytes / 2 ** 20;
const s2 = (ms) => (ms / 1000).toFixed(2);
const range = (sp) => (sp ? `${s2(sp.min)} / **${s2(sp.median)}** / ${s2(sp.max)} s` : "n/a");
const mib = (kib) => (kib == null ? "n/a" : `${Math.round(kib / 1024)} MiB`);

/**
 * Runs the section; returns its Markdown. `log` gets progress lines. `corpusDir`: where the
 * editor-sized step runs when no repository is found (none: it is skipped as well).
 */
export async function realWorldSection({ runs = 3, edits = 60, only = null, log = () => {}, corpusDir = null, editorOnly = false } = {}) {
  const base = process.env.POLICYOPS_REAL_WORLD;
  const found = base ? REPOS.filter((r) => (!only || r.name.includes(only)) && existsSync(join(base, r.dir, r.folder))) : [];
  const { load } = await import(join(PROJECT, "dist", "engine.js"));
  const head = `## Real-world repositories (issue 14)\n\nLoad average at the start ${loadavg().map((x) => x.toFixed(2)).join(", ")} on ${cpus().length} cores; today ${TODAY}; ${runs} runs each, min / **median** / max.\n`;
  if (!found.length) {
    const why = base ? `none of ${REPOS.map((r) => `\`${r.dir}/${r.folder}\``).join(", ")} is under \`${base}\`` : "`POLICYOPS_REAL_WORLD` is not set";
    log(`real-world section SKIPPED: ${why} (extract the repositories as bench/real-world.md says and set POLICYOPS_REAL_WORLD)`);
    if (!corpusDir) return `${head}\n**Skipped**: ${why}; the editor-sized step on a generated page skipped too (no corpus given).\n`;
    // The editor-sized step still runs, on a generated 100 KB manual added in memory to the
    // benchmark's corpus (the 10k corpus under `npm run bench`); nothing is written to it.
    const ws = await load(corpusDir, { today: "2026-06-30", git: false });
    const page = generatedPage();
    const file = `${ws.config.paths.manual ?? "manuals"}/generated-100kb.md`;
    ws.add(file, page);
    const e = await editorSized(ws, file, page, edits);
    log(`editor-sized (generated page in ${corpusDir}): p50 ${e.p50.toFixed(1)} ms, p95 ${e.p95.toFixed(1)} ms`);
    return `${head}\n**Skipped**: ${why}. Only the editor-sized step ran, on a generated ${e.kb.toFixed(0)} KB manual added in memory to the corpus \`${corpusDir}\`: ${e.edits} edits, \`Workspace.update\` + \`findingsFor\` p50 **${e.p50.toFixed(1)} ms**, p95 **${e.p95.toFixed(1)} ms**, max ${e.max.toFixed(1)} ms (target p95 ≤ 10 ms).\n`;
  }

  const scratch = mkdtempSync(join(tmpdir(), "policyops-rw-speed-"));
  const rows = [];
  const editor = [];
  try {
    for (const r of found) {
      const root = join(base, r.dir);
      const config = join(scratch, `${r.dir}.policyops.yaml`);
      writeFileSync(config, `paths:\n  manual: ${r.folder}\n`);
      if (!editorOnly) {
        const floor = sample(runs, () => {
          const x = nodeMeasured([SELF, "--floor", join(root, r.folder)]);
          if (x.status !== 0) throw new Error(`floor failed on ${r.name}: ${x.stderr}`);
          return { ...x, inner: JSON.parse(x.stdout) };
        });
        const { files, bytes } = floor.runs[0].inner;
        log(`${r.name}: floor ${range(floor.wallMs)}, CPU ${floor.cpuMs ? s2(floor.cpuMs.median) : "n/a"} s, ${mib(floor.maxRssKiB.max)}, ${files} files, ${mb(bytes).toFixed(1)} MiB`);
        const validate = (env) =>
          sample(runs, () => {
            const x = nodeMeasured([CLI, "validate", root, "--config", config, "--format", "json", "--today", TODAY], { env });
            if (x.status !== 0 && x.status !== 1) throw new Error(`validate exited ${x.status} on ${r.name}: ${x.stderr.slice(0, 500)}`);
            const report = JSON.parse(x.stdout);
            return { wallMs: x.wallMs, cpuMs: x.cpuMs, maxRssKiB: x.maxRssKiB, findings: report.findings.length, documents: report.summary.documents };
          });
        const dflt = validate({});
        log(`${r.name}: validate (default workers) ${range(dflt.wallMs)}, CPU ${dflt.cpuMs ? s2(dflt.cpuMs.median) : "n/a"} s, ${mib(dflt.maxRssKiB.max)}, ${dflt.runs[0].findings} findings`);
        const one = validate({ POLICYOPS_WORKERS: "1" });
        log(`${r.name}: validate (POLICYOPS_WORKERS=1) ${range(one.wallMs)}, CPU ${one.cpuMs ? s2(one.cpuMs.median) : "n/a"} s, ${mib(one.maxRssKiB.max)}, ${one.runs[0].findings} findings`);
        rows.push({ repo: r, files, bytes, floor, dflt, one, config: `paths: { manual: ${r.folder} }` });
      }

      // (c) the largest page of 85–100 KB in the governed folder, if there is one.
      const pages = markdownFiles(join(root, r.folder)).map((p) => ({ p, size: statSync(p).size })).filter((x) => x.size >= 85 * 1024 && x.size <= 100 * 1024);
      if (pages.length) {
        const page = pages.sort((a, b) => b.size - a.size || (a.p < b.p ? -1 : 1))[0];
        const ws = await load(root, { today: TODAY, config, git: false });
        for (const kind of ["sentence", "typing"]) {
          const e = await editorSized(ws, relative(root, page.p), readFileSync(page.p, "utf8"), edits, kind);
          log(`${r.name}: editor-sized ${e.file} (${e.kb.toFixed(0)} KB), ${kind}: p50 ${e.p50.toFixed(1)} ms, p95 ${e.p95.toFixed(1)} ms (CPU p50 ${e.cpuP50.toFixed(1)} ms, p95 ${e.cpuP95.toFixed(1)} ms), ${e.findings} findings`);
          editor.push({ repo: r, ...e });
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const rate = (bytes, sp) => (mb(bytes) / (sp.median / 1000)).toFixed(1);
  const ratio = (a, b) => `${(a.median / b.median).toFixed(2)} (${(a.min / b.max).toFixed(2)}–${(a.max / b.min).toFixed(2)})`;
  const cpu = (sp) => (sp.cpuMs ? `${s2(sp.cpuMs.median)} s` : "n/a");
  const line = (x, label, sp) =>
    `| ${x.repo.name} | ${label} | ${x.files} | ${mb(x.bytes).toFixed(1)} | ${sp.findings ?? ""} | ${range(sp.wallMs)} | ${cpu(sp)} | ${mib(sp.maxRssKiB.max)} | ${rate(x.bytes, sp.wallMs)} | ${sp === x.floor ? "1.00" : ratio(sp.wallMs, x.floor.wallMs)} | ${sp === x.floor ? "1.00" : sp.cpuMs && x.floor.cpuMs ? (sp.cpuMs.median / x.floor.cpuMs.median).toFixed(2) : "n/a"} |`;
  return `${head}
Config \`paths: { manual: FOLDER }\` (written to a scratch folder). Floor: read every \`.md\` under FOLDER + markdown-it 14.1.1 \`parse\` (default preset), one process.
Targets (issue 14): validate ≤ 2.5 × floor, ≥ 12 MB/s, peak RSS ≤ 400 MiB at 200k findings.

| repository | run | .md files | MiB | findings | wall | CPU (median) | peak RSS (max) | MiB/s (median wall) | ÷ floor (wall, median; range) | ÷ floor (CPU, median) |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.map((x) => [line(x, "floor: read + markdown-it parse", x.floor), line({ ...x }, "validate, default workers", { ...x.dflt, findings: x.dflt.runs[0].findings }), line(x, "validate, `POLICYOPS_WORKERS=1`", { ...x.one, findings: x.one.runs[0].findings })].join("\n")).join("\n")}

Editor-sized work: \`load\` in-process, then \`Workspace.update(file, edited)\` + \`findingsFor(file)\` (timed together), ${edits} edits of each kind (sentence: a sentence with a link inserted at a paragraph start; typing: one character typed into a line; each restored unmeasured). Target p95 ≤ 10 ms.

| repository | page | KB | edit | p50 | p95 | max | CPU p50 / p95 | findings on the page |
|---|---|---|---|---|---|---|---|---|
${editor.map((e) => `| ${e.repo.name} | \`${e.file}\` | ${e.kb.toFixed(0)} | ${e.kind} | ${e.p50.toFixed(1)} ms | **${e.p95.toFixed(1)} ms** | ${e.max.toFixed(1)} ms | ${e.cpuP50.toFixed(1)} / ${e.cpuP95.toFixed(1)} ms | ${e.findings} |`).join("\n") || "| (no page of 85–100 KB in the governed folders) | | | | | | | | |"}
`;
}

if (process.argv[1] && SELF === process.argv[1]) {
  const argv = process.argv.slice(2);
  const opt = (name, fallback) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
  if (argv[0] === "--floor") await floorChild(argv[1]);
  else {
    const md = await realWorldSection({ runs: Number(opt("runs", 3)), edits: Number(opt("edits", 60)), only: opt("only", null), corpusDir: opt("corpus", null), editorOnly: argv.includes("--editor-only"), log: (s) => process.stderr.write(s + "\n") });
    const out = opt("out", null);
    if (out) writeFileSync(out, md);
    process.stdout.write(md);
  }
}
