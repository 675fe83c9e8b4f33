#!/usr/bin/env node
// PolicyOps against a real-world Markdown repository (not part of `npm test`).
//
//   node bench/real-world.mjs ROOT CONFIG [--today 2026-11-22] [--runs 1] [--compare-workers]
//                                        [--label NAME] [--commit SHA] [--out summary.json]
//
// ROOT is any checkout (a docs site, a wiki…); CONFIG is a policyops.yaml kept outside it
// that points kinds at the repository's content folders, e.g. `paths: { manual: content/en }`.
// It runs `policyops validate` twice, as the repository is (no --config: nothing should be
// governed unless the repo happens to have policies/, sops/ … folders) and with --config,
// records wall time, peak RSS, exit code, documents and findings by code, and checks:
//   - no crash: exit 0 or 1, nothing on stderr (no stack trace), JSON that parses;
//   - every finding lies inside its file: 1 ≤ line ≤ lines, 1 ≤ column ≤ length + 1,
//     end ≥ start (lines split at \n, a trailing \r and a UTF-8 BOM not counted, lengths
//     in UTF-16 code units: the engine's own convention);
//   - every finding's file is inside a governed folder;
//   - what a finding points at, for the codes where SPEC §2 says exactly (an unknown key,
//     line 1, the line after the closing ---, the link) — reported apart, as "anchor" notes;
//   - with --runs ≥ 2, that the JSON output is byte-identical run to run;
//     with --compare-workers, that POLICYOPS_WORKERS=1 gives the same JSON too.
// Exit code: 0 all checks passed, 1 some check failed, 2 usage.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { timeNode } from "./measure.mjs";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(PROJECT, "bin", "policyops.js");
const DEFAULT_PATHS = { policy: "policies", sop: "sops", manual: "manuals", licence: "licences", vendor: "vendors", system: "systems", framework: "frameworks" };
const MARKDOWN_KINDS = new Set(["policy", "sop", "manual"]);

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const VALUED = new Set(["today", "runs", "label", "commit", "out"]);
const positional = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i].startsWith("--")) i += VALUED.has(argv[i].slice(2)) ? 1 : 0;
  else positional.push(argv[i]);
}
if (positional.length < 2 || flag("help")) {
  process.stderr.write("usage: node bench/real-world.mjs ROOT CONFIG [--today D] [--runs N] [--compare-workers] [--label NAME] [--commit SHA] [--out FILE]\n");
  process.exit(2);
}
const ROOT = resolve(positional[0]);
const CONFIG = resolve(positional[1]);
const TODAY = opt("today", "2026-11-22");
const RUNS = Math.max(1, Number(opt("runs", 1)));
const LABEL = opt("label", ROOT);
const log = (s = "") => process.stdout.write(s + "\n");
process.stdout.on("error", (e) => (e.code === "EPIPE" ? process.exit(process.exitCode ?? 0) : Promise.reject(e)));

// ---------------------------------------------------------------------------------------
// Measurement: /usr/bin/time when the machine has GNU time, else an in-process RSS probe.

const GNU_TIME = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%e", "true"]).status === 0;

function run(args, env = {}) {
  if (!GNU_TIME) {
    const r = timeNode([CLI, ...args], { env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/\nPOLICYOPS_BENCH_RSS=\d+\n$/, ""), wallS: r.wallMs / 1000, rssKiB: r.maxRssKiB };
  }
  const dir = mkdtempSync(join(tmpdir(), "policyops-rw-"));
  const timing = join(dir, "time.txt");
  try {
    const r = spawnSync("/usr/bin/time", ["-o", timing, "-f", "%e %M", process.execPath, CLI, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...env },
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const last = readFileSync(timing, "utf8").trim().split("\n").pop() ?? "";
    const [wall, rss] = last.split(" ").map(Number);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, wallS: wall, rssKiB: rss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// The governed folders and what is in them.

function governedFolders(configFile) {
  const paths = { ...DEFAULT_PATHS };
  if (configFile && existsSync(configFile)) {
    const values = parseYaml(readFileSync(configFile, "utf8")) ?? {};
    Object.assign(paths, values.paths ?? {});
  }
  for (const k of Object.keys(paths)) paths[k] = String(paths[k]).replace(/\\/g, "/").replace(/^\.\/+/, "").replace(/\/+$/, "");
  return paths;
}

/** Files under each configured folder (the engine's walk: dot entries and node_modules skipped). */
function inventory(paths) {
  const byExt = new Map();
  const seen = new Set();
  let files = 0;
  const walk = (rel) => {
    let entries;
    try {
      entries = readdirSync(join(ROOT, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && !seen.has(child)) {
        seen.add(child);
        files++;
        const ext = /\.([^./]+)$/.exec(e.name)?.[1]?.toLowerCase() ?? "(none)";
        byExt.set(ext, (byExt.get(ext) ?? 0) + 1);
      }
    }
  };
  for (const folder of new Set(Object.values(paths))) if (folder) walk(folder);
  return { files, byExt: [...byExt].sort((a, b) => b[1] - a[1]) };
}

const insideGoverned = (file, paths) =>
  Object.entries(paths).some(([kind, folder]) => {
    if (!folder || !file.startsWith(folder + "/")) return false;
    const lower = file.toLowerCase();
    return MARKDOWN_KINDS.has(kind) ? lower.endsWith(".md") : lower.endsWith(".yaml") || lower.endsWith(".yml");
  });

// ---------------------------------------------------------------------------------------
// Positions.

const fileLines = new Map();
/** The file's lines as the engine counts them, or null when it cannot be read as text. */
function linesOf(file) {
  if (fileLines.has(file)) return fileLines.get(file);
  let lines = null;
  try {
    const bytes = readFileSync(join(ROOT, file));
    let text;
    if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le").decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be").decode(bytes.subarray(2));
    else text = new TextDecoder("utf-8").decode(bytes); // TextDecoder drops a UTF-8 BOM
    lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  } catch {
    lines = null;
  }
  fileLines.set(file, lines);
  return lines;
}

/** Why a finding's range is not inside its file, or null when it is. */
export function positionProblem(f, lines) {
  if (!lines) return "file cannot be read";
  const ints = ["line", "column", "endLine", "endColumn"].every((k) => Number.isInteger(f[k]));
  if (!ints) return "non-integer position";
  if (f.line < 1 || f.line > lines.length) return `line ${f.line} not in 1..${lines.length}`;
  if (f.column < 1 || f.column > lines[f.line - 1].length + 1) return `column ${f.column} not in 1..${lines[f.line - 1].length + 1}`;
  if (f.endLine < f.line || f.endLine > lines.length) return `endLine ${f.endLine} not in ${f.line}..${lines.length}`;
  if (f.endColumn < 1 || f.endColumn > lines[f.endLine - 1].length + 1) return `endColumn ${f.endColumn} not in 1..${lines[f.endLine - 1].length + 1}`;
  if (f.endLine === f.line && f.endColumn < f.column) return `endColumn ${f.endColumn} < column ${f.column}`;
  return null;
}

const isLowSurrogate = (s, i) => i > 0 && i < s.length && s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff;

/** The text a single-line range covers (a multi-line one: its first line from column on). */
const covered = (f, lines) => (f.endLine === f.line ? lines[f.line - 1].slice(f.column - 1, f.endColumn - 1) : lines[f.line - 1].slice(f.column - 1));

/** Whether a finding points at what SPEC §2 says it points at (only where that is exact). */
function anchorProblem(f, lines) {
  const text = covered(f, lines);
  if (isLowSurrogate(lines[f.line - 1], f.column - 1) || isLowSurrogate(lines[f.endLine - 1], f.endColumn - 1)) return "range splits a surrogate pair";
  switch (true) {
    case f.code === "parse/front-matter":
      return f.line === 1 ? null : `expected line 1, got ${f.line}`;
    case f.code === "schema/additional-properties": {
      const key = /`([^`]*)`/.exec(f.message)?.[1];
      return key === undefined || text.replace(/^["']|["']$/g, "") === key ? null : `points at ${JSON.stringify(text)}, not the key \`${key}\``;
    }
    case f.code === "sections/missing": {
      const prev = lines[f.line - 2];
      return prev !== undefined && /^(---|\.\.\.)\s*$/.test(prev) ? null : `line ${f.line} is not the line after a closing ---`;
    }
    case f.code === "link/broken": {
      const target = /^Link target `(.*)` does not exist/.exec(f.message)?.[1] ?? /anchor `(#[^`]*)`/.exec(f.message)?.[1];
      if (target === undefined) return null;
      // The range is the link or image ([text](target), <target>, [ref]: target); a
      // reference-style use ([text][ref]) need not contain the target itself.
      return text.includes(target) || /^!?\[/.test(text) ? null : `range ${JSON.stringify(text.slice(0, 80))} does not contain ${target}`;
    }
    case f.code.startsWith("schema/") && f.code !== "schema/required":
      return text.length > 0 || (f.endLine > f.line) ? null : "empty range for a value";
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------

function countBy(xs, key) {
  const m = new Map();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

function validateOnce(label, args, env = {}) {
  const r = run(args, env);
  let report = null;
  let parseError = null;
  try {
    report = JSON.parse(r.stdout);
  } catch (e) {
    parseError = String(e.message);
  }
  return { label, ...r, report, parseError };
}

function judgeRun(r, paths, expectNothing) {
  const problems = [];
  if (r.status !== 0 && r.status !== 1) problems.push(`exit code ${r.status} (expected 0 or 1)`);
  if (/\n\s+at .+:\d+:\d+\)?/.test(r.stderr)) problems.push("stack trace on stderr");
  else if (r.stderr.trim()) problems.push(`stderr: ${r.stderr.trim().split("\n")[0].slice(0, 160)}`);
  if (!r.report) {
    problems.push(`stdout is not JSON (${r.parseError})`);
    return { problems, positions: null };
  }
  const { summary, documents, findings } = r.report;
  if (summary.documents !== documents.length) problems.push(`summary.documents ${summary.documents} ≠ ${documents.length} documents`);
  const sev = countBy(findings, (f) => f.severity);
  const n = (s) => sev.find(([k]) => k === s)?.[1] ?? 0;
  if (summary.errors !== n("error") || summary.warnings !== n("warning") || summary.infos !== n("info")) problems.push("summary counts disagree with findings");
  if (expectNothing && (documents.length || findings.length)) problems.push(`expected nothing governed, got ${documents.length} documents and ${findings.length} findings`);
  const stray = [...new Set([...findings.map((f) => f.file), ...documents.map((d) => d.file)].filter((f) => !insideGoverned(f, paths)))];
  if (stray.length) problems.push(`${stray.length} files outside the governed folders reported, e.g. ${stray.slice(0, 3).join(", ")}`);

  const bad = [];
  const anchors = [];
  for (const f of findings) {
    const lines = linesOf(f.file);
    const p = positionProblem(f, lines);
    if (p) bad.push(`${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code}: ${p}`);
    else {
      const a = anchorProblem(f, lines);
      if (a) anchors.push(`${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code}: ${a}`);
    }
  }
  if (bad.length) problems.push(`${bad.length} findings outside their file`);
  return { problems, positions: { checked: findings.length, bad, anchors } };
}

// ---------------------------------------------------------------------------------------

const base = ["validate", ROOT, "--format", "json", "--today", TODAY];
const asIs = validateOnce("as is (no --config)", base);
const configured = [];
for (let i = 0; i < RUNS; i++) configured.push(validateOnce(`--config run ${i + 1}`, [...base, "--config", CONFIG]));
const oneWorker = flag("compare-workers") ? validateOnce("--config POLICYOPS_WORKERS=1", [...base, "--config", CONFIG], { POLICYOPS_WORKERS: "1" }) : null;

const defaultsOnly = governedFolders(null);
const paths = governedFolders(CONFIG);
const judgedA = judgeRun(asIs, governedFolders(existsSync(join(ROOT, "policyops.yaml")) ? join(ROOT, "policyops.yaml") : null), false);
const main = configured[0];
const judgedB = judgeRun(main, paths, false);
const extra = [];
for (const r of configured.slice(1)) if (r.stdout !== main.stdout) extra.push(`${r.label}: JSON differs from run 1 (not deterministic)`);
if (oneWorker && oneWorker.stdout !== main.stdout) extra.push("POLICYOPS_WORKERS=1 gives different JSON from the default");
const inv = inventory(paths);
const invDefault = inventory(defaultsOnly);
let commit = opt("commit", null);
if (!commit) {
  // Only ROOT's own checkout (ROOT/.git), never a repository that merely encloses it.
  const g = existsSync(join(ROOT, ".git")) ? spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" }) : null;
  commit = g?.status === 0 ? g.stdout.trim() : "(not given: pass --commit)";
}

const walls = configured.map((r) => r.wallS).sort((a, b) => a - b);
const findings = main.report?.findings ?? [];
const byCode = countBy(findings, (f) => f.code);
const summary = {
  label: LABEL,
  root: ROOT,
  config: CONFIG,
  commit,
  today: TODAY,
  machine: `${cpus().length} cores, ${process.platform} ${process.arch}, node ${process.version}`,
  governedPaths: Object.fromEntries(Object.entries(paths).filter(([k, v]) => v !== DEFAULT_PATHS[k])),
  files: inv.files,
  filesByExtension: Object.fromEntries(inv.byExt),
  asIs: {
    status: asIs.status,
    wallS: asIs.wallS,
    rssKiB: asIs.rssKiB,
    filesInDefaultFolders: invDefault.files,
    documents: asIs.report?.summary.documents ?? null,
    findings: asIs.report?.findings.length ?? null,
    problems: judgedA.problems,
  },
  configured: {
    status: main.status,
    wallS: walls[Math.floor((walls.length - 1) / 2)],
    wallsS: configured.map((r) => r.wallS),
    rssKiB: Math.max(...configured.map((r) => r.rssKiB ?? 0)),
    workers1: oneWorker ? { wallS: oneWorker.wallS, rssKiB: oneWorker.rssKiB, sameJson: oneWorker.stdout === main.stdout } : null,
    documents: main.report?.summary.documents ?? null,
    summary: main.report?.summary ?? null,
    findings: findings.length,
    byCode: Object.fromEntries(byCode),
    positions: judgedB.positions && { checked: judgedB.positions.checked, outside: judgedB.positions.bad.length, anchorNotes: judgedB.positions.anchors.length },
    problems: [...judgedB.problems, ...extra],
  },
};

const kb = (k) => (k == null ? "?" : `${Math.round(k / 1024)} MB`);
log(`# ${LABEL}`);
log(`commit ${commit}; today ${TODAY}; ${summary.machine}`);
log(`governed (config): ${JSON.stringify(summary.governedPaths)}; ${inv.files} files there (${inv.byExt.slice(0, 6).map(([e, n]) => `${n} .${e}`).join(", ")})`);
log();
log(`a. as is: exit ${asIs.status}, ${summary.asIs.documents} documents, ${summary.asIs.findings} findings, ${asIs.wallS.toFixed(2)} s, ${kb(asIs.rssKiB)} peak RSS` + (judgedA.problems.length ? `\n   PROBLEMS: ${judgedA.problems.join("; ")}` : "  ✓"));
log(`b. --config: exit ${main.status}, ${summary.configured.documents} documents, ${findings.length} findings (${main.report ? `${main.report.summary.errors} errors, ${main.report.summary.warnings} warnings, ${main.report.summary.infos} infos` : "?"}), ` +
  `${summary.configured.wallS.toFixed(2)} s${RUNS > 1 ? ` (median of ${RUNS}: ${summary.configured.wallsS.map((w) => w.toFixed(2)).join(", ")})` : ""}, ${kb(summary.configured.rssKiB)} peak RSS`);
if (oneWorker) log(`   POLICYOPS_WORKERS=1: ${oneWorker.wallS.toFixed(2)} s, ${kb(oneWorker.rssKiB)} peak RSS, same JSON: ${oneWorker.stdout === main.stdout}`);
log(`   findings by code: ${byCode.map(([c, n]) => `${c} ${n}`).join(", ") || "none"}`);
if (judgedB.positions) {
  const p = judgedB.positions;
  log(`   positions: ${p.checked} checked, ${p.bad.length} outside their file${p.bad.length ? ":\n     " + p.bad.slice(0, 10).join("\n     ") : ""}`);
  log(`   anchor notes (finding inside its file but not where SPEC §2 says it points): ${p.anchors.length}${p.anchors.length ? "\n     " + p.anchors.slice(0, 10).join("\n     ") : ""}`);
}
log(`   ${summary.configured.problems.length ? "PROBLEMS: " + summary.configured.problems.join("; ") : "✓ no crash, no stderr, every finding inside its file and its governed folder"}`);
log();
log("Samples (first finding of each code):");
for (const [code] of byCode) {
  const f = findings.find((x) => x.code === code);
  log(`  ${code.padEnd(30)} ${f.file}:${f.line}:${f.column}  ${f.message.slice(0, 110)}`);
}
const out = opt("out", null);
if (out) writeFileSync(out, JSON.stringify({ ...summary, anchorNotes: judgedB.positions?.anchors ?? [], outside: judgedB.positions?.bad ?? [] }, null, 2) + "\n");
process.exitCode = judgedA.problems.length || summary.configured.problems.length ? 1 : 0;
