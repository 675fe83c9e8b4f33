import type { FileResult } from "./parse-file.js";

/** Deeper than any front matter a rule reads; a cap instead of a visited set, since YAML aliases can make cycles. */
const MAX_DEPTH = 64;

/**
 * One copy of each repeated string across the files of one parse (issue 14: RSS at 200k
 * findings). A workspace keeps every page's facts and findings for as long as it lives, and
 * documentation repeats them: in office-docs-powershell's exchange folder 38,594 headings
 * have 6,903 distinct texts (`SYNOPSIS`, `-Identity`, `RELATED LINKS`…) and 5,752 front
 * matters say `Module Name: ExchangePowerShell`. A page's strings are its own copies
 * (markdown-facts.ts `own`, js-yaml's values), and results that come back from a worker
 * thread are worse: structured clone copies every string it meets, so each finding's
 * `code`, `severity`, `file` and message arrive as strings of their own (a heap snapshot at
 * 5,852 pages: 475k strings, 27 MB, against 67k, 8 MB, when the same results are built on
 * one thread). Every string value is therefore passed through one table; object keys need
 * not be, V8 already keeps one copy of each.
 * The table lives for one parse only: an editor's later edits do not grow it. Pass the
 * same `pool` to calls on the batches of one parse (a worker's results are shared as they
 * arrive, so their copies die young instead of piling up until the last batch).
 */
export function shareStrings(results: readonly FileResult[], pool: Map<string, string> = new Map()): void {
  const one = (s: string): string => {
    const seen = pool.get(s);
    if (seen !== undefined) return seen;
    pool.set(s, s);
    return s;
  };
  // Plain objects and arrays only: Dates, typed arrays (line lengths) and the like are left whole.
  const deep = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return one(v);
    if (typeof v !== "object" || v === null || depth > MAX_DEPTH) return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = deep(v[i], depth + 1);
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      const o = v as Record<string, unknown>;
      for (const k in o) o[k] = deep(o[k], depth + 1);
    }
    return v;
  };
  for (const { facts, findings } of results) {
    facts.file = one(facts.file);
    facts.kind = one(facts.kind);
    facts.format = one(facts.format) as typeof facts.format;
    if (facts.id !== null) facts.id = one(facts.id);
    if (facts.title !== null) facts.title = one(facts.title);
    deep(facts.values, 0);
    for (const h of facts.headings ?? []) {
      h.text = one(h.text);
      h.slug = one(h.slug);
    }
    for (const l of facts.links) {
      l.url = one(l.url);
      l.kind = one(l.kind) as typeof l.kind;
    }
    if (facts.htmlAnchors) deep(facts.htmlAnchors, 0);
    for (const f of findings) {
      f.code = one(f.code);
      f.severity = one(f.severity) as typeof f.severity;
      f.message = one(f.message);
      f.file = one(f.file);
      if (f.docId !== null) f.docId = one(f.docId);
      if (f.messageId !== undefined) f.messageId = one(f.messageId);
      if (f.docsUrl !== undefined) f.docsUrl = one(f.docsUrl);
      if (f.data !== undefined) deep(f.data, 0);
      if (f.related !== undefined) deep(f.related, 0);
    }
  }
}
