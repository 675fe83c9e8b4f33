#!/usr/bin/env node
// One parse floor, measured in its own process so its peak memory is its own:
//   node bench/floor.mjs <read|yaml|unified|micromark> ROOT [workers]
// read      read every governed file
// yaml      + yaml parseDocument of front matter and records
// micromark + micromark CommonMark events of Markdown bodies (the libraries policyops uses)
// unified   + unified/remark-parse/remark-frontmatter/remark-gfm mdast (the "unified floor")
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { parse, postprocess, preprocess } from "micromark";
import { unified } from "unified";
import remarkParse from "remark-parse";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";

const [mode, root] = process.argv.slice(2);
const FOLDERS = ["policies", "sops", "manuals", "licences", "vendors", "systems", "frameworks"];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(md|ya?ml)$/.test(name)) files.push(p);
  }
};
for (const f of FOLDERS) try { walk(join(root, f)); } catch {}

const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm);
const started = performance.now();
let sink = 0;
for (const file of files) {
  const text = readFileSync(file, "utf8");
  sink += text.length;
  if (mode === "read") continue;
  const md = file.endsWith(".md");
  const end = md ? text.indexOf("\n---", 3) : text.length;
  sink += parseDocument(md ? text.slice(4, end) : text).contents ? 1 : 0;
  if (!md) continue;
  if (mode === "micromark") sink += postprocess(parse().document().write(preprocess()(text.slice(end + 5), undefined, true))).length;
  if (mode === "unified") sink += processor.parse(text).children.length;
}
const ms = performance.now() - started;
process.stdout.write(JSON.stringify({ mode, files: files.length, ms, maxRssKiB: process.resourceUsage().maxRSS, sink: sink > 0 }) + "\n");
