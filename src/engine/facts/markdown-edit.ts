import GithubSlugger from "github-slugger";
import type { Heading, Link, MarkdownFacts, Range } from "../model/types.js";
import type { LineIndex } from "./line-index.js";
import { markdownFacts } from "./markdown-facts.js";

/**
 * `markdownFacts` for an editor's edits: the same facts, but when the body is the last one
 * given here with one stretch changed, only the sections around the change are tokenized
 * again (a 100 KB page re-tokenized whole on every keystroke costs more than the edit's
 * time budget).
 *
 * A section starts at an ATX heading at column 1 (`## Scope`) after an empty line: every
 * block before it is closed there, whatever came before, so the tokens before it depend
 * only on the text before it. The stretch from the last such heading at or before the change to the first
 * one wholly after it is tokenized alone; the facts before and after it are the last
 * ones, moved by the lines the edit added or removed. The stretch is checked to end where
 * the next section starts (an unclosed fence or HTML block would run on: then, and
 * whenever the body has link definitions, footnotes, raw HTML anchors or CR characters,
 * which reach across sections, the whole body is tokenized as before). Slugs are worked
 * out again over all headings (their `-1` suffixes count every earlier heading).
 */
let last: { body: string; base: number; baseLine: number; facts: MarkdownFacts; across: boolean } | null = null;

export function markdownFactsForEdit(body: string, base: number, lines: LineIndex): MarkdownFacts {
  const at = lines.position(base);
  const prev = last;
  last = null;
  const across = reachesAcross(body);
  let facts = at.column === 1 && prev && !across && !prev.across ? reuse(prev, body, base, at.line, lines) : null;
  if (facts) editStats.sections++;
  else {
    editStats.whole++;
    facts = markdownFacts(body, base, lines);
  }
  if (at.column === 1) last = { body, base, baseLine: at.line, facts, across };
  return facts;
}

/** How many bodies were tokenized by section, and how many whole (for tests and benchmarks). */
export const editStats = { sections: 0, whole: 0 };

/** Forgets the last body (tests: the next call tokenizes the whole body). */
export function forgetLastEdit(): void {
  last = null;
}

/** What reaches across sections: link definitions (`[x]: …`), footnotes (`[^x]`), CR and NUL (markdown-it's normalization). */
const reachesAcross = (body: string): boolean => body.includes("]:") || body.includes("[^") || body.includes("\r") || body.includes("\0");

function reuse(prev: NonNullable<typeof last>, body: string, base: number, baseLine: number, lines: LineIndex): MarkdownFacts | null {
  const old = prev.body;
  if (old === body && prev.baseLine === baseLine) return prev.facts;
  if (prev.facts.htmlAnchors.length) return null;
  // The changed stretch: [p, old.length - s) of the old body, [p, body.length - s) of the new.
  const max = Math.min(old.length, body.length);
  const p = commonPrefix(old, body, max);
  const s = commonSuffix(old, body, max - p);
  // Section starts of the old body (offsets of lines that open an ATX heading at column 1).
  const oldLineOf = (h: Heading) => h.range.line - prev.baseLine; // 0-based line in the old body
  const starts: { line: number; offset: number; opening: number }[] = [];
  {
    let line = 0;
    let offset = 0;
    for (const h of prev.facts.headings) {
      if (h.range.column !== 1) continue;
      const target = oldLineOf(h);
      while (line < target && offset !== -1) {
        offset = old.indexOf("\n", offset);
        if (offset !== -1) offset++;
        line++;
      }
      if (offset === -1) return null;
      const opening = ATX.exec(old.slice(offset, offset + 8));
      if (opening && blankBefore(old, offset)) starts.push({ line: target, offset, opening: opening[0].length });
    }
  }
  let from = { line: 0, offset: 0 };
  let to: { line: number; offset: number } | null = null;
  for (const st of starts) {
    // The heading's opening unchanged, so the edited body has a section start there too.
    if (st.offset + st.opening <= p) from = st;
    else if (st.offset >= old.length - s && st.offset > from.offset) {
      to = st;
      break;
    }
  }
  if (!to) return null; // the change runs to the end: little to save
  const shift = body.length - old.length;
  const newTo = to.offset + shift;
  if (!blankBefore(body, newTo)) return null;
  // The stretch plus the next section's heading line, to see that the heading is still one.
  let headingEnd = body.indexOf("\n", newTo);
  headingEnd = headingEnd === -1 ? body.length : headingEnd + 1;
  const mid = markdownFacts(body.slice(from.offset, headingEnd), base + from.offset, lines);
  const lineDelta = countLines(body, from.offset, newTo) - (to.line - from.line);
  const newToLine = baseLine + to.line + lineDelta; // file line of the next section's heading, now
  const lastHeading = mid.headings[mid.headings.length - 1];
  if (!lastHeading || lastHeading.range.line !== newToLine || lastHeading.range.column !== 1 || mid.htmlAnchors.length) return null;
  const fromLine = prev.baseLine + from.line; // old file line where the stretch starts
  const oldToLine = prev.baseLine + to.line;
  const before = baseLine - prev.baseLine; // lines the front matter added before the body
  const after = newToLine - oldToLine;
  const headings: Heading[] = [];
  const links: Link[] = [];
  for (const h of prev.facts.headings) if (h.range.line < fromLine) headings.push(movedHeading(h, before));
  for (const h of mid.headings) if (h.range.line < newToLine) headings.push(h);
  for (const h of prev.facts.headings) if (h.range.line >= oldToLine) headings.push(movedHeading(h, after));
  for (const l of prev.facts.links) if (l.range.line < fromLine) links.push(movedLink(l, before));
  for (const l of mid.links) if (l.range.line < newToLine) links.push(l);
  for (const l of prev.facts.links) if (l.range.line >= oldToLine) links.push(movedLink(l, after));
  // The same heading texts in the stretch as before: every slug stays (the usual edit, in a paragraph).
  const oldMid = prev.facts.headings.filter((h) => h.range.line >= fromLine && h.range.line < oldToLine);
  const newMid = mid.headings.filter((h) => h.range.line < newToLine);
  if (oldMid.length === newMid.length && oldMid.every((h, i) => h.text === newMid[i]!.text)) {
    newMid.forEach((h, i) => (h.slug = oldMid[i]!.slug));
    return { headings, links, htmlAnchors: [] };
  }
  const slugger = new GithubSlugger();
  const slugged = headings.map((h) => {
    const slug = slugger.slug(h.text);
    return slug === h.slug ? h : { ...h, slug };
  });
  return { headings: slugged, links, htmlAnchors: [] };
}

/** An ATX heading's opening (`#` to `######`, then a space, a tab or the line's end). */
const ATX = /^#{1,6}(?:[ \t\n]|$)/;

/** Whether `offset` starts the body or follows an empty line. */
const blankBefore = (text: string, offset: number): boolean => offset === 0 || (offset >= 2 && text.charCodeAt(offset - 1) === 0x0a && text.charCodeAt(offset - 2) === 0x0a) || (offset === 1 && text.charCodeAt(0) === 0x0a);

/** Strings compared a chunk at a time (natively), then a character at a time: a 100 KB body in microseconds. */
const CHUNK = 1024;

/** The length of the common start of `a` and `b`, at most `max`. */
function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.slice(n, n + CHUNK) === b.slice(n, n + CHUNK)) n += CHUNK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** The length of the common end of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.slice(a.length - n - CHUNK, a.length - n) === b.slice(b.length - n - CHUNK, b.length - n)) n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/*
 * A heading or link `lines` further down. Built field by field rather than spread: an edit
 * near the top of a 100 KB page moves every heading and link below it (thousands), and
 * object literals of one shape are several times cheaper than `{ ...item }` there (issue 14).
 */
const shifted = (r: Range, lines: number): Range => ({ line: r.line + lines, column: r.column, endLine: r.endLine + lines, endColumn: r.endColumn });

function movedHeading(h: Heading, lines: number): Heading {
  return lines === 0 ? h : { depth: h.depth, text: h.text, slug: h.slug, range: shifted(h.range, lines) };
}

function movedLink(l: Link, lines: number): Link {
  return lines === 0 ? l : { url: l.url, kind: l.kind, range: shifted(l.range, lines) };
}
