import type { FileResult } from "./parse-file.js";

/**
 * One copy of each heading text, slug and link destination across the files of one parse
 * (issue 14: RSS at 200k findings). A workspace keeps every page's headings and links for
 * as long as it lives, and documentation repeats them: in office-docs-powershell's exchange
 * folder 38,594 headings have 6,903 distinct texts (`SYNOPSIS`, `-Identity`, `RELATED
 * LINKS`…), in nodejs.org's pages 4,603 have 1,765; a page's strings are its own copies
 * (markdown-facts.ts `own`, or a worker's message), so each repeat held its own string.
 * The table lives for one parse only: an editor's later edits do not grow it.
 */
export function shareStrings(results: readonly FileResult[]): void {
  const pool = new Map<string, string>();
  const one = (s: string): string => {
    const seen = pool.get(s);
    if (seen !== undefined) return seen;
    pool.set(s, s);
    return s;
  };
  for (const { facts } of results) {
    for (const h of facts.headings ?? []) {
      h.text = one(h.text);
      h.slug = one(h.slug);
    }
    for (const l of facts.links) l.url = one(l.url);
  }
}
