#!/usr/bin/env node
// The auditors' site benchmark (issue 16): part of `npm run bench`, or alone:
//   node bench/site.mjs [--docs 10000] [--runs 1] [--skip-mkdocs] [--out bench/site.md]
//
// On the generated corpus (bench/run.mjs's `corpus`: generated once, fingerprinted, never
// written), in one run and measured the same way (bench/measure.mjs: wall from the parent,
// CPU and peak RSS of the child from GNU time):
//   - `policyops site` building the full site (every document page, registers, compliance,
//     reviews, search index, data, manifest) into a scratch folder;
//   - Hugo (Debian's `hugo`) building the same Markdown pages with a minimal theme written
//     here, in a scratch folder;
//   - MkDocs with the Material theme (Debian's `mkdocs`, `mkdocs-material`) building the same
//     pages (minutes: `--skip-mkdocs` leaves it out);
//   - the first search answer on the built site in Debian's chromium (playwright-core), from
//     file://: the time from typing a word to the first result shown.
// Hugo and MkDocs get each Markdown document's body with a front matter of its title only:
// their YAML readers stop a whole build at the corpus's injected broken front matter.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { HOW_MEASURED, sample, spawnMeasured, nodeMeasured } from "./measure.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(HERE, "..");
const CLI = join(PROJECT, "bin", "policyops.js");
const TODAY = "2026-06-30";
const CHROMIUM = "/usr/bin/chromium";
const log = (s) => process.stderr.write(s + "\n");
const s2 = (sp) => (sp ? (sp.median / 1000).toFixed(2) : "n/a");
const range = (sp) => (sp ? `${(sp.min / 1000).toFixed(2)} / **${(sp.median / 1000).toFixed(2)}** / ${(sp.max / 1000).toFixed(2)} s` : "n/a");
const mib = (kib) => (kib ? `${Math.round(kib / 1024)} MiB` : "n/a");

/** Every Markdown file under `dir` (repo-relative), dot folders left out. */
function markdownFiles(dir, rel = "") {
  const out = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...markdownFiles(dir, r));
    else if (e.isFile() && e.name.endsWith(".md")) out.push(r);
  }
  return out.sort();
}

/** The same Markdown pages for a peer: body as written, front matter reduced to a title. */
function peerPages(corpusDir, contentDir) {
  const files = markdownFiles(corpusDir);
  for (const f of files) {
    const text = readFileSync(join(corpusDir, f), "utf8");
    const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
    const id = m ? /^id:\s*(.+)$/m.exec(m[1])?.[1]?.trim() : null;
    const title = m ? /^title:\s*(.+)$/m.exec(m[1])?.[1]?.trim().replace(/^["']|["']$/g, "") : null;
    const body = m ? text.slice(m[0].length) : text;
    const out = join(contentDir, f);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `---\ntitle: ${JSON.stringify(title || id || f)}\n---\n${body}`);
  }
  return files.length;
}

const HUGO_LAYOUT = {
  "hugo.toml": 'baseURL = "http://localhost/"\ntitle = "Governance"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n[markup.goldmark.renderer]\nunsafe = false\n',
  "layouts/_default/baseof.html": '<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/site.css"></head><body><nav><a href="/">Home</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>\n',
  "layouts/_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
  "layouts/_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
  "static/site.css": "body{font-family:sans-serif}\n",
};

function hugoRun(corpusDir, runs) {
  const base = mkdtempSync(join(tmpdir(), "policyops-bench-hugo-"));
  try {
    for (const [f, text] of Object.entries(HUGO_LAYOUT)) {
      mkdirSync(dirname(join(base, "src", f)), { recursive: true });
      writeFileSync(join(base, "src", f), text);
    }
    const pages = peerPages(corpusDir, join(base, "src", "content"));
    const version = execFileSync("hugo", ["version"], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
    let n = 0;
    const s = sample(runs, () => {
      // A new folder each run, the old ones deleted at the end: see runSiteBench.
      const r = spawnMeasured("hugo", ["--source", join(base, "src"), "--destination", join(base, `out-${n++}`), "--quiet"]);
      if (r.status !== 0) throw new Error(`hugo failed: ${r.stderr.slice(-2000)}`);
      return r;
    });
    return { ...s, pages, version };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

function mkdocsRun(corpusDir) {
  const base = mkdtempSync(join(tmpdir(), "policyops-bench-mkdocs-"));
  try {
    const pages = peerPages(corpusDir, join(base, "docs"));
    writeFileSync(join(base, "docs", "index.md"), "# Governance\n");
    writeFileSync(join(base, "mkdocs.yml"), "site_name: Governance\ntheme:\n  name: material\nplugins:\n  - search\n");
    const version = execFileSync("mkdocs", ["--version"], { encoding: "utf8" }).trim().split(" from ")[0];
    const r = spawnMeasured("mkdocs", ["build", "--quiet", "--config-file", join(base, "mkdocs.yml"), "--site-dir", join(base, "out")], { cwd: base });
    if (r.status !== 0) throw new Error(`mkdocs failed: ${r.stderr.slice(-2000)}`);
    return { wallMs: { min: r.wallMs, median: r.wallMs, max: r.wallMs }, cpuMs: r.cpuMs, maxRssKiB: r.maxRssKiB, pages, version };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** The term of the largest search shard with the most documents: the slowest first query there is. */
function hardestTerm(site) {
  const dir = join(site, "search");
  const shards = readdirSync(dir).filter((f) => f.startsWith("s-")).map((f) => ({ f, size: statSync(join(dir, f)).size })).sort((a, b) => b.size - a.size);
  const text = readFileSync(join(dir, shards[0].f), "utf8");
  const entries = JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")")));
  let best = null;
  for (const [term, fields] of entries) {
    const n = Object.values(fields).reduce((a, d) => a + Object.keys(d).length, 0);
    if (/^[a-z]{4,}$/.test(term) && (!best || n > best.n)) best = { term, n };
  }
  return { term: best.term, postings: best.n, shard: shards[0].f, shardBytes: shards[0].size, shards: shards.length };
}

async function searchTiming(site) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"] });
  try {
    const hard = hardestTerm(site);
    const page = await browser.newPage();
    const errors = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    let t = performance.now();
    await page.goto(pathToFileURL(join(site, "search.html")).href, { waitUntil: "load" });
    const pageLoadMs = performance.now() - t;
    const query = async (word) => {
      const start = performance.now();
      await page.fill("#search-input", word);
      await page.waitForFunction((w) => {
        const s = document.getElementById("search-status")?.textContent ?? "";
        return s.includes(w) && !s.startsWith("Searching");
      }, word, { polling: 5 });
      return { ms: performance.now() - start, status: await page.locator("#search-status").textContent() };
    };
    const first = await query(hard.term);
    const second = await query("policy");
    const prefix = await query(hard.term.slice(0, 1));
    return { ...hard, pageLoadMs, first, second, prefix, errors };
  } finally {
    await browser.close();
  }
}

export async function runSiteBench({ dir, runs = 1, skipMkdocs = false, out = join(HERE, "site.md"), docs }) {
  const load1 = loadavg().map((x) => x.toFixed(2)).join(", ");
  const scratch = mkdtempSync(join(tmpdir(), "policyops-bench-site-"));
  try {
    // Each run (ours and Hugo's) writes into a new folder and every output is deleted only at the
    // end: on ext4 a build made right after deleting the last one's 10k files spends seconds of
    // system time in inode allocation skipping the just-deleted inodes (perf: recently_deleted,
    // find_inode_bit), a cost of the harness's deletion, not of the build (system time 1.2-1.6 s
    // into a new folder against 4.7-6.9 s right after a deletion, 2026-12-01).
    // Files deleted by earlier sections of `npm run bench` count for 5 s after a sync; let them age first.
    spawnSync("sync", [], { stdio: "ignore" });
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6000);
    let n = 0;
    let siteDir = "";
    const site = sample(runs, () => {
      siteDir = join(scratch, `site-${n++}`);
      const r = nodeMeasured([CLI, "site", dir, "--out", siteDir, "--today", TODAY]);
      if (r.status !== 0) throw new Error(`policyops site failed: ${r.stderr.slice(-2000)}`);
      return r;
    });
    const files = JSON.parse(readFileSync(join(siteDir, "manifest.json"), "utf8")).pages.length + 1;
    log(`policyops site: ${range(site.wallMs)}, CPU ${s2(site.cpuMs)} s, ${mib(site.maxRssKiB?.median)}, ${files} files`);
    const search = await searchTiming(siteDir);
    log(`search: page ${search.pageLoadMs.toFixed(0)} ms, first "${search.term}" ${search.first.ms.toFixed(0)} ms (${search.first.status})`);
    const hugo = hugoRun(dir, runs);
    log(`hugo: ${range(hugo.wallMs)}, ${hugo.pages} pages`);
    const mkdocs = skipMkdocs ? null : mkdocsRun(dir);
    if (mkdocs) log(`mkdocs material: ${s2(mkdocs.wallMs)} s`);
    const load2 = loadavg().map((x) => x.toFixed(2)).join(", ");
    const r = (a, b) => (a && b ? (a.median / b.median).toFixed(2) : "n/a");
    const md = `# The auditors' site: benchmark

Generated by \`node bench/site.mjs${skipMkdocs ? " --skip-mkdocs" : ""}\` (also run by \`npm run bench\`) on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC;
corpus \`gen-corpus.mjs --docs ${docs} --seed 7\` (\`${relative(PROJECT, dir)}\`), today ${TODAY}. Load average ${load1} at the start, ${load2} at the end
(a shared two-core machine: wall times carry other work). ${HOW_MEASURED}. ${runs} run${runs === 1 ? "" : "s"} each (min / median / max).

| build | wall | CPU | peak RSS | output |
|---|---|---|---|---|
| \`policyops site\` (load + every document page + registers, compliance, reviews, calendar, data/*.json, search index, manifest) | ${range(site.wallMs)} | ${s2(site.cpuMs)} s | ${mib(site.maxRssKiB?.median)} | ${files} files |
| Hugo (${hugo.version}), minimal theme, the same ${hugo.pages} Markdown pages | ${range(hugo.wallMs)} | ${s2(hugo.cpuMs)} s | ${mib(hugo.maxRssKiB?.median)} | |
| ${mkdocs ? `MkDocs ${mkdocs.version} with Material, the same ${mkdocs.pages} pages | ${range(mkdocs.wallMs)} | ${mkdocs.cpuMs ? (mkdocs.cpuMs / 1000).toFixed(2) : "n/a"} s | ${mib(mkdocs.maxRssKiB)} | |` : "MkDocs with Material | skipped (`--skip-mkdocs`) | | | |"}

- policyops ÷ Hugo (wall, medians): **${r(site.wallMs, hugo.wallMs)}×** (target ≤ 3×).
- MkDocs Material ÷ policyops (wall): ${mkdocs ? `**${r(mkdocs.wallMs, site.wallMs)}×** (target ≥ 30×)` : "not measured in this run"}.
- Peak RSS of \`policyops site\`: **${mib(site.maxRssKiB?.median)}** (target ≤ 600 MiB).
- Search in Debian's chromium from file://: search.html loads (with \`search/base.js\`) in ${search.pageLoadMs.toFixed(0)} ms; the **first query**, \`${search.term}\` (the largest shard, \`${search.shard}\`, ${(search.shardBytes / 1024).toFixed(0)} KiB, and the term there with the most postings, ${search.postings}), answers **${search.first.ms.toFixed(0)} ms** after typing (target ≤ 1 s; 60 ms of it is the input debounce): "${search.first.status}". Then \`policy\` ${search.second.ms.toFixed(0)} ms, and the one-letter prefix \`${search.term.slice(0, 1)}\` (every shard starting with it) ${search.prefix.ms.toFixed(0)} ms. ${search.shards} shards in all. Console errors: ${search.errors.length}.

Hugo and MkDocs build each Markdown document's body under a front matter holding only its title (their YAML readers stop a
whole build at the corpus's injected broken front matter); they build no registers, data, search shards or manifest.
`;
    writeFileSync(out, md);
    log(`wrote ${out}`);
    return { site, hugo, mkdocs, search };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  const docs = Number(arg("docs", 10000));
  const { corpus, fingerprint } = await import("./run.mjs");
  const c = await corpus(docs);
  const before = fingerprint(c.dir);
  await runSiteBench({ dir: c.dir, runs: Number(arg("runs", 1)), skipMkdocs: process.argv.includes("--skip-mkdocs"), out: arg("out", join(HERE, "site.md")), docs });
  if (fingerprint(c.dir) !== before) throw new Error(`the corpus ${c.dir} changed during the site benchmark`);
}
