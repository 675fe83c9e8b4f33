/**
 * `folder/ungoverned` (info): a top-level folder that holds Markdown or YAML files but no
 * kind governs. Its files are silently never checked, which is how a new kind of record
 * goes unnoticed; one finding per folder says how to declare a kind or ignore the folder.
 * See src/engine/facts/fixtures/folder__ungoverned/README.md.
 */
import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { Host } from "../io/host.js";
import { fieldValue, kindDef } from "../model/kinds.js";
import { KINDS_FOLDER } from "./repo-kinds.js";
import { resolveRepoPath } from "../model/paths.js";
import type { DocumentFacts, Finding } from "../model/types.js";

const DOCUMENT = /\.(md|ya?ml)$/i;
/** A folder is searched this deep and this wide for a first document, no further. */
const MAX_DEPTH = 6;
const MAX_ENTRIES = 5000;
/** At most this many candidate files are opened per folder, each only if smaller than this. */
const MAX_OPENED = 200;
const MAX_BYTES = 256 * 1024;
/** A governance record says who it is: an `id:` key at the top of a YAML file or of Markdown front matter. */
const ID_KEY = /^id:[ \t]*\S/m;

/** True if a file looks like a governance document: YAML with a top-level `id:`, or Markdown whose front matter has one. */
function looksGoverned(abs: string, markdown: boolean, host: Host): boolean {
  let text: string;
  try {
    if (host.stat(abs).size > MAX_BYTES) return false;
    text = new TextDecoder().decode(host.readFile(abs, MAX_BYTES));
  } catch {
    return false;
  }
  if (!markdown) return ID_KEY.test(text);
  const fm = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---\s*(\r?\n|$)/.exec(text);
  return fm !== null && ID_KEY.test(fm[1]!);
}

/** The first file under `rel` that looks like a governance document, in name order, breadth first; or null. */
function firstDocument(root: string, rel: string, host: Host): string | null {
  let opened = 0;
  const stack: [string, number][] = [[rel, 0]];
  let seen = 0;
  while (stack.length > 0) {
    const [dir, depth] = stack.shift()!;
    let entries;
    try {
      entries = host.readdir(join(root, dir));
    } catch {
      continue;
    }
    const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of sorted) {
      if (++seen > MAX_ENTRIES) return null;
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      if (!e.isFile || !DOCUMENT.test(e.name) || ++opened > MAX_OPENED) continue;
      if (looksGoverned(join(root, dir, e.name), /\.md$/i.test(e.name), host)) return `${dir}/${e.name}`;
    }
    if (depth < MAX_DEPTH) for (const e of sorted) if (e.isDirectory && !e.name.startsWith(".") && e.name !== "node_modules") stack.push([`${dir}/${e.name}`, depth + 1]);
  }
  return null;
}

/**
 * One info finding per ungoverned top-level folder, on its first file that looks like a
 * governance document (an `id:` in a YAML record or in Markdown front matter: plain notes,
 * guides and tool settings are not). Skipped: dot
 * folders, node_modules, `kinds/`, folders holding a kind's folder, folders listed under
 * `ignore:`, and folders a path field points into (`agreements/` of licences).
 */
export function ungovernedFolders(root: string, config: Config, host: Host, docs: readonly DocumentFacts[]): Finding[] {
  const top = (p: string) => p.split("/")[0]!;
  const governed = new Set(Object.values(config.paths).map(top));
  // The folder of a config named with --config (ci/strict.yaml) holds the tool's own settings.
  if (config.source && !config.source.startsWith("/") && !config.source.startsWith("..")) governed.add(top(config.source.replace(/\\/g, "/")));
  const ignored = new Set(config.ignore.map(top).filter((t, i) => config.ignore[i] === t));
  const nestedIgnores = config.ignore.filter((p) => p.includes("/"));
  let entries;
  try {
    entries = host.readdir(root);
  } catch {
    return [];
  }
  const candidates = [...entries]
    .filter((e) => e.isDirectory && !e.name.startsWith(".") && e.name !== "node_modules" && e.name !== KINDS_FOLDER && !governed.has(e.name) && !ignored.has(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Only when some folder is left are the documents' path fields read: a warm `--cache` run
  // otherwise decodes no document's values for this (2,000 licences' on the 10k corpus).
  if (candidates.length === 0) return [];
  const referenced = new Set<string>();
  for (const doc of docs) {
    for (const field of kindDef(doc.kind)?.pathFields ?? []) {
      const v = fieldValue(doc.values, field);
      const path = typeof v === "string" ? resolveRepoPath(null, v.trim()) : null;
      if (path) referenced.add(top(path));
    }
  }
  const out: Finding[] = [];
  for (const name of candidates) {
    if (referenced.has(name)) continue;
    const file = firstDocument(root, name, host);
    if (!file || nestedIgnores.some((p) => file.startsWith(p + "/"))) continue;
    out.push({
      code: "folder/ungoverned",
      severity: "info",
      message: `No kind governs the folder \`${name}/\`, so its Markdown and YAML files are never checked; declare a kind for it in \`kinds/<kind>.schema.json\` (with \`"folder": "${name}"\`) or list \`${name}\` under \`ignore:\` in \`policyops.yaml\`.`,
      file,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      docId: null,
      data: { folder: name },
    });
  }
  return out;
}
