import MarkdownIt, { type PluginSimple } from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import footnote from "markdown-it-footnote";
import { HTML_OPEN_CLOSE_TAG_RE } from "markdown-it/lib/common/html_re.mjs";
import GithubSlugger from "github-slugger";
import type { Heading, Link, MarkdownFacts } from "../model/types.js";
import type { LineIndex } from "./line-index.js";
import { anchorsInHtml, micromarkFacts, micromarkHeadingText, micromarkLinks } from "./micromark-facts.js";

/**
 * The facts rules need from a Markdown body: its headings (with GitHub anchors) and its
 * link destinations, with spans. Bodies are GitHub Flavored Markdown (SPEC §1): tables,
 * footnotes, task lists, literal autolinks and strikethrough. The facts are the ones
 * remark + remark-gfm's mdast gives (the tree the auditors' site renders from); they are
 * read from markdown-it's tokens (about 25 MB/s, against 1–2 MB/s for micromark's
 * events), with inline positions recovered from the source (markdown-it maps blocks to
 * lines only).
 */
export type { MarkdownFacts };

/** Where an inline link or image was found in its inline token's content. */
interface InlineSpan {
  start: number;
  end: number;
  /** `[text](dest)` (a link in mdast) rather than `[text][ref]` (a linkReference). */
  resource: boolean;
  /** For a resource, where its `(` is (the destination and title run from there to `end`). */
  dest: number;
}

/** A part of an inline token's content, [from, to), that is no text in GFM. */
interface Masked {
  from: number;
  to: number;
}

/** A link reference definition, which markdown-it keeps in `env` without a token. */
interface Definition {
  url: string;
  /** Offsets in the normalized source. */
  start: number;
  end: number;
  source: string;
  /** Its lines, [from, to). */
  from: number;
  to: number;
}

interface Env {
  definitions?: Definition[];
  /** First lines of definitions whose `<…>` destination or title sits on a lazy line (LAZY_ANGLE). */
  lazyAngleDefinitions?: number[];
  references?: unknown;
  footnotes?: unknown;
}

type InlineRule = (state: StateInline, silent: boolean) => boolean;
type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;
type Rules<T> = { __rules__: { name: string; fn: T }[] };

const md = new MarkdownIt("default", { html: true, linkify: false, typographer: false }).use(footnote as unknown as PluginSimple); // its types are written against the CommonJS markdown-it types
// GFM has no inline footnotes (`^[x]`), and the footnote plugin's tail would move the
// definitions (and the links in them) to the end of the token stream.
md.inline.ruler.disable(["footnote_inline"]);
md.core.ruler.disable(["footnote_tail", "replacements", "smartquotes"]);
// Destinations as written (decoded, never percent-encoded), and no destination refused:
// `javascript:` is still a link in mdast.
// A footnote definition ends a table or a blockquote as it ends a paragraph (GFM).
{
  const rule = (md.block.ruler as unknown as Rules<BlockRule>).__rules__.find((r) => r.name === "footnote_def")!.fn;
  // Nor does a block start at 4 columns of indentation (the plugin does not check).
  md.block.ruler.at("footnote_def", (state: StateBlock, startLine: number, endLine: number, silent: boolean) => state.sCount[startLine]! - state.blkIndent < 4 && rule(state, startLine, endLine, silent), {
    alt: ["paragraph", "reference", "blockquote"],
  });
}
md.validateLink = () => true;
md.normalizeLink = (url) => url;
md.normalizeLinkText = (text) => text;

const SETEXT_DASHES = /^-+[ \t]*$/;
const HTML_TAG_LINE = new RegExp(HTML_OPEN_CLOSE_TAG_RE.source + "\\s*$");

/** markdown-it's table rule, wrapped to record where each row's text is. */
{
  const rule = (md.block.ruler as unknown as Rules<BlockRule>).__rules__.find((r) => r.name === "table")!.fn;
  md.block.ruler.at(
    "table",
    (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
      const count = state.tokens.length;
      // A delimiter row of `-` only, without `|` or `:`, is a setext underline in GFM.
      const second = startLine + 1;
      if (second < endLine && SETEXT_DASHES.test(state.src.slice(state.bMarks[second]! + state.tShift[second]!, state.eMarks[second]))) return false;
      if (!rule(state, startLine, endLine, silent)) return false;
      if (!silent) {
        // GFM (micromark) ends a table body at a line of one HTML tag (an HTML block of
        // CommonMark's type 7), which markdown-it reads as a row.
        for (let l = startLine + 2; l < state.line; l++) {
          if (state.sCount[l]! - state.blkIndent < 4 && HTML_TAG_LINE.test(state.src.slice(state.bMarks[l]! + state.tShift[l]!, state.eMarks[l]))) {
            state.tokens.length = count;
            state.line = startLine;
            rule(state, startLine, l, false);
            break;
          }
        }
        for (let i = count; i < state.tokens.length; i++) {
          const t = state.tokens[i]!;
          if (t.type === "tr_open") {
            const l = t.map![0];
            t.meta = { start: state.bMarks[l]! + state.tShift[l]!, end: state.eMarks[l]! };
          }
        }
      }
      return true;
    },
    { alt: ["paragraph", "reference"] },
  );
}

/** Whether an image token has a link in its description, at any depth. */
function holdsLink(t: Token): boolean {
  return t.type === "image" && (t.children ?? []).some((c) => c.type === "link_open" || holdsLink(c));
}

/** markdown-it's link and image rules, wrapped to record where each link starts and ends. */
for (const name of ["link", "image"] as const) {
  const rule = (md.inline.ruler as unknown as Rules<InlineRule>).__rules__.find((r) => r.name === name)!.fn;
  md.inline.ruler.at(name, (state: StateInline, silent: boolean) => {
    const start = state.pos;
    const count = state.tokens.length;
    if (!rule(state, silent)) return false;
    if (!silent && name === "link" && state.tokens.slice(count).some(holdsLink)) {
      // A link in an image's description in this link's text: links do not contain links
      // (CommonMark), so this `[` is text (markdown-it 14.1.1 looks at the image only).
      state.tokens.length = count;
      state.pos = start;
      return false;
    }
    if (!silent) {
      const type = name === "link" ? "link_open" : "image";
      for (let i = count; i < state.tokens.length; i++) {
        const t = state.tokens[i]!;
        if (t.type === type) {
          // A reference (`[a][b]`, `[a]`) ends with `]`, an inline link with `)`.
          const resource = state.src.charCodeAt(state.pos - 1) === 0x29;
          // The label's end as the rule found it (the same call; it restores state.pos).
          const dest = resource ? md.helpers.parseLinkLabel(state, name === "link" ? start : start + 1, name === "link") + 1 : state.pos;
          t.meta = { start, end: state.pos, resource, dest } satisfies InlineSpan;
          break;
        }
      }
    }
    return true;
  });
}

/**
 * markdown-it's code span rule, wrapped so that its cache of backtick runs answers only
 * for code spans after the point its scan started. markdown-it 14.1.1 marks the line
 * "scanned to the end" when a run finds no closer, and then trusts that for any later
 * opener, also one before where that scan began: a link label's look-ahead scans
 * `` [`a [b](c) `d `` from the second backtick, and back at the first one the code span
 * `` `a [b](c) ` `` was missed (a link instead). CommonMark (and micromark) read the
 * code span: with the cache dropped when it does not cover the opener, so does this.
 */
{
  const rule = (md.inline.ruler as unknown as Rules<InlineRule>).__rules__.find((r) => r.name === "backticks")!.fn;
  md.inline.ruler.at("backticks", (state: StateInline, silent: boolean) => {
    if (state.src.charCodeAt(state.pos) !== 0x60 /* ` */) return false;
    // Fields markdown-it's types leave out; backticksFrom is this wrapper's own.
    const s = state as unknown as { pos: number; backticks: Record<number, number>; backticksScanned: boolean; backticksFrom?: number };
    const start = s.pos;
    if (s.backticksScanned && start < (s.backticksFrom ?? 0)) {
      s.backticksScanned = false;
      s.backticks = {};
    }
    const scanned = s.backticksScanned;
    const count = state.tokens.length;
    const ok = rule(state, silent);
    if (!scanned && s.backticksScanned) s.backticksFrom = start;
    // Where a code span's text is (inside its backticks), for autolinkIntoBracket.
    if (ok && !silent && state.tokens.length > count) {
      const t = state.tokens[state.tokens.length - 1]!;
      if (t.type === "code_inline") t.meta = { from: start + t.markup.length, to: state.pos - t.markup.length } satisfies Masked;
    }
    return ok;
  });
}

/**
 * markdown-it's reference rule, wrapped: definitions are links in mdast, each with its
 * destination and span, duplicates included (markdown-it keeps the first one only).
 */
{
  const rules = (md.block.ruler as unknown as Rules<BlockRule>).__rules__;
  const rule = rules.find((r) => r.name === "reference")!.fn;
  const lheading = rules.find((r) => r.name === "lheading")!.fn;
  const paragraph = rules.find((r) => r.name === "paragraph")!.fn;
  /** Whether line `line` goes on the paragraph a definition opened (CommonMark), rather than start a block. */
  const continues = (state: StateBlock, line: number, endLine: number) => {
    if (line >= endLine || state.isEmpty(line) || state.sCount[line]! < state.blkIndent) return false;
    if (state.sCount[line]! - state.blkIndent >= 4) return true;
    const parentType = state.parentType;
    state.parentType = "paragraph";
    const interrupts = md.block.ruler.getRules("paragraph").some((r) => r(state, line, endLine, true));
    state.parentType = parentType;
    return !interrupts;
  };
  md.block.ruler.at("reference", (state: StateBlock, startLine: number, endLine: number, silent: boolean) => {
    if (!rule(state, startLine, endLine, silent)) return false;
    if (silent) return true;
    let from = startLine;
    for (;;) {
      const d = definitionAt(state, from, state.line);
      const env = state.env as Env & { references?: Record<string, unknown> };
      if (d && lazyAngle(state, from, state.line)) {
        // No definition for micromark: not in the facts, not a source for other blocks, and
        // its label resolves no reference unless an earlier definition gave it.
        (env.lazyAngleDefinitions ??= []).push(from);
        const label = /^\[((?:[^\\\]]|\\[^])*)\]:/.exec(d.source)?.[1];
        const key = label === undefined ? undefined : md.utils.normalizeReference(label);
        if (key !== undefined && env.references && !(env.definitions ?? []).some((e) => md.utils.normalizeReference(/^\[((?:[^\\\]]|\\[^])*)\]:/.exec(e.source)?.[1] ?? "") === key)) delete env.references[key];
      } else if (d) (env.definitions ??= []).push(d);
      // markdown-it starts a new block after a definition; in CommonMark the lines after it
      // are still its paragraph's (`    indented` is text there, not code).
      from = state.line;
      if (!continues(state, from, endLine)) break;
      // A paragraph line's indentation is no code block here: the rules see it as none.
      const indent = state.sCount[from]!;
      state.sCount[from] = Math.min(indent, state.blkIndent);
      const more = rule(state, from, endLine, false);
      if (!more && !lheading(state, from, endLine, false)) paragraph(state, from, endLine, false);
      state.sCount[from] = indent;
      if (!more) break;
    }
    return true;
  });
}

/**
 * Whether a definition on lines [from, to) has a lazy line (less indented than its list
 * item's content, or without its blockquote's `>`) holding a `<`. micromark refuses a
 * `<…>` destination with a space on such a line (`- [r]:\n<f g.md>`: a paragraph, no
 * definition) where markdown-it, like CommonMark's reference parsers, accepts it; such a
 * container is read by micromark, as for LAZY_DIFFERS (found by the property test).
 */
function lazyAngle(state: StateBlock, from: number, to: number): boolean {
  for (let l = from + 1; l < to; l++) {
    if (state.sCount[l]! < state.blkIndent && state.src.slice(state.bMarks[l]! + state.tShift[l]!, state.eMarks[l]).includes("<")) return true;
  }
  return false;
}

/** Re-reads the definition markdown-it accepted on lines [from, to) (its own steps). */
function definitionAt(state: StateBlock, from: number, to: number): Definition | null {
  const starts: number[] = [];
  let str = "";
  for (let l = from; l < to; l++) {
    const s = state.bMarks[l]! + state.tShift[l]!;
    starts.push(s);
    str += state.src.slice(s, state.eMarks[l]) + "\n";
  }
  const toSource = (o: number): number => {
    let line = 0;
    let at = 0;
    while (line + 1 < starts.length) {
      const next = str.indexOf("\n", at) + 1;
      if (o < next) break;
      at = next;
      line++;
    }
    return starts[line]! + (o - at);
  };
  const max = str.length;
  let pos = 1;
  while (pos < max) {
    const c = str.charCodeAt(pos);
    if (c === 0x5c /* \ */) pos += 2;
    else if (c === 0x5d /* ] */) break;
    else pos++;
  }
  pos += 2; // `]:`
  while (pos < max && isSpaceOrNewline(str.charCodeAt(pos))) pos++;
  const dest = md.helpers.parseLinkDestination(str, pos, max);
  if (!dest.ok) return null;
  let end = dest.pos;
  pos = dest.pos;
  while (pos < max && isSpaceOrNewline(str.charCodeAt(pos))) pos++;
  if (pos > end) {
    const title = md.helpers.parseLinkTitle(str, pos, max);
    if (title.ok) {
      let after = title.pos;
      while (after < max && isSpace(str.charCodeAt(after))) after++;
      if (after >= max || str.charCodeAt(after) === 0x0a) end = title.pos;
    }
  }
  return { url: dest.str, start: toSource(0), end: toSource(end - 1) + 1, source: str.slice(0, end), from, to: from + str.slice(0, end).split("\n").length };
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;
const isSpaceOrNewline = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a;

/** The source markdown-it reads: CR LF and CR become LF, NUL becomes U+FFFD (its normalize step). */
class Source {
  readonly text: string;
  /** Start of each line in `text`, and in the original body. */
  private readonly starts: number[] = [0];
  private readonly originalStarts: number[] | null = null;

  constructor(body: string) {
    this.text = /[\r\0]/.test(body) ? body.replace(/\r\n?/g, "\n").replace(/\0/g, "\uFFFD") : body;
    for (let i = this.text.indexOf("\n"); i !== -1; i = this.text.indexOf("\n", i + 1)) this.starts.push(i + 1);
    if (this.text !== body) {
      this.originalStarts = [0];
      const re = /\r\n?|\n/g;
      for (let m = re.exec(body); m; m = re.exec(body)) this.originalStarts.push(m.index + m[0].length);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }

  /** Line `line` without its line ending. */
  line(line: number): string {
    const s = this.lineStart(line);
    const e = this.starts[line + 1];
    return this.text.slice(s, e === undefined ? this.text.length : e - 1);
  }

  /** An offset in `text` as an offset in the original body. */
  original(offset: number): number {
    if (!this.originalStarts) return offset;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.originalStarts[lo]! + (offset - this.starts[lo]!);
  }
}

/**
 * Maps offsets in an inline token's content back to the source. markdown-it builds the
 * content of a paragraph or heading from its lines, each a suffix of its source line
 * (container markers and indentation cut off), joined with `\n` and trimmed as a whole;
 * so line k of the content ends where source line `first + k` ends (the last one before
 * its trailing blanks). A tab split by indentation becomes spaces: those map to the
 * start of the rest of the line.
 */
function contentMap(src: Source, content: string, first: number): (offset: number) => number {
  const contentStarts: number[] = [0];
  for (let i = content.indexOf("\n"); i !== -1; i = content.indexOf("\n", i + 1)) contentStarts.push(i + 1);
  const sourceStarts = contentStarts.map((cs, k) => {
    const last = k === contentStarts.length - 1;
    const piece = content.slice(cs, last ? content.length : contentStarts[k + 1]! - 1);
    const line = src.line(first + k);
    const text = last ? line.trimEnd() : line;
    const lineStart = src.lineStart(first + k);
    if (text.endsWith(piece)) return lineStart + text.length - piece.length;
    const rest = piece.replace(/^ +/, "");
    // The spaces a split tab became: they stand before the rest of the line.
    if (text.endsWith(rest)) return lineStart + text.length - piece.length;
    const at = line.indexOf(piece);
    return lineStart + Math.max(0, at);
  });
  return (offset) => {
    let k = contentStarts.length - 1;
    while (k > 0 && contentStarts[k]! > offset) k--;
    return Math.max(src.lineStart(first + k), sourceStarts[k]! + offset - contentStarts[k]!);
  };
}

/**
 * A table row's cells as markdown-it splits them (`escapedSplit`, then the empty first
 * and last cells dropped, then each trimmed), each with the offset in the source of
 * every character it keeps (a `\\|` loses its backslash). All cells, also those past
 * the header's count, which markdown-it drops and GFM keeps.
 */
function rowCells(src: Source, start: number, end: number): { content: string; at: number[] }[] {
  const text = src.text.slice(start, end).trim();
  const columns: { content: string; at: number[] }[] = [];
  let content = "";
  let at: number[] = [];
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7c /* | */) {
      if (!escaped) {
        columns.push({ content, at });
        content = "";
        at = [];
        escaped = false;
        continue;
      }
      content = content.slice(0, -1);
      at.pop();
    }
    content += text[i];
    at.push(start + i);
    escaped = c === 0x5c; /* \ */
  }
  columns.push({ content, at });
  if (columns.length && columns[0]!.content === "") columns.shift();
  if (columns.length && columns[columns.length - 1]!.content === "") columns.pop();
  return columns.map((col) => {
    const lead = col.content.length - col.content.trimStart().length;
    const trimmed = col.content.trim();
    return { content: trimmed, at: col.at.slice(lead, lead + trimmed.length) };
  });
}

const CONTAINERS = new Set(["bullet_list_open", "ordered_list_open", "blockquote_open", "footnote_reference_open"]);

/** The index of the token that closes the block `tokens[open]` opens. */
function closing(tokens: readonly Token[], open: number): number {
  const level = tokens[open]!.level;
  for (let i = open + 1; i < tokens.length; i++) if (tokens[i]!.level === level && tokens[i]!.nesting === -1) return i;
  return tokens.length - 1;
}

/**
 * Lines after the first of a paragraph in a list, blockquote or footnote where micromark
 * ends the paragraph and markdown-it (as CommonMark) does not: a line of `=` only (a lazy
 * line is no setext underline), a line that starts like a definition, and a line that
 * starts with an HTML tag (micromark lets a lazy one open an HTML block).
 */
const LAZY_DIFFERS = /\n[ \t]*(?:=+[ \t]*(?:\n|$)|\[[^\]\n]*\]:|<[a-zA-Z/])/;

/** Whether a paragraph in tokens (open, close) has a line where micromark reads it otherwise (LAZY_DIFFERS). */
function lazyUnderline(tokens: readonly Token[], open: number, close: number): boolean {
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!;
    if (t.type === "inline" && t.content.includes("\n") && LAZY_DIFFERS.test(t.content)) return true;
  }
  return false;
}

/**
 * A GFM literal autolink (`www.`, `http://`, `https://`) running into a `[`, a `]` or a
 * backtick: it takes them in, so brackets and code spans pair up otherwise than markdown-it
 * pairs them.
 */
const LITERAL_AUTOLINK_BEFORE_BRACKET = /(?:www\.|:\/\/)[^\s<]*[[\]`]/i;

/**
 * Whether an inline token's text has a GFM literal autolink running into a bracket or a
 * backtick (LITERAL_AUTOLINK_BEFORE_BRACKET) outside the destinations of its inline links
 * and the text of its code spans: neither is text in GFM, so `[[`a`](https://x/a)]` (every
 * line of a release note) and `` `https://x/a` `` have none, while `www.e.com/[a](b.md)`
 * and `` https://a.com/b`c [d](e.md) ` `` have one.
 */
function autolinkIntoBracket(inline: Token): boolean {
  const content = inline.content;
  if (!LITERAL_AUTOLINK_BEFORE_BRACKET.test(content)) return false;
  const masked: Masked[] = [];
  for (const t of inline.children ?? []) {
    if ((t.type === "link_open" || t.type === "image") && (t.meta as InlineSpan | null)?.resource) masked.push({ from: (t.meta as InlineSpan).dest, to: (t.meta as InlineSpan).end });
    else if (t.type === "code_inline" && t.meta) masked.push(t.meta as Masked);
  }
  if (!masked.length) return true;
  // A linked image's destination comes before its link's: in source order.
  masked.sort((a, b) => a.from - b.from);
  let text = "";
  let at = 0;
  for (const m of masked) {
    if (m.from < at) continue;
    text += content.slice(at, m.from) + " ";
    at = m.to;
  }
  return LITERAL_AUTOLINK_BEFORE_BRACKET.test(text + content.slice(at));
}

/** Heading text that markdown-it and GFM may read apart: strikethrough (GFM has `~x~`), literal autolinks next to delimiters. */
const GFM_ONLY_IN_HEADING = /~|(?:www\.|:\/\/|@)[^\s]*[*_]|[*_][^\s]*(?:www\.|:\/\/|@)/i;

/**
 * @param body   the Markdown after the front matter
 * @param base   offset of `body` in the file, so spans are whole-file positions
 */
export function markdownFacts(body: string, base: number, lines: LineIndex): MarkdownFacts {
  return markdownFactsAndBlocks(body, base, lines).facts;
}

/**
 * A line of a body where the tokens from there on depend on nothing before it but what
 * `kind` says:
 * - `block`: a block at the top level, after an empty line, whose previous top-level block
 *   was closed by that empty line or earlier whatever follows;
 * - `weak`: the same, but the previous block is closed by this line's first character (a
 *   list or an indented code block goes on past an empty line when the next line is an item
 *   or indented, and ends at one that starts with anything else at column 1: `endsLists`);
 * - `item`: an item of a top-level bullet list (not its first), its marker at column 1 and
 *   then a space or a tab: while those two characters stay and the line is no thematic
 *   break, the item before ends there (everything in it is indented) and this one starts
 *   as the first item of a list would.
 * Never inside or right after a stretch micromark read. With the counts of facts found
 * before it, so an editor can keep them.
 */
export interface Restart {
  /** 0-based line in the body, and its offset. */
  line: number;
  offset: number;
  kind: "block" | "weak" | "item";
  headings: number;
  links: number;
  htmlAnchors: number;
}

/** The facts, plus what `markdown-edit.ts` needs to re-tokenize part of the body later. */
export interface FactsAndBlocks {
  facts: MarkdownFacts;
  /** In document order; the body's start is not among them. */
  restarts: Restart[];
  /** Link definitions, footnotes, CR or NUL: what reaches from one block into others. */
  crossing: boolean;
  /**
   * How the body ends, for more lines after it: `closed`, an empty line closed every block
   * (they start afresh, as at a restart); `weak`, so did it but for a list or an indented
   * code block, which a line that ENDS_LISTS closes; `open`, anything else.
   */
  end: "closed" | "weak" | "open";
  /** Whether a block starts on the body's first line (it is a restart, when the body is a stretch cut at one). */
  startsWithBlock: boolean;
  /**
   * The marker of the bullet list that starts on the body's first line, or 0: an item cut
   * from its list is read as a list's first item only then (a table's or a thematic
   * break's rule, tried before the list's at the top level, may take the line instead).
   */
  startsWithList: number;
  /**
   * The marker (`-`, `*`, `+`) of the bullet list that is the body's last top-level block and
   * runs to its end (an item of that marker after it goes on the list), or 0.
   */
  endList: number;
  /** Whether some block was read by micromark (LAZY_DIFFERS): no item restarts then. */
  fallback: boolean;
}

/** Top-level blocks that may go on past an empty line, depending on the lines after it. */
const OPEN_PAST_EMPTY = new Set(["bullet_list_open", "ordered_list_open", "code_block"]);
const EMPTY_LINE = /^[ \t]*$/;

/**
 * Whether a line starting with character `c` at column 1 ends a top-level list or indented
 * code block before it (after an empty line): no item marker (`-`, `+`, `*`, a digit), no
 * indentation, and not empty.
 */
export const endsLists = (c: number): boolean => !(c === 0x2d || c === 0x2b || c === 0x2a || (c >= 0x30 && c <= 0x39) || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || Number.isNaN(c));

/** `markdownFacts`, with the body's restart lines (see Restart). */
export function markdownFactsAndBlocks(body: string, base: number, lines: LineIndex): FactsAndBlocks {
  const src = new Source(body);
  const env: Env = {};
  const tokens = md.parse(src.text, env);
  const restarts: Restart[] = [];
  /** How the last top-level block is closed: by an empty line whatever follows, by a line that ENDS_LISTS, or not surely (see Restart). */
  let lastClose: "closed" | "weak" | "open" = "closed";
  let lastEnd = 0;
  /** The top-level bullet list being read (its marker), and whether it had an item yet. */
  let list = 0;
  let items = 0;
  let fallback = false;
  const range = (start: number, end: number) => lines.range(base + src.original(start), base + src.original(end));

  const headings: Heading[] = [];
  const links: Link[] = [];
  const htmlAnchors: string[] = [];
  /** Headings whose text needs GFM's own reading, once every definition is known. */
  const redo: { index: number; source: string }[] = [];
  /** Footnote definitions, for the text micromark reads on its own (a call needs its definition). */
  const footnotes: string[] = [];
  for (const t of tokens) if (t.type === "footnote_reference_open") footnotes.push(`[^${(t.meta as { label: string }).label}]: -`);
  const definitions = env.definitions ?? [];
  /** Definitions in document order, merged in by line. */
  let nextDefinition = 0;
  const flushDefinitions = (beforeLine: number) => {
    while (nextDefinition < definitions.length && definitions[nextDefinition]!.start < src.lineStart(beforeLine)) {
      const d = definitions[nextDefinition++]!;
      links.push({ url: d.url, kind: "definition", range: range(d.start, d.end) });
    }
  };

  let heading: { depth: number; start: number; end: number; index: number } | null = null;
  let row: { start: number; end: number } | null = null;
  let cells: Token[] = [];

  const inlineLinks = (inline: Token, map: () => (o: number) => number) => {
    let toSource: ((o: number) => number) | null = null;
    const children = inline.children ?? [];
    if (autolinkIntoBracket(inline)) {
      // A GFM literal autolink may take in a `[` or a backtick, so links markdown-it does
      // not see can appear (`www.e.com/[`a [b](c.md) `d`): micromark reads this paragraph.
      toSource = map();
      for (const l of micromarkLinks(inline.content, definitions.map((d) => d.source))) links.push({ url: l.url, kind: l.kind, range: range(toSource(l.start), toSource(l.end - 1) + 1) });
      for (const t of children) if (t.type === "html_inline") anchorsInHtml(t.content, htmlAnchors);
      return;
    }
    for (const t of children) {
      if (t.type === "html_inline") anchorsInHtml(t.content, htmlAnchors);
      else if ((t.type === "link_open" || t.type === "image") && t.meta && (t.meta as InlineSpan).resource) {
        const s = t.meta as InlineSpan;
        toSource ??= map();
        links.push({ url: t.type === "image" ? t.attrGet("src")! : t.attrGet("href")!, kind: t.type === "image" ? "image" : "link", range: range(toSource(s.start), toSource(s.end - 1) + 1) });
      }
    }
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.map) flushDefinitions(t.map[0]);
    if (t.level === 0 && t.nesting !== -1 && t.map) {
      const line = t.map[0];
      const offset = src.lineStart(line);
      const weak = lastClose === "weak";
      if (line > 0 && (lastClose === "closed" || (weak && endsLists(src.text.charCodeAt(offset)))) && EMPTY_LINE.test(src.line(line - 1))) {
        restarts.push({ line, offset, kind: weak ? "weak" : "block", headings: headings.length, links: links.length, htmlAnchors: htmlAnchors.length });
      }
      lastClose = OPEN_PAST_EMPTY.has(t.type) ? "weak" : t.type === "footnote_reference_open" ? "open" : "closed";
      lastEnd = t.map[1];
      list = t.type === "bullet_list_open" ? t.markup.charCodeAt(0) : 0;
      items = 0;
    } else if (list && t.type === "list_item_open" && t.level === 1 && t.map) {
      const offset = src.lineStart(t.map[0]);
      const after = src.text.charCodeAt(offset + 1);
      if (items++ > 0 && src.text.charCodeAt(offset) === list && (after === 0x20 || after === 0x09)) {
        restarts.push({ line: t.map[0], offset, kind: "item", headings: headings.length, links: links.length, htmlAnchors: htmlAnchors.length });
      }
    }
    if (t.level === 0 && t.nesting === 1 && CONTAINERS.has(t.type)) {
      const close = closing(tokens, i);
      if (lazyUnderline(tokens, i, close) || env.lazyAngleDefinitions?.some((l) => l >= t.map![0] && l < t.map![1])) {
        // A list, blockquote or footnote whose paragraph goes on lazily into a line where
        // micromark and markdown-it part ways (LAZY_DIFFERS): micromark reads this block,
        // up to the next blank line (where both agree again); its lines are whole, so its
        // positions are the file's.
        let first = Infinity;
        let last = 0;
        for (let k = i; k <= close; k++) {
          const m = tokens[k]!.map;
          if (m) [first, last] = [Math.min(first, m[0]), Math.max(last, m[1])];
        }
        while (last < src.lineCount && src.line(last).trim() !== "") last++;
        const from = src.original(src.lineStart(first));
        const to = src.original(src.lineStart(last));
        flushDefinitions(first);
        const facts = micromarkFacts(body.slice(from, to), base + from, lines, [...definitions.map((d) => d.source), ...footnotes]);
        headings.push(...facts.headings);
        links.push(...facts.links);
        htmlAnchors.push(...facts.htmlAnchors);
        while (nextDefinition < definitions.length && definitions[nextDefinition]!.start < src.lineStart(last)) nextDefinition++;
        i = close;
        while (i + 1 < tokens.length && !(tokens[i + 1]!.level === 0 && tokens[i + 1]!.map && tokens[i + 1]!.map![0] >= last)) {
          i++;
        }
        // No restart right after a stretch micromark read.
        lastClose = "open";
        list = 0;
        fallback = true;
        lastEnd = Math.max(lastEnd, last);
        continue;
      }
    }
    switch (t.type) {
      case "heading_open": {
        const [from, to] = t.map!;
        const inline = tokens[i + 1]!;
        const depth = Number(t.tag.slice(1));
        let start: number;
        let end: number;
        if (t.markup.charCodeAt(0) === 0x23 /* # */) {
          const line = src.line(from);
          const lineStart = src.lineStart(from);
          start = lineStart + line.indexOf("#");
          end = lineStart + line.length;
        } else {
          start = contentMap(src, inline.content, from)(0);
          // Definitions right before a setext heading are in its span in mdast (micromark
          // reads them as the start of the heading's paragraph).
          let line = from;
          for (let d = definitions.length - 1; d >= 0; d--) {
            const def = definitions[d]!;
            if (def.to === line) {
              start = def.start;
              line = def.from;
            } else if (def.to < line) break;
          }
          end = src.lineStart(to - 1) + src.line(to - 1).length;
        }
        heading = { depth, start, end, index: headings.length };
        headings.push({ depth, text: headingText(inline), slug: "", range: range(start, end) });
        // mdast keeps a line ending inside inline code; markdown-it makes it a space.
        if (GFM_ONLY_IN_HEADING.test(inline.content) || autolinkIntoBracket(inline) || (t.markup.charCodeAt(0) !== 0x23 && inline.content.includes("`") && inline.content.includes("\n"))) redo.push({ index: headings.length - 1, source: src.text.slice(start, end) });
        break;
      }
      case "heading_close":
        heading = null;
        break;
      case "inline":
        if (t.map) {
          const first = t.map[0];
          inlineLinks(t, () => contentMap(src, t.content, first));
        } else if (row) cells.push(t);
        break;
      case "tr_open":
        row = t.meta as { start: number; end: number };
        cells = [];
        break;
      case "tr_close": {
        const text = src.text.slice(row!.start, row!.end);
        if (text.includes("[") || text.includes("<")) {
          const all = rowCells(src, row!.start, row!.end);
          all.forEach((cell, k) => {
            const toSource = (o: number) => cell.at[o] ?? (cell.at.length ? cell.at[cell.at.length - 1]! + 1 : row!.start);
            // Cells past the header's count: GFM keeps them, markdown-it drops them.
            const inline = cells[k] ?? md.parseInline(cell.content, env)[0]!;
            inlineLinks(inline, () => toSource);
          });
        }
        row = null;
        break;
      }
      case "html_block":
        anchorsInHtml(t.content, htmlAnchors);
        break;
    }
  }
  flushDefinitions(Number.MAX_SAFE_INTEGER);
  if (redo.length) {
    const sources = [...definitions.map((d) => d.source), ...footnotes];
    for (const r of redo) headings[r.index]!.text = micromarkHeadingText(r.source, sources);
  }
  // Slugs in document order, so duplicates get GitHub's -1, -2 suffixes in the right places.
  const slugger = new GithubSlugger();
  for (const h of headings) {
    h.text = own(h.text);
    h.slug = slugger.slug(h.text);
  }
  for (const l of links) l.url = own(l.url);
  for (let i = 0; i < htmlAnchors.length; i++) htmlAnchors[i] = own(htmlAnchors[i]!);
  // markdown-it's lines: a last line without its `\n` is one too.
  const lineMax = src.text.endsWith("\n") ? src.lineCount - 1 : src.lineCount;
  // A list (in isolation) runs to the body's end, its trailing empty lines included.
  const endsEmpty = src.text.length === 0 || (src.text.endsWith("\n") && EMPTY_LINE.test(src.line(lineMax - 1)));
  const end = !endsEmpty ? "open" : lastClose === "weak" ? "weak" : lastClose === "closed" && (lastEnd < lineMax || src.text.length === 0) ? "closed" : "open";
  const crossing = env.references !== undefined || env.footnotes !== undefined || definitions.length > 0 || footnotes.length > 0 || src.text !== body;
  const first = tokens.find((t) => t.level === 0 && t.map);
  return { facts: { headings, links, htmlAnchors }, restarts, crossing, end, startsWithBlock: first?.map![0] === 0, startsWithList: first?.map![0] === 0 && first.type === "bullet_list_open" ? first.markup.charCodeAt(0) : 0, endList: lastEnd === lineMax ? list : 0, fallback };
}

/**
 * A copy of a string cut from the document that does not keep the document alive: V8
 * keeps a slice of 13 characters or more as a pointer into its parent, so one kept link
 * destination held its whole page (a workspace of 15.7 MB of pages kept all 15.7 MB for
 * 11,212 links). Concatenating, then slicing, leaves a copy of the short string only.
 */
function own(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/** A heading's rendered text as mdast-util-to-string gives it (no image alt, no HTML). */
function headingText(inline: Token): string {
  let text = "";
  for (const t of inline.children ?? []) {
    switch (t.type) {
      case "text":
      case "code_inline":
        text += t.content;
        break;
      case "softbreak":
        text += "\n";
        break;
    }
  }
  return text;
}
