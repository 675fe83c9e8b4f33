import type MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import type { Nesting } from "markdown-it/lib/token.mjs";
import { type AutolinkLiteral, EOF, findAutolinkLiterals, isWhitespace, mayHoldAutolinkLiteral } from "./gfm-autolink-literal.js";

/**
 * markdown-it plugin: bare URLs become links as GFM's autolink literals do (gfm-autolink-literal.ts),
 * in place of markdown-it's `linkify` (linkify-it), which also links bare domains (`example.com`,
 * `policy.md`), `ftp://` and `//host` and misses GFM's `www.` and e-mail rules. Use it with
 * `linkify: false`. Two rules, as markdown-it's own linkify has: an inline one at `://`, so that
 * emphasis markers inside an `http(s)://` literal stay in it as GFM keeps them, and a core one
 * over the text tokens for the rest. Where they still differ from micromark: a `www.` or e-mail
 * literal that runs into other inline markup (`www.x.com/_a_/b`, a code span, `&amp;`) ends where
 * markdown-it's text token ends, and a literal inside an unclosed `[` is linked (as remark-gfm's
 * mdast links it; micromark's HTML does not).
 */
export function gfmAutolinks(md: MarkdownIt): void {
  md.inline.ruler.after("linkify", "gfm_autolink_protocol", protocolLiteral);
  md.core.ruler.after("linkify", "gfm_autolink_literal", linkTextTokens);
}

const PREFIX: Record<AutolinkLiteral["kind"], string> = { www: "http://", email: "mailto:", protocol: "" };

function pushLink(state: StateCore | StateInline, nodes: Token[] | null, href: string, text: string, level: number): void {
  const make = (type: string, tag: string, nesting: Nesting) => (nodes ? new state.Token(type, tag, nesting) : (state as StateInline).push(type, tag, nesting));
  const open = make("link_open", "a", 1);
  open.attrs = [["href", href]];
  open.markup = "linkify";
  open.info = "auto";
  const body = make("text", "", 0);
  body.content = text;
  const close = make("link_close", "a", -1);
  close.markup = "linkify";
  close.info = "auto";
  if (nodes) {
    open.level = level;
    body.level = level + 1;
    close.level = level;
    nodes.push(open, body, close);
  }
}

/** The literals of one run of the source without whitespace (none crosses whitespace). */
interface Run {
  readonly from: number;
  readonly to: number;
  readonly literals: readonly AutolinkLiteral[];
}
/** Per inline parse, the run of the last `://`: the next `://` is most often in it, or after it. */
const lastRun = new WeakMap<StateInline, Run>();

function runAround(state: StateInline, at: number): Run {
  const { src, posMax } = state;
  const known = lastRun.get(state);
  if (known && at >= known.from && at < known.to) return known;
  let from = at;
  while (from > 0 && !isWhitespace(src.charCodeAt(from - 1))) from--;
  let to = at;
  while (to < posMax && !isWhitespace(src.charCodeAt(to))) to++;
  const literals = findAutolinkLiterals(src, { before: from > 0 ? src.charCodeAt(from - 1) : EOF, from, end: to, textGoesOn: to < src.length });
  const run = { from, to, literals };
  lastRun.set(state, run);
  return run;
}

/**
 * At `://` after `http` or `https`: the literal that GFM reads there in the source, if one starts
 * at the `h` (not after an ASCII letter, nor inside a `www.` or e-mail literal begun before it).
 */
function protocolLiteral(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  if (src.charCodeAt(pos) !== 0x3a || src.charCodeAt(pos + 1) !== 0x2f || src.charCodeAt(pos + 2) !== 0x2f) return false;
  if ((state as StateInline & { linkLevel: number }).linkLevel > 0) return false; // inside a link's text
  const scheme = /https?$/i.exec(state.pending)?.[0];
  if (scheme === undefined) return false;
  const start = pos - scheme.length;
  const literal = runAround(state, start).literals.find((l) => l.start === start);
  if (literal?.kind !== "protocol") return false;
  const url = src.slice(start, literal.end);
  const href = state.md.normalizeLink(url);
  if (!state.md.validateLink(href)) return false;
  if (!silent) {
    state.pending = state.pending.slice(0, -scheme.length);
    pushLink(state, null, href, state.md.normalizeLinkText(url), 0);
  }
  state.pos = literal.end;
  return true;
}

/**
 * The source character GFM sees before inline token `i`: the last of the token before (its
 * markup's last for delimiters, code spans, escapes and entities), EOF at the start of the inline.
 */
function charBefore(tokens: readonly Token[], i: number): number {
  const t = tokens[i - 1];
  if (t === undefined) return EOF;
  switch (t.type) {
    case "text":
      return t.content === "" ? charBefore(tokens, i - 1) : t.content.charCodeAt(t.content.length - 1);
    case "softbreak":
    case "hardbreak":
      return 0x0a;
    case "html_inline":
      return 0x3e; // every tag and comment ends with `>`
    case "link_close":
      // `>` closes `<…>`; `)` an inline link (a reference link's `]` is not told apart).
      return t.markup === "autolink" ? 0x3e : t.markup === "linkify" ? charBefore(tokens, i - 1) : 0x29;
    case "image":
      return 0x29;
    case "footnote_ref":
      return 0x5d;
    default:
      return t.markup === "" ? EOF : t.markup.charCodeAt(t.markup.length - 1);
  }
}

/** The literals of each text token outside links become links (markdown-it's linkify core rule, with GFM's literals). */
function linkTextTokens(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children || !mayHoldAutolinkLiteral(block.content)) continue;
    let tokens = (block.children = joinBackslashText(state, block.children));
    let htmlLinkLevel = 0;
    // From the end, so that replacing a token leaves the ones still to visit where they were.
    for (let i = tokens.length - 1; i >= 0; i--) {
      const token = tokens[i]!;
      if (token.type === "link_close") {
        // Skip the link's text.
        i--;
        while (tokens[i]!.level !== token.level && tokens[i]!.type !== "link_open") i--;
        continue;
      }
      if (token.type === "html_inline") {
        if (/^<a[>\s]/i.test(token.content) && htmlLinkLevel > 0) htmlLinkLevel--;
        if (/^<\/a\s*>/i.test(token.content)) htmlLinkLevel++;
      }
      if (htmlLinkLevel > 0 || token.type !== "text") continue;
      const text = token.content;
      if (!mayHoldAutolinkLiteral(text)) continue;
      const literals = findAutolinkLiterals(text, { before: charBefore(tokens, i), textGoesOn: i < tokens.length - 1 });
      if (literals.length === 0) continue;
      const nodes: Token[] = [];
      let last = 0;
      for (const { kind, start, end } of literals) {
        const prefix = PREFIX[kind];
        const url = prefix + text.slice(start, end);
        const href = state.md.normalizeLink(url);
        if (!state.md.validateLink(href)) continue;
        if (start > last) nodes.push(textToken(state, text.slice(last, start), token.level));
        pushLink(state, nodes, href, state.md.normalizeLinkText(url).slice(prefix.length), token.level);
        last = end;
      }
      if (last < text.length) nodes.push(textToken(state, text.slice(last), token.level));
      block.children = tokens = [...tokens.slice(0, i), ...nodes, ...tokens.slice(i + 1)];
    }
  }
}

/**
 * A backslash before a character it cannot escape (`CORP\j.doe@corp.example`) is text, and GFM
 * reads it with its neighbours: join such tokens and the text around them into one text token
 * (as markdown-it's text_join would afterwards), so an address or `www.` after one is found.
 */
function joinBackslashText(state: StateCore, tokens: Token[]): Token[] {
  const isText = (t: Token) => t.type === "text" || (t.type === "text_special" && t.info === "escape" && t.content === t.markup);
  if (!tokens.some((t) => t.type === "text_special" && t.info === "escape" && t.content === t.markup)) return tokens;
  const joined: Token[] = [];
  for (const t of tokens) {
    const last = joined[joined.length - 1];
    if (last !== undefined && isText(t) && last.type === "text" && last.level === t.level) last.content += t.content;
    else joined.push(isText(t) ? textToken(state, t.content, t.level) : t);
  }
  return joined;
}

function textToken(state: StateCore, content: string, level: number): Token {
  const t = new state.Token("text", "", 0);
  t.content = content;
  t.level = level;
  return t;
}
