import { decodeText } from "../text/decode.js";
import { LineIndex } from "../text/line-index.js";
import { splitFrontMatter } from "../parse/front-matter.js";
import { parseYamlRecord, type YamlRecord } from "../parse/yaml-record.js";
import { markdownFacts } from "../parse/markdown-facts.js";
import { expectsStringFor, validateKind } from "../schema/validator.js";
import { MARKDOWN_KINDS, type DocumentFacts, type Finding, type Kind, type Range } from "../types.js";

/** What one governed file yields on its own: its facts and the findings of parsing it. */
export interface FileResult {
  facts: DocumentFacts;
  findings: Finding[];
}

/** Files above this are not read at all: no governance document is 5 MB of text. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

const LINE1: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function emptyFacts(file: string, kind: Kind): DocumentFacts {
  return {
    file, kind, format: MARKDOWN_KINDS.has(kind) ? "markdown" : "yaml", parsed: false,
    id: null, title: null, values: {}, ranges: {}, headings: [], links: [], bodyLine: 1, lineLengths: [0],
  };
}

/** A file that could not be read at all (too large, unreadable, a bad symlink). */
export function unreadableResult(file: string, kind: Kind, code: string, message: string): FileResult {
  return { facts: emptyFacts(file, kind), findings: [{ code, severity: "error", message, file, ...LINE1, docId: null }] };
}

/**
 * Parses one governed file: decode, split front matter, read YAML with spans, extract
 * Markdown headings and links, check the kind's JSON Schema. Pure: same bytes, same
 * result; so it can run in a worker and be cached by content hash.
 */
export function parseFile(file: string, kind: Kind, input: Uint8Array | string): FileResult {
  const facts = emptyFacts(file, kind);
  const findings: Finding[] = [];
  const add = (code: string, message: string, range: Range, data?: Record<string, unknown>) =>
    findings.push({ code, severity: "error", message, file, ...range, docId: facts.id, ...(data ? { data } : {}) });

  let text: string;
  if (typeof input === "string") text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  else {
    const decoded = decodeText(input);
    if (!decoded.ok) {
      add("parse/encoding", decoded.message, LINE1);
      return { facts, findings };
    }
    text = decoded.text;
    if (decoded.problem) {
      const at = new LineIndex(text).position(decoded.problem.offset);
      add("parse/encoding", decoded.problem.message, { line: at.line, column: at.column, endLine: at.line, endColumn: at.column + 1 });
    }
  }
  const lines = new LineIndex(text);
  facts.lineLengths = lines.lineLengths();
  const expectsString = expectsStringFor(kind);

  let record: YamlRecord | null = null;
  let yamlStart = 0;
  if (facts.format === "markdown") {
    const fm = splitFrontMatter(text);
    let bodyStart = 0;
    if (fm.status === "missing") {
      add("parse/front-matter", "This document has no front matter; start the file with a `---` line, its YAML fields (id, title, owner…), and a closing `---` line.", lines.lineRange(1));
    } else if (fm.status === "unclosed") {
      add("parse/front-matter", "The front matter opened by `---` on line 1 is never closed; add a `---` line after its last field.", lines.lineRange(1));
    } else {
      yamlStart = fm.yamlStart;
      record = parseYamlRecord(text, fm.yamlStart, fm.yamlEnd, lines, { expectsString });
      bodyStart = fm.bodyStart;
      facts.bodyLine = fm.closingLine + 1;
    }
    const md = markdownFacts(bodyStart === 0 ? text : text.slice(bodyStart), bodyStart, lines);
    facts.headings = md.headings;
    facts.links = md.links;
  } else {
    record = parseYamlRecord(text, 0, text.length, lines, { expectsString });
  }

  if (!record) return { facts, findings };
  facts.ranges = record.ranges;
  if (!record.ok) {
    facts.id = record.salvagedId ?? null;
    add("parse/yaml", record.error!.message, record.error!.range);
    return { facts, findings };
  }

  const raw: unknown = record.values;
  const isRecord = raw !== null && typeof raw === "object" && !Array.isArray(raw);
  facts.values = isRecord ? (raw as Record<string, unknown>) : {};
  facts.parsed = true;
  if (typeof facts.values.id === "string") facts.id = facts.values.id;
  const title = facts.values.title ?? facts.values.name ?? facts.values.product;
  facts.title = typeof title === "string" ? title : null;

  // The opening `---` (Markdown) or the first line (YAML) stands for the whole record.
  const rootRange = facts.format === "markdown" ? lines.lineRange(1) : lines.range(yamlStart, yamlStart);
  for (const p of validateKind(kind, raw)) add(p.code, p.message, rangeFor(record.ranges, p.at) ?? rootRange, p.data);
  return { facts, findings };
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
