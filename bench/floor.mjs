#!/usr/bin/env node
// One floor or baseline, run as its own process (timed whole by bench/run.mjs, exactly as
// policyops runs are):
//   node bench/floor.mjs <start|stat|read|floor|micromark|unified> ROOT [--always FOLDER,FOLDER]
//
// start      nothing: a Node process starting and exiting (the share of start-up in every row)
// stat       walk the folders and stat every file policyops governs, read nothing: what any
//            fresh process must do before it may trust a stored result for a file (the floor
//            of a warm `validate --cache`, which also reads its cache and writes the report)
// read       read every .md/.yaml/.yml file under ROOT's folders (what policyops governs:
//            files at the top level, README.md and policyops.yaml, are not read)
// floor      read + tokenize Markdown bodies with markdown-it 14.1.1, the engine's tokenizer
//            since issue 14 (default preset, HTML on: src/engine/facts/markdown-facts.ts),
//            only the bodies the engine tokenizes on a cold run (those of the folders given
//            by --always, whose documents have required sections, and any other body holding
//            `[` or `<`; src/engine/facts/parse-file.ts). No YAML: the engine reads clean
//            front matter without a YAML library. Work the engine cannot avoid.
// micromark  baseline, more work than the engine: read + yaml parseDocument of every front
//            matter and record + micromark with GFM and emphasis on every body
// unified    baseline: read + yaml parseDocument + unified/remark-parse/remark-frontmatter/
//            remark-gfm mdast of every Markdown file (what a remark-based checker parses)
//
// Prints one JSON line: {mode, files, bytes, bodies (tokenized), ms (in-process work only)}.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const [mode, root] = process.argv.slice(2);
const i = process.argv.indexOf("--always");
const always = new Set(i === -1 ? [] : process.argv[i + 1].split(",").filter(Boolean));
if (!["start", "stat", "read", "floor", "micromark", "unified"].includes(mode) || !root) {
  process.stderr.write("usage: node bench/floor.mjs <start|stat|read|floor|micromark|unified> ROOT [--always FOLDER,…]\n");
  process.exit(2);
}

// Each mode loads only the libraries it uses: module loading is part of what is timed.
let tokenize = null;
let yamlParse = null;
if (mode === "floor") {
  const { default: MarkdownIt } = await import("markdown-it");
  const md = new MarkdownIt("default", { html: true });
  tokenize = (body) => md.parse(body, {}).length;
}
if (mode === "micromark") {
  const { parse, postprocess, preprocess } = await import("micromark");
  const { gfm } = await import("micromark-extension-gfm");
  const options = { extensions: [gfm()] };
  tokenize = (body) => postprocess(parse(options).document().write(preprocess()(body, undefined, true))).length;
}
if (mode === "micromark" || mode === "unified") yamlParse = (await import("yaml")).parseDocument;
let processor = null;
if (mode === "unified") {
  const [{ unified }, { default: remarkParse }, { default: remarkFrontmatter }, { default: remarkGfm }] = await Promise.all([
    import("unified"), import("remark-parse"), import("remark-frontmatter"), import("remark-gfm"),
  ]);
  processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm);
}

const started = performance.now();
const files = [];
if (mode !== "start") {
  const walk = (dir, top) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, top);
      else if (e.isFile() && /\.(md|ya?ml)$/i.test(e.name)) files.push({ path: p, top });
    }
  };
  for (const e of readdirSync(root, { withFileTypes: true })) if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") walk(join(root, e.name), e.name);
}
let bytes = 0;
let bodies = 0;
let sink = 0;
for (const { path, top } of files) {
  if (mode === "stat") {
    bytes += statSync(path).size;
    continue;
  }
  const text = readFileSync(path, "utf8");
  bytes += Buffer.byteLength(text);
  if (mode === "read") continue;
  const md = path.toLowerCase().endsWith(".md");
  const end = md ? text.indexOf("\n---", 3) : text.length;
  if (yamlParse) sink += yamlParse(md ? text.slice(4, end) : text).contents ? 1 : 0;
  if (!md) continue;
  const body = text.slice(end + 5);
  if (tokenize && (mode === "micromark" || always.has(top) || body.includes("[") || body.includes("<"))) {
    sink += tokenize(body);
    bodies++;
  }
  if (processor) {
    sink += processor.parse(text).children.length;
    bodies++;
  }
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ mode, files: files.length, bytes, bodies, ms, sink: sink >= 0 }) + "\n");
