import { parse, postprocess, preprocess } from "micromark";
import { gfm } from "micromark-extension-gfm";
import type { InitialConstruct } from "micromark-util-types";
// Not in micromark's exports map; see mergeDataRuns.
import { createTokenizer } from "../../../node_modules/micromark/lib/create-tokenizer.js";
import { text as textInitial } from "../../../node_modules/micromark/lib/initialize/text.js";
import { decodeString } from "micromark-util-decode-string";
import GithubSlugger from "github-slugger";
import type { Heading, Link } from "../model/types.js";
import type { LineIndex } from "./line-index.js";

import type { MarkdownFacts } from "../model/types.js";

/**
 * An `<a …>` tag's `id` or `name`, matched within one tag: the text from a `<` up to the
 * next `<`. Scanning from a `<a` to the next `>` instead is quadratic on a block of
 * unclosed `<a b ` tags, each scan running to the end of the block.
 */
const HTML_ANCHOR = /^<a\s[^>]*?\b(?:id|name)\s*=\s*(?:"([^"<]*)"|'([^'<]*)'|([^\s<>]+))/i;

export function anchorsInHtml(html: string, into: string[]): void {
  let at = html.indexOf("<");
  while (at !== -1) {
    const next = html.indexOf("<", at + 1);
    const c = html.charCodeAt(at + 1) | 0x20;
    if (c === 0x61 /* a */) {
      const m = HTML_ANCHOR.exec(next === -1 ? html.slice(at) : html.slice(at, next));
      if (m) into.push(m[1] ?? m[2] ?? m[3] ?? "");
    }
    at = next;
  }
}

type Token = { type: string; start: { offset: number }; end: { offset: number } };
type Context = { sliceSerialize(token: Token): string };
type Event = ["enter" | "exit", Token, Context];

/** Tokens whose text does not show in a heading's rendered text. */
const HIDDEN_IN_HEADING = new Set(["resource", "reference", "htmlText", "image", "emphasisSequence", "strongSequence", "codeTextSequence", "labelMarker", "strikethroughSequence", "gfmFootnoteCall"]);

/** Tokens whose source text is a heading's rendered text. */
const TEXT_IN_HEADING = new Set(["data", "codeTextData", "autolinkProtocol", "autolinkEmail", "literalAutolinkHttp", "literalAutolinkWww", "literalAutolinkEmail"]);

/**
 * micromark's text resolver (`resolveAllText`) merges each run of adjacent `data` events
 * with one `Array#splice`, which moves every later event of the paragraph: quadratic in a
 * long paragraph with many runs (`See [1]` × 40,000 lines: each failed `[1]` leaves a run
 * of four). The merge is done here first, in one pass and exactly as that resolver does it,
 * so the resolver itself (which also splits off line suffixes) then finds no run left.
 * micromark does not export its tokenizer factory or text initializer, so they are taken
 * from its files (micromark is pinned at an exact version); results are unchanged.
 */
function mergeDataRuns(events: Event[]): Event[] {
  let w = 0;
  let i = 0;
  const n = events.length;
  while (i < n) {
    if (events[i]![1].type !== "data") {
      events[w++] = events[i++]!;
      continue;
    }
    let j = i + 2;
    while (j < n && events[j]![1].type === "data") j++;
    if (j !== i + 2) events[i]![1].end = events[j - 1]![1].end;
    events[w++] = events[i]!;
    events[w++] = events[i + 1]!;
    i = j;
  }
  events.length = w;
  return events;
}

const TEXT: InitialConstruct = {
  tokenize: textInitial.tokenize,
  resolveAll: (events, context) => textInitial.resolveAll!(mergeDataRuns(events as unknown as Event[]) as unknown as typeof events, context),
};

const EXTENSIONS = [gfm()];
const WITH_EMPHASIS = { extensions: EXTENSIONS } as Parameters<typeof parse>[0];
/**
 * Emphasis (`*`, `_`) is the costliest inline construct and decides nothing we need: in
 * CommonMark, links take precedence over emphasis, so link extents do not depend on it.
 * Only a heading's rendered text (hence its anchor) does; a heading with `*` or `_` in it
 * is tokenized again on its own with every construct.
 */
const WITHOUT_EMPHASIS = { extensions: [...EXTENSIONS, { disable: { null: ["attention"] } }] } as Parameters<typeof parse>[0];

function events(markdown: string, options: Parameters<typeof parse>[0]): Event[] {
  const parser = parse(options);
  parser.text = (from) => createTokenizer(parser, TEXT, from);
  return postprocess(parser.document().write(preprocess()(markdown, undefined, true))) as unknown as Event[];
}

/**
 * The rendered text of the first heading in `source`, with emphasis resolved. The
 * document's link definitions go after it, so `[text][ref]` stays a link there too.
 */
export function micromarkHeadingText(source: string, definitions: readonly string[]): string {
  const markdown = definitions.length ? `${source}\n\n${definitions.join("\n")}\n` : source;
  for (const h of collect(events(markdown, WITH_EMPHASIS), () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }), false).headings) return h.text;
  return source;
}

/**
 * The facts as micromark's events give them (the tokenizer before markdown-it): kept as
 * the reference the markdown-it path is tested against, and for heading text in the
 * rare headings where GFM and markdown-it read delimiters differently.
 */
export function micromarkFacts(body: string, base: number, lines: LineIndex, definitions: readonly string[] = []): MarkdownFacts {
  if (!definitions.length) return collect(events(body, WITHOUT_EMPHASIS), (t) => lines.range(base + t.start.offset, base + t.end.offset), true);
  // The document's definitions after `body`, so its references resolve; their own facts are dropped.
  const text = `${body}\n\n${definitions.join("\n")}\n`;
  const outside = { line: -1, column: 0, endLine: -1, endColumn: 0 };
  const facts = collect(events(text, WITHOUT_EMPHASIS), (t) => (t.start.offset >= body.length ? outside : lines.range(base + t.start.offset, base + t.end.offset)), true);
  return { headings: facts.headings.filter((h) => h.range !== outside), links: facts.links.filter((l) => l.range !== outside), htmlAnchors: facts.htmlAnchors };
}

/**
 * The inline links and images of `markdown` as micromark reads them, as offsets in it:
 * for a paragraph where a GFM literal autolink may take in a `[` (`www.x.com/[a](b)`),
 * which markdown-it does not know. The document's definitions go after it.
 */
export function micromarkLinks(markdown: string, definitions: readonly string[]): { url: string; kind: "link" | "image"; start: number; end: number }[] {
  // The text is a paragraph's. A first line such as `<a name="x">` opens an HTML block only
  // at a block's start (that kind cannot interrupt a paragraph), and a paragraph may begin
  // with one when it goes on from a definition (`[r]: <u>\n<a name="x">\n[l](l.md)`): read
  // it as a paragraph's continuation line behind a line of plain text.
  const lead = markdown.startsWith("<") ? "x\n" : "";
  const body = lead + markdown;
  const text = definitions.length ? `${body}\n\n${definitions.join("\n")}\n` : body;
  const out: { url: string; kind: "link" | "image"; start: number; end: number }[] = [];
  for (const l of collect(events(text, WITHOUT_EMPHASIS), (t) => ({ line: t.start.offset, column: 0, endLine: t.end.offset, endColumn: 0 }), false).links) {
    if (l.kind !== "definition" && l.range.line >= lead.length && l.range.line < body.length) out.push({ url: l.url, kind: l.kind, start: l.range.line - lead.length, end: l.range.endLine - lead.length });
  }
  return out;
}

function collect(events: Event[], span: (t: Token) => Heading["range"], emphasisDisabled: boolean): MarkdownFacts {
  const headings: Heading[] = [];
  const links: Link[] = [];
  const htmlAnchors: string[] = [];
  const slugger = new GithubSlugger();
  const definitions: string[] = [];
  /** Headings whose text needs emphasis resolved, once every definition is known. */
  const redo: { index: number; source: string }[] = [];

  let heading: { token: Token; depth: number; text: string } | null = null;
  let hidden = 0;
  let linkStack: { token: Token; kind: "link" | "image"; resource?: boolean; url?: boolean }[] = [];
  let definition: Token | null = null;

  for (let i = 0; i < events.length; i++) {
    const [phase, token, context] = events[i]!;
    const type = token.type;
    if (phase === "enter") {
      switch (type) {
        case "atxHeading":
        case "setextHeading":
          heading = { token, depth: 0, text: "" };
          break;
        case "atxHeadingSequence":
          if (heading && heading.depth === 0) heading.depth = context.sliceSerialize(token).length;
          break;
        case "setextHeadingLineSequence":
          if (heading) heading.depth = context.sliceSerialize(token).charAt(0) === "=" ? 1 : 2;
          break;
        case "link":
        case "image":
          linkStack.push({ token, kind: type });
          break;
        case "definition":
          definition = token;
          break;
        case "resource": {
          const top = linkStack[linkStack.length - 1];
          if (top) top.resource = true;
          break;
        }
        case "resourceDestinationString": {
          const top = linkStack[linkStack.length - 1];
          if (top) top.url = true;
          // A link inside an image's alt text is no link in mdast (the alt is plain text).
          if (top && !linkStack.some((l) => l !== top && l.kind === "image")) links.push({ url: decodeString(context.sliceSerialize(token)), kind: top.kind, range: span(top.token) });
          break;
        }
        case "htmlFlow":
        case "htmlText":
          anchorsInHtml(context.sliceSerialize(token), htmlAnchors);
          break;
        case "gfmFootnoteDefinitionLabelString":
          // A footnote call in a heading re-tokenized on its own needs its definition.
          definitions.push(`[^${context.sliceSerialize(token)}]: -`);
          break;
        case "definitionDestinationString":
          if (definition) links.push({ url: decodeString(context.sliceSerialize(token)), kind: "definition", range: span(definition) });
          break;
      }
      if (heading) {
        if (HIDDEN_IN_HEADING.has(type)) hidden++;
        else if (hidden === 0) {
          if (TEXT_IN_HEADING.has(type)) heading.text += context.sliceSerialize(token);
          else if (type === "characterEscape" || type === "characterReference") heading.text += decodeString(context.sliceSerialize(token));
          else if (type === "lineEnding" && heading.depth === 0) heading.text += "\n";
        }
      }
    } else {
      if (heading && HIDDEN_IN_HEADING.has(type)) hidden--;
      switch (type) {
        case "atxHeading":
        case "setextHeading":
          if (heading) {
            // Kept as remark's mdast-util-to-string gives it (a soft break stays "\n"), so the
            // anchor is the one github-slugger gives the site's renderer.
            // A setext heading's text is followed by the line ending before its underline,
            // which is no part of the heading in mdast.
            const text = type === "setextHeading" ? heading.text.replace(/\r?\n$/, "") : heading.text;
            if (emphasisDisabled && (text.includes("*") || text.includes("_"))) redo.push({ index: headings.length, source: context.sliceSerialize(heading.token) });
            headings.push({ depth: heading.depth, text, slug: "", range: span(heading.token) });
          }
          heading = null;
          hidden = 0;
          break;
        case "link":
        case "image": {
          // `[a]()` and `[a](<>)`: a link to "" in mdast.
          const top = linkStack.pop();
          if (top?.resource && !top.url && !linkStack.some((l) => l.kind === "image")) links.push({ url: "", kind: top.kind, range: span(top.token) });
          break;
        }
        case "definition":
          definitions.push(context.sliceSerialize(token));
          definition = null;
          break;
      }
    }
  }
  for (const r of redo) headings[r.index]!.text = micromarkHeadingText(r.source, definitions);
  // Slugs in document order, so duplicates get GitHub's -1, -2 suffixes in the right places.
  for (const h of headings) h.slug = slugger.slug(h.text);
  return { headings, links, htmlAnchors };
}
