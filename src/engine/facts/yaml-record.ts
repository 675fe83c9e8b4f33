import { parseDocument, isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type ParsedNode, type YAMLError } from "yaml";
import type { Range } from "../model/types.js";
import type { LineIndex } from "./line-index.js";

/**
 * YAML text → JSON values plus the span of every value and key, from yaml's Document
 * API. We build the JSON ourselves rather than call `toJS()` so that:
 * - a plain scalar is judged as written where the schema wants a string
 *   (`version: 1.10` stays "1.10", never the number 1.1);
 * - every value's span is recorded on the way (JSON pointer → range);
 * - alias bombs and absurd nesting stop at a budget with a clear error instead of
 *   exhausting memory or the stack.
 */

export interface YamlRecord {
  ok: boolean;
  values: Record<string, unknown>;
  /** Pointer → span of the value; `<pointer>#key` → span of its key; `<pointer>#first` → first key of a mapping. */
  ranges: Record<string, Range>;
  error?: { message: string; range: Range };
  /** Best-effort id of a record that failed to parse, so references to it still resolve. */
  salvagedId?: string;
}

export interface YamlRecordOptions {
  /** True where the schema wants a string at this pointer (array indices written as `*`). */
  expectsString?: (patternPointer: string) => boolean;
}

/** Most nodes one record may expand to: far above any real document, far below a bomb. */
export const MAX_NODES = 100_000;
/** Deepest nesting we walk: real governance records nest 3 levels. */
export const MAX_DEPTH = 100;

/** YAML 1.2.2 §10.2.1.4: the core schema's float, integers included. */
const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** Stops building a record: a budget is exceeded, or a construct we do not read (a complex key). */
class BudgetError extends Error {
  constructor(message: string, readonly node: Node) { super(message); }
}

export const escapePointer = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

export function parseYamlRecord(text: string, start: number, end: number, lines: LineIndex, options: YamlRecordOptions = {}): YamlRecord {
  // yaml ends lines only at LF (and CRLF); YAML also ends them at a lone CR (old Mac line
  // ends). One character for one, so every offset still indexes `text`.
  let source = text.slice(start, end);
  if (source.includes("\r")) source = source.replace(/\r(?!\n)/g, "\n");
  const ranges: Record<string, Range> = {};
  const span = (node: { range?: [number, number, number] | null } | null | undefined): Range | undefined =>
    node?.range ? lines.range(start + node.range[0], start + node.range[1]) : undefined;

  let doc: Document.Parsed;
  try {
    doc = parseDocument(source, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false, version: "1.2" });
  } catch (e) {
    // The parser itself recursed too deep (thousands of nested flow collections).
    if (e instanceof RangeError) return failure(lines.range(start, start), TOO_DEEP, ranges);
    return failure(lines.range(start, start), `The YAML could not be parsed (${(e as Error).message}); simplify its nesting.`, ranges);
  }
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    // An error that points at a line break points at what follows it (the next key), so
    // LF, CRLF and CR files get the same position.
    let a = err.pos[0];
    if (source[a] === "\r" || source[a] === "\n") {
      const next = source.slice(a).search(/[^\s]/);
      if (next > 0) a += next;
    }
    let b = Math.max(a + 1, err.pos[1]);
    if (source[b] === "\n" && source[b - 1] === "\r") b++;
    const rec = failure(lines.range(start + a, start + Math.min(b, source.length)), syntaxMessage(err, a, doc, source, start, lines), ranges);
    rec.salvagedId = salvageId(doc.contents);
    return rec;
  }

  let count = 0;
  const expectsString = options.expectsString ?? (() => false);
  const build = (node: Node | null, pointer: string, pattern: string, depth: number): unknown => {
    if (++count > MAX_NODES) throw new BudgetError(`The YAML expands to more than ${MAX_NODES.toLocaleString("en")} values (an alias bomb?); remove the aliases.`, node ?? (doc.contents as Node));
    if (depth > MAX_DEPTH) throw new BudgetError(`The YAML nests deeper than ${MAX_DEPTH} levels; flatten it.`, node ?? (doc.contents as Node));
    if (node === null || node === undefined) return null;
    const r = span(node as ParsedNode);
    if (r) ranges[pointer] = r;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target ? build(target, pointer, pattern, depth + 1) : null;
    }
    if (isScalar(node)) {
      let v = node.value;
      // YAML 1.2's core schema reads `!!float 5` as the float 5; yaml leaves it a string
      // (with a warning) because its float test wants a dot. js-yaml and the spec agree.
      if (node.tag === "tag:yaml.org,2002:float" && typeof v === "string" && CORE_FLOAT.test(v)) v = Number(v);
      if ((typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") && node.range && expectsString(pattern)) {
        return source.slice(node.range[0], node.range[1]).trim();
      }
      return typeof v === "bigint" ? Number(v) : v;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => build(item as Node, `${pointer}/${i}`, `${pattern}/*`, depth + 1));
    }
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      node.items.forEach((pair, i) => {
        if (!isPair(pair)) return;
        const keyNode = pair.key as Node | null;
        // An alias as a key stands for its anchor's scalar (`*k : 1` with `&k owner`).
        const keyTarget = isAlias(keyNode) ? (keyNode.resolve(doc) as Node | undefined) ?? null : keyNode;
        if (keyTarget !== null && !isScalar(keyTarget)) {
          throw new BudgetError("A list or mapping is used as a key; use a plain text key (complex keys are not supported).", keyNode ?? node);
        }
        const key = keyText(keyTarget, source);
        const child = `${pointer}/${escapePointer(key)}`;
        const keyRange = span(keyNode as ParsedNode);
        if (keyRange) {
          ranges[`${child}#key`] = keyRange;
          if (i === 0) ranges[`${pointer}#first`] = keyRange;
        }
        const value = build(pair.value as Node | null, child, `${pattern}/${escapePointer(key)}`, depth + 1);
        // A key with no value (`title:`) has no span of its own: point at the key.
        if (pair.value === null && keyRange) ranges[child] = keyRange;
        if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
        else obj[key] = value;
      });
      return obj;
    }
    return null;
  };

  try {
    const root = build(doc.contents as Node | null, "", "", 0);
    const values = root === null ? {} : (root as Record<string, unknown>);
    return { ok: true, values: values as Record<string, unknown>, ranges };
  } catch (e) {
    if (e instanceof BudgetError) {
      const at = span(e.node as ParsedNode) ?? lines.range(start, start);
      const rec = failure({ ...at, endLine: at.line, endColumn: at.line === at.endLine ? at.endColumn : at.column + 1 }, e.message, ranges);
      rec.salvagedId = salvageId(doc.contents);
      return rec;
    }
    if (e instanceof RangeError) return { ...failure(lines.range(start, start), TOO_DEEP, ranges), salvagedId: salvageId(doc.contents) };
    throw e;
  }
}

const TOO_DEEP = `The YAML nests deeper than ${MAX_DEPTH} levels; flatten it.`;

/** The key a syntax error's offset points at, as written (`owner` in `owner: x`). */
function keyAt(source: string, offset: number): string {
  const m = /^[ \t]*(?:-[ \t]+)?("[^"\n]*"|'[^'\n]*'|[^:#\r\n]*?)[ \t]*:(?:[ \t]|$)/m.exec(source.slice(offset, source.indexOf("\n", offset) === -1 ? undefined : source.indexOf("\n", offset)));
  return m ? m[1]!.replace(/^["']|["']$/g, "") : "";
}

/** Start of the line holding `offset`. */
const lineStartOf = (source: string, offset: number): number => Math.max(source.lastIndexOf("\n", offset - 1), source.lastIndexOf("\r", offset - 1)) + 1;

/**
 * yaml's first error, said the way a person editing a policy understands it: which key,
 * which line, and what to change. Errors without a better wording keep yaml's own.
 */
function syntaxMessage(err: YAMLError, at: number, doc: Document.Parsed, source: string, start: number, lines: LineIndex): string {
  const lineOf = (offset: number) => lines.position(start + offset).line;
  switch (err.code) {
    case "DUPLICATE_KEY": {
      const dup = duplicateKey(doc, at);
      const key = dup?.key ?? keyAt(source, at);
      const first = dup?.first !== undefined ? ` (first on line ${lineOf(dup.first)})` : "";
      return `The key \`${key}\` appears twice in the same mapping${first}; remove one of them or merge their values.`;
    }
    case "BLOCK_AS_IMPLICIT_KEY": {
      if (!err.message.startsWith("Nested mappings")) break;
      const key = keyAt(source, lineStartOf(source, at));
      const lineEnd = source.slice(at).search(/[\r\n]|$/);
      const rest = source.slice(at, at + lineEnd);
      // `title: Access: all staff`: a second `: ` on the line starts a nested mapping.
      if (/:(?:[ \t]|$)/.test(rest)) {
        return `The value of \`${key || "this field"}\` contains \`: \`, which YAML reads as a nested mapping; put the value in quotes, e.g. \`${key || "field"}: "${rest.trim().replace(/"/g, '\\"')}"\`.`;
      }
      // `owner: x` followed by a more indented `type: y`: yaml sees a mapping nested in a value.
      const where = key ? `\`${key}:\` (line ${lineOf(at)})` : `the field on line ${lineOf(at)}`;
      return `Bad indentation: the line after ${where} is indented further, so YAML reads it as nested inside that value; indent every field of a mapping to the same column (or leave ${key ? `\`${key}:\`` : "the field"} without a value if the lines below belong to it).`;
    }
    case "TAB_AS_INDENT":
      return `A tab is used for indentation on line ${lineOf(at)}; YAML allows only spaces there, so replace the tab with spaces.`;
    case "KEY_OVER_1024_CHARS":
      return `A key on line ${lineOf(at)} is longer than 1,024 characters, which YAML does not allow for a plain key; shorten it or write it as \`? key\` on its own line.`;
  }
  if (/call stack/i.test(err.message)) return TOO_DEEP;
  const message = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  return `YAML syntax error: ${message}. Fix the syntax (quote values that contain \`: \` or start with a special character).`;
}

/** The duplicated key at `offset` and the offset of its first occurrence in the same mapping. */
function duplicateKey(doc: Document.Parsed, offset: number): { key: string; first: number | undefined } | undefined {
  let found: { key: string; first: number | undefined } | undefined;
  visit(doc, {
    Map(_, map) {
      if (found) return visit.BREAK;
      const pairs = map.items.filter(isPair);
      const i = pairs.findIndex((p) => (p.key as ParsedNode | null)?.range?.[0] === offset);
      if (i < 0) return undefined;
      const dupKey = pairs[i]!.key as ParsedNode;
      const name = isScalar(dupKey) ? String(dupKey.value) : String(dupKey);
      const first = pairs.slice(0, i).find((p) => {
        const k = p.key as ParsedNode | null;
        return k !== null && (isScalar(k) ? String(k.value) : String(k)) === name;
      });
      found = { key: name, first: (first?.key as ParsedNode | null)?.range?.[0] };
      return visit.BREAK;
    },
  });
  return found;
}

function failure(range: Range, message: string, ranges: Record<string, Range>): YamlRecord {
  return { ok: false, values: {}, ranges, error: { message, range } };
}

function keyText(key: Node | null, source: string): string {
  if (key === null) return "";
  if (isScalar(key)) {
    if (typeof key.value === "string") return key.value;
    // Non-string keys are taken as written: `1.10:` is the key "1.10".
    return key.range ? source.slice(key.range[0], key.range[1]).trim() : String(key.value);
  }
  return key.toString();
}

function salvageId(contents: unknown): string | undefined {
  if (!isMap(contents)) return undefined;
  for (const pair of contents.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.value === "id" && isScalar(pair.value) && typeof pair.value.value === "string") return pair.value.value;
  }
  return undefined;
}

/** The `id` a YAML text declares at its top level, even if the text does not parse. */
export function salvageIdFrom(source: string): string | undefined {
  try {
    return salvageId(parseDocument(source, { uniqueKeys: false, prettyErrors: false, version: "1.2" }).contents);
  } catch {
    return undefined;
  }
}
