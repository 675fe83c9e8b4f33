import GithubSlugger from "github-slugger";
import type { Heading, Link, MarkdownFacts, Range } from "../model/types.js";
import type { LineIndex } from "./line-index.js";
import { endsLists, markdownFactsAndBlocks, type Restart } from "./markdown-facts.js";

/**
 * `markdownFacts` for an editor's edits: the same facts, but when the body is the last one
 * given here with one stretch changed, only the blocks around the change are tokenized
 * again (a 100 KB page re-tokenized whole on every keystroke costs more than the edit's
 * time budget).
 *
 * The whole tokenizing marks its restarts (`Restart` in markdown-facts.ts): top-level
 * blocks after an empty line that closed every block before them, so the tokens from
 * there on depend only on the text from there on. The stretch from the last restart at
 * or before the change to the first one wholly after it is tokenized alone; the facts
 * before and after it are the last ones, moved by the lines the edit added or removed.
 * The stretch is checked to close every block by its last (empty) line, as the old text
 * did there: an unclosed fence, a list or an indented code block could run on into the
 * rest, and then the whole body is tokenized as before. So is a body with link
 * definitions, footnotes or CR characters (which reach from one block into others), in
 * the old text or the new stretch. Slugs are worked out again over all headings when the
 * stretch's heading texts changed (their `-1` suffixes count every earlier heading).
 */
interface Last {
  body: string;
  /** The file line the body starts on. */
  baseLine: number;
  facts: MarkdownFacts;
  restarts: Restart[];
  crossing: boolean;
}
let last: Last | null = null;

export function markdownFactsForEdit(body: string, base: number, lines: LineIndex): MarkdownFacts {
  const at = lines.position(base);
  const prev = last;
  last = null;
  const edited = at.column === 1 && prev && !prev.crossing ? reuse(prev, body, base, at.line, lines) : null;
  if (edited) editStats.sections++;
  else editStats.whole++;
  const next = edited ?? { ...markdownFactsAndBlocks(body, base, lines), body, baseLine: at.line };
  if (at.column === 1) last = next;
  return next.facts;
}

/** How many bodies were tokenized by stretch, and how many whole; the last stretch's length (for tests and benchmarks). */
export const editStats = { sections: 0, whole: 0, stretch: 0 };

/** The restarts kept for the next edit (tests: they must equal a whole tokenizing's). */
export function lastRestarts(): readonly Restart[] | null {
  return last?.restarts ?? null;
}

/** Forgets the last body (tests: the next call tokenizes the whole body). */
export function forgetLastEdit(): void {
  last = null;
}

function reuse(prev: Last, body: string, base: number, baseLine: number, lines: LineIndex): Last | null {
  const old = prev.body;
  if (old === body && prev.baseLine === baseLine) return prev;
  // CR and NUL: markdown-it's normalization moves offsets (the old body was checked by its tokenizing).
  if (body.includes("\r") || body.includes("\0")) return null;
  // The changed stretch: [p, old.length - s) of the old body, [p, body.length - s) of the new.
  const max = Math.min(old.length, body.length);
  const p = commonPrefix(old, body, max);
  const s = commonSuffix(old, body, max - p);
  const start: Restart = { line: 0, offset: 0, kind: "block", headings: 0, links: 0, htmlAnchors: 0 };
  // The last restart at or before the change (the text before it, and its empty line, unchanged)
  // and the first one wholly after it (binary searches: a long page has thousands).
  const restarts = prev.restarts;
  let lo = 0;
  let hi = restarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (restarts[mid]!.offset <= p) lo = mid + 1;
    else hi = mid;
  }
  let fromIndex = lo - 1; // -1: the body's start
  while (fromIndex >= 0 && !holds(restarts[fromIndex]!, body, p)) fromIndex--;
  const from = fromIndex >= 0 ? restarts[fromIndex]! : start;
  lo = fromIndex + 1;
  hi = restarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (restarts[mid]!.offset < old.length - s) lo = mid + 1;
    else hi = mid;
  }
  const shift = body.length - old.length;
  // Text inserted right before a restart leaves it mid-line, or without its empty line: the next one, then.
  while (lo < restarts.length && !startsLine(restarts[lo]!, body, restarts[lo]!.offset + shift)) lo++;
  const toIndex = lo; // restarts.length: the body's end
  const to = toIndex < restarts.length ? restarts[toIndex]! : null;
  const newTo = to ? to.offset + shift : body.length;
  const mid = markdownFactsAndBlocks(body.slice(from.offset, newTo), base + from.offset, lines);
  editStats.stretch = newTo - from.offset;
  if (mid.crossing) return null;
  // The stretch closes every block before `to`, or leaves a list that `to`'s line ends, or
  // (an item) a list of its marker that it goes on, with nothing read by micromark.
  if (to?.kind === "item" ? mid.endList !== body.charCodeAt(newTo) || mid.fallback : to && !(mid.end === "closed" || (mid.end === "weak" && endsLists(body.charCodeAt(newTo))))) return null;
  if (from.kind === "item" && (mid.fallback || mid.startsWithList !== body.charCodeAt(from.offset))) return null;

  const midLines = countLines(body, from.offset, newTo);
  const before = baseLine - prev.baseLine; // lines the front matter added before the body
  const after = to ? from.line + midLines - to.line + before : 0; // lines the edit added before the rest
  const f = prev.facts;
  const toCount = to ?? { headings: f.headings.length, links: f.links.length, htmlAnchors: f.htmlAnchors.length };
  const headings: Heading[] = [];
  const links: Link[] = [];
  for (let i = 0; i < from.headings; i++) headings.push(movedHeading(f.headings[i]!, before));
  for (const h of mid.facts.headings) headings.push(h);
  for (let i = toCount.headings; i < f.headings.length; i++) headings.push(movedHeading(f.headings[i]!, after));
  for (let i = 0; i < from.links; i++) links.push(movedLink(f.links[i]!, before));
  for (const l of mid.facts.links) links.push(l);
  for (let i = toCount.links; i < f.links.length; i++) links.push(movedLink(f.links[i]!, after));
  const htmlAnchors = [...f.htmlAnchors.slice(0, from.htmlAnchors), ...mid.facts.htmlAnchors, ...f.htmlAnchors.slice(toCount.htmlAnchors)];

  // The restarts of the new body: the old ones before the stretch (`from` while a block
  // still starts there), the stretch's own, then the old ones from `to` on, moved (`to` is
  // still one: the stretch closed every block).
  const next: Restart[] = restarts.slice(0, mid.startsWithBlock ? fromIndex + 1 : Math.max(0, fromIndex));
  const inMid = (r: Restart): Restart => ({ line: r.line + from.line, offset: r.offset + from.offset, kind: r.kind, headings: r.headings + from.headings, links: r.links + from.links, htmlAnchors: r.htmlAnchors + from.htmlAnchors });
  for (const r of mid.restarts) next.push(inMid(r));
  if (to) {
    const dLine = from.line + midLines - to.line;
    const dHeadings = from.headings + mid.facts.headings.length - to.headings;
    const dLinks = from.links + mid.facts.links.length - to.links;
    const dAnchors = from.htmlAnchors + mid.facts.htmlAnchors.length - to.htmlAnchors;
    for (let i = toIndex; i < restarts.length; i++) {
      const r = restarts[i]!;
      if (i === toIndex && newTo === 0) continue; // the stretch went: the body's start is no restart
      next.push({ line: r.line + dLine, offset: r.offset + shift, kind: i === toIndex && r.kind !== "item" ? (mid.end === "weak" ? "weak" : "block") : r.kind, headings: r.headings + dHeadings, links: r.links + dLinks, htmlAnchors: r.htmlAnchors + dAnchors });
    }
  }

  // The same heading texts in the stretch as before: every slug stays (the usual edit, in a paragraph).
  const oldMid = f.headings.slice(from.headings, toCount.headings);
  const newMid = mid.facts.headings;
  let facts: MarkdownFacts;
  if (oldMid.length === newMid.length && oldMid.every((h, i) => h.text === newMid[i]!.text)) {
    newMid.forEach((h, i) => (h.slug = oldMid[i]!.slug));
    facts = { headings, links, htmlAnchors };
  } else {
    const slugger = new GithubSlugger();
    const slugged = headings.map((h) => {
      const slug = slugger.slug(h.text);
      return slug === h.slug ? h : { ...h, slug };
    });
    facts = { headings: slugged, links, htmlAnchors };
  }
  return { body, baseLine, facts, restarts: next, crossing: false };
}

/** Whether restart `r` of the old body still is one in `body`, whose first `p` characters are the old ones (see Restart's kinds). */
function holds(r: Restart, body: string, p: number): boolean {
  if (r.kind === "block") return r.offset <= p;
  if (r.kind === "weak") return r.offset < p;
  if (r.offset + 2 > p) return false;
  const end = body.indexOf("\n", r.offset);
  return !THEMATIC_BREAK.test(body.slice(r.offset, end === -1 ? body.length : end));
}

/** A thematic break (`- - -`, `***`), which an item's line can become: it is no item then. */
const THEMATIC_BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** Whether old restart `r`, now at `at` in `body`, still starts a line there (an item) or follows an empty line (a block). */
const startsLine = (r: Restart, body: string, at: number): boolean => (r.kind === "item" ? body.charCodeAt(at - 1) === 0x0a : emptyLineBefore(body, at));

/** Whether `offset` (a line's start) starts the body or follows a line of spaces and tabs only (markdown-it's empty line). */
function emptyLineBefore(text: string, offset: number): boolean {
  if (offset === 0) return true;
  if (text.charCodeAt(offset - 1) !== 0x0a) return false;
  let i = offset - 2;
  while (i >= 0 && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i--;
  return i < 0 || text.charCodeAt(i) === 0x0a;
}

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
