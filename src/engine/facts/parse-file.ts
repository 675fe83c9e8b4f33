import { decodeText } from "./decode.js";
import { LineIndex } from "./line-index.js";
import { probableFrontMatter, splitFrontMatter, type FrontMatter } from "./front-matter.js";
import { parseYamlRecord, salvageIdFrom, type YamlRecord, type YamlRecordOptions } from "./yaml-record.js";
import { fastYamlValues } from "./yaml-values.js";
import { topLevelKeyStarts, topLevelScalarSpan } from "./top-keys.js";
import { markdownFacts, type MarkdownFacts } from "./markdown-facts.js";
import { markdownFactsForEdit } from "./markdown-edit.js";
import { expectsStringFor, validateKind, type SchemaProblem } from "./validator.js";
import { kindDef } from "../model/kinds.js";
import { type DocumentFacts, type Finding, type Kind, type LineLengths, type Range } from "../model/types.js";

/** What one governed file yields on its own: its facts and the findings of parsing it. */
export interface FileResult {
  facts: DocumentFacts;
  findings: Finding[];
}

export interface ParseOptions {
  /**
   * `lazy` (bulk loads): positions and unneeded Markdown bodies are left for later, and
   * YAML values come from the fast path. `eager` (an editor's single file): everything now.
   */
  positions?: "lazy" | "eager";
}

/** Files above this are not read at all: no governance document is 5 MB of text. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

const LINE1: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Kinds whose body every run needs (they have required sections by default); others only when they hold links. */
const bodyAlways = (kind: Kind): boolean => (kindDef(kind)?.sections.length ?? 0) > 0;
const isMarkdown = (kind: Kind): boolean => kindDef(kind)?.format === "markdown";

function emptyFacts(file: string, kind: Kind): DocumentFacts {
  return {
    file, kind, format: isMarkdown(kind) ? "markdown" : "yaml", parsed: false,
    id: null, title: null, values: {}, ranges: {}, headings: [], links: [], htmlAnchors: [], bodyLine: 1, lineLengths: [0],
  };
}

/** A file that could not be read at all (too large, unreadable, a bad symlink). */
export function unreadableResult(file: string, kind: Kind, code: string, message: string): FileResult {
  return { facts: emptyFacts(file, kind), findings: [{ code, severity: "error", message, file, ...LINE1, docId: null }] };
}

type Text = { ok: true; text: string; problem?: { message: string; offset: number } } | { ok: false; message: string };

function toText(input: Uint8Array | string): Text {
  if (typeof input === "string") return { ok: true, text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input };
  return decodeText(input);
}

/** Where the YAML of a file is: the front matter of Markdown, the whole of a record. */
function yamlSpan(text: string, markdown: boolean): { fm: FrontMatter | null; start: number; end: number; bodyStart: number } {
  if (!markdown) return { fm: null, start: 0, end: text.length, bodyStart: text.length };
  const fm = splitFrontMatter(text);
  if (fm.status !== "ok") return { fm, start: 0, end: 0, bodyStart: 0 };
  return { fm, start: fm.yamlStart, end: fm.yamlEnd, bodyStart: fm.bodyStart };
}

/**
 * Parses one governed file: decode, split front matter, read YAML values, extract
 * Markdown headings and links, check the kind's JSON Schema. Pure: same bytes, same
 * result; so it can run in a worker and be cached by content hash.
 */
export function parseFile(file: string, kind: Kind, input: Uint8Array | string, options: ParseOptions = {}): FileResult {
  const eager = options.positions === "eager";
  const facts = emptyFacts(file, kind);
  const findings: Finding[] = [];
  const add = (code: string, message: string, range: Range, data?: Record<string, unknown>) =>
    findings.push({ code, severity: "error", message, file, ...range, docId: facts.id, ...(data ? { data } : {}) });

  const decoded = toText(input);
  if (!decoded.ok) {
    add("parse/encoding", decoded.message, LINE1);
    return { facts, findings };
  }
  const text = decoded.text;
  let lines: LineIndex | null = null;
  const lineIndex = () => (lines ??= new LineIndex(text));
  if (decoded.problem) {
    const at = lineIndex().position(decoded.problem.offset);
    add("parse/encoding", decoded.problem.message, { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 1 });
  }
  const markdown = facts.format === "markdown";
  const span = yamlSpan(text, markdown);

  if (markdown) {
    // A front matter that failed still shows its `id` to a reader: lend it to references,
    // so one broken fence does not cascade into `ref/unknown` in every document naming it.
    const probable = span.fm!.status === "ok" ? null : probableFrontMatter(text);
    if (probable) facts.id = salvageIdFrom(text.slice(probable.start, probable.end)) ?? null;
    const fenceLine = probable ? lineIndex().position(probable.start).line - 1 : 0;
    if (span.fm!.status === "missing" && facts.id !== null && fenceLine > 1) {
      add("parse/front-matter", `The front matter starts on line ${fenceLine}, not line 1, so it is not read; move its \`---\` block to the very top of the file, above any heading or blank line.`, lineIndex().lineRange(1));
    } else if (span.fm!.status === "missing") add("parse/front-matter", "This document has no front matter; start the file with a `---` line, its YAML fields (id, title, owner…), and a closing `---` line.", lineIndex().lineRange(1));
    else if (span.fm!.status === "unclosed") add("parse/front-matter", "The front matter opened by `---` on line 1 is never closed; add a `---` line after its last field.", lineIndex().lineRange(1));
    else facts.bodyLine = span.fm!.closingLine + 1;
    // Links can only start with `[` (links, images, definitions) or `<` (autolinks, HTML);
    // a body without either, of a kind with no required sections, needs no tokenizing now.
    const body = span.bodyStart === 0 ? text : text.slice(span.bodyStart);
    if (eager || bodyAlways(kind) || body.includes("[") || body.includes("<") || findings.length > 0) {
      const md = eager ? markdownFactsForEdit(body, span.bodyStart, lineIndex()) : markdownFacts(body, span.bodyStart, lineIndex());
      facts.headings = md.headings;
      facts.links = md.links;
      facts.htmlAnchors = md.htmlAnchors;
    } else {
      facts.headings = null;
      facts.links = [];
      facts.htmlAnchors = null;
    }
    if (span.fm!.status !== "ok") {
      facts.lineLengths = lineIndex().lineLengths();
      return { facts, findings };
    }
  }

  const expectsString = expectsStringFor(kind);
  const positioned = (): YamlRecord => (eager ? recordForEdit : parseYamlRecord)(text, span.start, span.end, lineIndex(), { expectsString });
  let record: YamlRecord | null = null;
  let raw: unknown;
  const fast = eager ? null : fastYamlValues(text.slice(span.start, span.end), expectsString);
  if (fast) raw = fast.values ?? {};
  else {
    record = positioned();
    if (!record.ok) {
      facts.id = record.salvagedId ?? null;
      facts.ranges = record.ranges;
      facts.lineLengths = lineIndex().lineLengths();
      add("parse/yaml", record.error!.message, record.error!.range);
      return { facts, findings };
    }
    raw = record.values;
  }

  const isRecord = raw !== null && typeof raw === "object" && !Array.isArray(raw);
  facts.values = isRecord ? (raw as Record<string, unknown>) : {};
  facts.parsed = true;
  if (typeof facts.values.id === "string") facts.id = facts.values.id;
  const title = facts.values.title ?? facts.values.name ?? facts.values.product;
  facts.title = typeof title === "string" ? title : null;

  const problems = validateKind(kind, raw);
  // Findings only at top-level keys (a docs site's pages: `id` missing, `cascade` unknown)
  // are placed by a line scan; the positioned record is then left for later, as for a
  // clean document (the Workspace computes it if another finding asks for a span).
  if (fast && !eager && problems.length > 0 && findings.length === 0 && isRecord) {
    const at = fast.keyStarts && keyRanges(problems, span.start, fast.keyStarts, Object.keys(facts.values), lineIndex());
    if (at) {
      facts.ranges = null;
      facts.lineLengths = lineIndex().lineLengths();
      for (const p of problems) add(p.code, p.message, at.get(p.at)!, p.data);
      return { facts, findings };
    }
  }
  // Positions only where a finding needs them: a clean document never pays for them.
  if (problems.length > 0 || findings.length > 0 || eager) record ??= positioned();
  if (record) {
    facts.ranges = record.ranges;
    facts.lineLengths = lineIndex().lineLengths();
  } else {
    facts.ranges = null;
    facts.lineLengths = null;
  }
  // The opening `---` (Markdown) or the first line (YAML) stands for the whole record.
  const rootRange = () => (markdown ? lineIndex().lineRange(1) : lineIndex().range(span.start, span.start));
  for (const p of problems) add(p.code, p.message, rangeFor(record!.ranges, p.at) ?? rootRange(), p.data);
  return { facts, findings };
}

/**
 * The span of each problem's pointer when every one is the first key (`#first`) or a
 * top-level key (`/name#key`) and a line scan is sure where those keys are; else null.
 * Each span is the one yaml's Document gives the key (yaml-record.ts), so findings match.
 */
function keyRanges(problems: readonly SchemaProblem[], start: number, starts: ReadonlyMap<string, number>, keys: readonly string[], lines: LineIndex): Map<string, Range> | null {
  const named = problems.map((p) => topLevelPointer(p.at, keys));
  if (named.some((n) => !n?.ofKey)) return null;
  const out = new Map<string, Range>();
  for (const [i, p] of problems.entries()) {
    const key = named[i]!.key;
    const at = starts.get(key);
    if (at === undefined) return null;
    out.set(p.at, lines.range(start + at, start + at + key.length));
  }
  return out;
}

/**
 * The front matter an editor parsed last, with the text up to its end: typing in the body
 * of a page re-parses the same front matter on every keystroke, and its values and spans
 * depend only on that text (and the kind's schema, through `expectsString`), so the record
 * is reused rather than parsed again (issue 14). Records are never mutated after parsing.
 */
let lastEdit: { prefix: string; start: number; expectsString: YamlRecordOptions["expectsString"]; record: YamlRecord } | null = null;

function recordForEdit(text: string, start: number, end: number, lines: LineIndex, options: YamlRecordOptions): YamlRecord {
  const prefix = text.slice(0, end);
  if (lastEdit && lastEdit.start === start && lastEdit.expectsString === options.expectsString && lastEdit.prefix === prefix) return lastEdit.record;
  const record = parseYamlRecord(text, start, end, lines, options);
  lastEdit = { prefix, start, expectsString: options.expectsString, record };
  return record;
}

/** Positions of a document parsed lazily: its value and key spans and its line lengths. */
export function positionsOf(kind: Kind, input: Uint8Array | string): { ranges: Record<string, Range>; lineLengths: LineLengths } {
  const decoded = toText(input);
  if (!decoded.ok) return { ranges: {}, lineLengths: [0] };
  const text = decoded.text;
  const lines = new LineIndex(text);
  const span = yamlSpan(text, isMarkdown(kind));
  const record = parseYamlRecord(text, span.start, span.end, lines, { expectsString: expectsStringFor(kind) });
  return { ranges: record.ranges, lineLengths: lines.lineLengths() };
}

/**
 * The top-level key a pointer names, and whether it names the key itself (`/name#key`, and
 * `#first` for the first key) or its value (`/name`); null for any other pointer. A key
 * a line scan can find has no `/`, `~` or `#` (top-keys.ts), so none needs unescaping.
 */
function topLevelPointer(pointer: string, keys: readonly string[]): { key: string; ofKey: boolean } | null {
  if (pointer === "#first") return keys.length ? { key: keys[0]!, ofKey: true } : null;
  const m = /^\/([^/#~]+)(#key)?$/.exec(pointer);
  return m ? { key: m[1]!, ofKey: m[2] !== undefined } : null;
}

/**
 * A document's line lengths, and the spans a line scan is sure of (top-level keys, and their
 * values when plain scalars on the key's line, see top-keys.ts), without yaml's positioned
 * parse: `rangeAt` answers null for any other pointer, and the caller then parses
 * (`positionsOf`). `keys` are the document's parsed top-level keys, in order.
 */
export function scannedPositionsOf(kind: Kind, input: Uint8Array | string, keys: readonly string[]): { lineLengths: LineLengths; rangeAt(pointer: string): Range | null } {
  const decoded = toText(input);
  if (!decoded.ok) return { lineLengths: [0], rangeAt: () => null };
  const text = decoded.text;
  const lines = new LineIndex(text);
  const span = yamlSpan(text, isMarkdown(kind));
  const source = text.slice(span.start, span.end);
  const starts = span.end > span.start ? topLevelKeyStarts(source, keys) : null;
  const rangeAt = (pointer: string): Range | null => {
    const named = starts && topLevelPointer(pointer, keys);
    const at = named ? starts.get(named.key) : undefined;
    if (!named || at === undefined) return null;
    if (named.ofKey) return lines.range(span.start + at, span.start + at + named.key.length);
    const value = topLevelScalarSpan(source, named.key, at);
    return value ? lines.range(span.start + value[0], span.start + value[1]) : null;
  };
  return { lineLengths: lines.lineLengths(), rangeAt };
}

/** Headings and links of a Markdown document's body (after its front matter, if any). */
export function markdownOf(input: Uint8Array | string): MarkdownFacts | null {
  const decoded = toText(input);
  if (!decoded.ok) return null;
  const text = decoded.text;
  const fm = splitFrontMatter(text);
  const start = fm.status === "ok" ? fm.bodyStart : 0;
  return markdownFacts(text.slice(start), start, new LineIndex(text));
}

/** The span for a ranges key, falling back to the nearest enclosing value that has one. */
export function rangeFor(ranges: Record<string, Range>, key: string): Range | undefined {
  if (ranges[key]) return ranges[key];
  let ptr = key.replace(/#.*$/, "");
  if (key.endsWith("#first") && ranges[ptr]) return ranges[ptr];
  while (ptr) {
    if (ranges[ptr]) return ranges[ptr];
    ptr = ptr.slice(0, ptr.lastIndexOf("/"));
  }
  return ranges[""];
}
