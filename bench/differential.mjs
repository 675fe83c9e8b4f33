#!/usr/bin/env node
// Differential test of the engine's Markdown facts against remark's mdast, over real pages:
//
//   node bench/differential.mjs ROOT [FOLDER…] [--show N] [--out FILE.json]
//   node bench/differential.mjs --real-world [--show N]     (npm run test:real)
//
// For every `.md` file under ROOT (or under the given folders of ROOT; dot entries and
// node_modules skipped, as the engine walks), compares what the engine extracts (the built
// engine's parseFile as a `manual`, positions eager: headings depth/text/slug/range, links
// url/kind/range, definitions, HTML anchors) with the oracle (bench/markdown-oracle.mjs:
// remark-parse + remark-gfm + remark-frontmatter, github-slugger) on the whole file, and
// prints the first N differences of each file that differs, then the count of files that
// differ and of differences by class with one example each. Exit 0 when no file differs,
// 1 when some do, 2 on usage. `--real-world` (`npm run test:real`) does each repository of
// bench/real-world-speed.mjs's REPOS found under $POLICYOPS_REAL_WORLD, in its governed
// folder; it fails (exit 2) rather than skip when the variable or the repositories are missing.
// Nothing is written except --out.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { diffFacts, engineFacts, oracleFacts } from "./markdown-oracle.mjs";
import { REPOS } from "./real-world-speed.mjs";

const ENGINE = fileURLToPath(new URL("../dist/engine.js", import.meta.url));
const { parseFile } = await import(ENGINE);

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv.splice(i, 2)[1];
};
const SHOW = Number(opt("show", 3));
const OUT = opt("out", null);
const REAL_WORLD = argv.includes("--real-world");
if (REAL_WORLD ? argv.length !== 1 : argv.length < 1 || argv.some((a) => a.startsWith("--"))) {
  process.stderr.write("usage: node bench/differential.mjs ROOT [FOLDER…] [--show N] [--out FILE.json]\n       node bench/differential.mjs --real-world [--show N]\n");
  process.exit(2);
}
const log = (s = "") => process.stdout.write(s + "\n");
process.stdout.on("error", (e) => (e.code === "EPIPE" ? process.exit(process.exitCode ?? 0) : Promise.reject(e)));

/** Every `.md` file under ROOT/folder, the engine's way (dot entries, node_modules skipped). */
function markdownFiles(dir, into) {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) markdownFiles(p, into);
    else if (e.isFile() && e.name.toLowerCase().endsWith(".md")) into.push(p);
  }
  return into;
}

export function compareFile(bytes, file) {
  const result = parseFile(file, "manual", bytes, { positions: "eager" });
  if (result.findings.some((f) => f.code === "parse/encoding")) return { skipped: "not UTF-8 text", differences: [] };
  // The engine drops a UTF-8 BOM before counting positions; so does TextDecoder.
  const text = new TextDecoder("utf-8").decode(bytes);
  const oracle = oracleFacts(text, { frontmatter: true });
  const counts = { headings: oracle.headings.length, links: oracle.links.length, htmlAnchors: oracle.htmlAnchors.length };
  return { counts, differences: diffFacts(engineFacts(result.facts), oracle) };
}

/** Compares every Markdown file under ROOT's folders; prints as it goes; returns the summary. */
function differential(ROOT, folders) {
  const started = performance.now();
  const files = folders.flatMap((f) => (statSync(join(ROOT, f)).isDirectory() ? markdownFiles(join(ROOT, f), []) : [join(ROOT, f)]));
  let bytes = 0;
  const differing = [];
  const skipped = [];
  const byClass = new Map();
  const compared = { headings: 0, links: 0, htmlAnchors: 0 };
  for (const path of files) {
    const data = readFileSync(path);
    bytes += data.length;
    const rel = relative(ROOT, path);
    const r = compareFile(data, rel);
    if (r.skipped) skipped.push(`${rel}: ${r.skipped}`);
    for (const k of Object.keys(r.counts ?? {})) compared[k] += r.counts[k];
    if (!r.differences.length) continue;
    differing.push({ file: rel, differences: r.differences });
    log(`${rel}: ${r.differences.length} difference(s)`);
    for (const d of r.differences.slice(0, SHOW)) log(`  [${d.class}] ${d.detail}`);
    for (const d of r.differences) {
      const c = byClass.get(d.class) ?? { differences: 0, files: new Set(), example: `${rel}: ${d.detail}` };
      c.differences++;
      c.files.add(rel);
      byClass.set(d.class, c);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  log();
  log(`${ROOT}${folders[0] === "." ? "" : ` (${folders.join(", ")})`}: ${files.length} Markdown files, ${(bytes / 2 ** 20).toFixed(1)} MiB, ${differing.length} differ from the oracle (${compared.headings} headings, ${compared.links} links and definitions, ${compared.htmlAnchors} HTML anchors compared)${skipped.length ? `, ${skipped.length} skipped (${skipped.slice(0, 3).join("; ")})` : ""} (${seconds.toFixed(1)} s)`);
  for (const [cls, c] of [...byClass].sort((a, b) => b[1].files.size - a[1].files.size)) log(`  ${cls}: ${c.differences} in ${c.files.size} file(s), e.g. ${c.example}`);
  if (OUT) {
    const classes = Object.fromEntries([...byClass].map(([k, c]) => [k, { differences: c.differences, files: c.files.size, example: c.example }]));
    writeFileSync(OUT, JSON.stringify({ root: ROOT, folders, files: files.length, bytes, compared, differing: differing.length, skipped, classes, perFile: differing }, null, 2) + "\n");
  }
  return differing.length;
}

if (REAL_WORLD) {
  const base = process.env.POLICYOPS_REAL_WORLD;
  const found = base ? REPOS.filter((r) => existsSync(join(base, r.dir, r.folder))) : [];
  if (!found.length) {
    process.stderr.write(`${base ? `None of ${REPOS.map((r) => `${r.dir}/${r.folder}`).join(", ")} is under ${base}` : "POLICYOPS_REAL_WORLD is not set"}; extract the repositories as bench/real-world.md says and set POLICYOPS_REAL_WORLD to their folder.\n`);
    process.exit(2);
  }
  let differ = 0;
  for (const r of found) {
    log(`== ${r.name} (${r.folder})`);
    differ += differential(join(base, r.dir), [r.folder]);
    log();
  }
  const missing = REPOS.filter((r) => !found.includes(r));
  if (missing.length) log(`Not found under ${base} (not compared): ${missing.map((r) => r.name).join(", ")}`);
  process.exitCode = differ ? 1 : 0;
} else process.exitCode = differential(resolve(argv[0]), argv.length > 1 ? argv.slice(1) : ["."]) ? 1 : 0;
