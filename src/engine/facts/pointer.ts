import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { splitFrontMatter } from "./front-matter.js";
import { escapePointer } from "./yaml-record.js";
import { LineIndex } from "./line-index.js";
import type { OffsetRange } from "../model/types.js";

export type { OffsetRange };

/** A place in a file: a 1-based line and column, or an offset into its text. */
export type Position = { line: number; column: number } | { offset: number };

/**
 * What is at a position of a YAML record or front matter, for hover and completion:
 * - on a key: `pointer` is the value that key names and `inKey` is true;
 * - on a value (or right after `key:` with no value yet): `pointer` is that value, `inKey` false;
 * - elsewhere inside a mapping (a blank line where a new key goes): `pointer` is the mapping
 *   and `inKey` is true; inside a sequence (after `- `): `pointer` is the new item's index.
 * `container` is what holds `pointer`: `map`, `seq`, or null for the whole record. `range`
 * is the key's or value's span, null where nothing is written yet. Works while the YAML does
 * not parse: positions come from yaml's error-tolerant AST.
 */
export interface PointerAt {
  pointer: string;
  inKey: boolean;
  container: "map" | "seq" | null;
  range: OffsetRange | null;
}

/** Where the YAML of a file is: a record's whole text, or a Markdown file's front matter (closed or still being typed). */
export function yamlRegion(text: string, format: "markdown" | "yaml"): { start: number; end: number } | null {
  if (format === "yaml") return { start: 0, end: text.length };
  const fm = splitFrontMatter(text);
  if (fm.status === "ok") return { start: fm.yamlStart, end: fm.yamlEnd };
  if (fm.status === "missing") return null;
  // Never closed (being typed): everything after the opening fence may be front matter.
  const firstBreak = text.search(/\r\n|\n|\r/);
  return firstBreak === -1 ? null : { start: firstBreak + (text.startsWith("\r\n", firstBreak) ? 2 : 1), end: text.length };
}

export function offsetOf(text: string, position: Position, lines = new LineIndex(text)): number {
  if ("offset" in position) return Math.max(0, Math.min(position.offset, text.length));
  const start = lines.starts[position.line - 1];
  if (start === undefined) return text.length;
  return Math.min(start + Math.max(0, position.column - 1), start + lines.lineLength(position.line));
}

/** The pointer at `position` of `text` (see PointerAt); null outside the YAML (in a Markdown body). */
export function pointerAtText(text: string, format: "markdown" | "yaml", position: Position): PointerAt | null {
  const lines = new LineIndex(text);
  const at = offsetOf(text, position, lines);
  const region = yamlRegion(text, format);
  if (!region || at < region.start || at > region.end) return null;
  // One character for one, as the record parser does: a lone CR ends a line.
  const source = text.slice(region.start, region.end).replace(/\r(?!\n)/g, "\n");
  const doc = parseDocument(source, { version: "1.2", prettyErrors: false, uniqueKeys: false });
  const off = at - region.start;
  const span = (r: readonly number[] | null | undefined): OffsetRange | null => {
    if (!r) return null;
    const range = lines.range(region.start + r[0]!, region.start + r[1]!);
    return { ...range, offset: region.start + r[0]!, endOffset: region.start + r[1]! };
  };
  const lineStart = source.lastIndexOf("\n", off - 1) + 1;
  const column = off - lineStart;
  const blankBefore = source.slice(lineStart, off).trim() === "";
  const sameLine = (a: number, b: number) => !source.slice(Math.min(a, b), Math.max(a, b)).includes("\n");
  const contains = (r: readonly number[] | null | undefined, end = 1) => !!r && r[0]! <= off && off <= r[end]!;
  const indentOf = (n: number) => n - (source.lastIndexOf("\n", n - 1) + 1);
  /**
   * True when the cursor is inside node `n`: within its span, or on a blank stretch after it
   * (a new line where the next key or item goes) indented at least as deep as it is.
   */
  const reaches = (n: Node): boolean => {
    const r = n.range!;
    if (r[0] > off) return false;
    // A scalar ends where its text ends (its node end runs on to the next line).
    if (!isMap(n) && !isSeq(n)) return off <= r[1];
    if (off <= r[2]) return !(blankBefore && !sameLine(r[0], off) && (isMap(n) || isSeq(n)) && column < indentOf(r[0]));
    return blankBefore && (isMap(n) || isSeq(n)) && source.slice(r[2], off).trim() === "" && column >= indentOf(r[0]);
  };

  const visit = (node: unknown, pointer: string, container: PointerAt["container"]): PointerAt => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const keyText = isScalar(key) ? String(key.value ?? "") : key ? String(key) : "";
        const child = `${pointer}/${escapePointer(keyText)}`;
        if (key && contains(key.range)) return { pointer: child, inKey: true, container: "map", range: span(key.range) };
        const value = pair.value as Node | null;
        const hasValue = value && value.range && !(isScalar(value) && value.value === null && value.range[0] === value.range[1]);
        if (hasValue && reaches(value)) {
          return visit(value, child, "map");
        }
        // `key:` with nothing after it yet, the cursor after the colon on the same line.
        if (!hasValue && key?.range && off > key.range[1] && sameLine(key.range[1], off)) return { pointer: child, inKey: false, container: "map", range: null };
      }
      return { pointer, inKey: true, container, range: null };
    }
    if (isSeq(node)) {
      let i = 0;
      for (const item of node.items) {
        const n = item as Node | null;
        if (n && n.range && reaches(n)) {
          if (isScalar(n) && n.value === null && n.range[0] === n.range[1]) return { pointer: `${pointer}/${i}`, inKey: false, container: "seq", range: null };
          return visit(n, `${pointer}/${i}`, "seq");
        }
        i++;
      }
      return { pointer: `${pointer}/${node.items.length}`, inKey: false, container: "seq", range: null };
    }
    const n = node as Node | null;
    return { pointer, inKey: false, container, range: n ? span(n.range) : null };
  };
  if (doc.contents === null) return { pointer: "", inKey: true, container: null, range: null };
  return visit(doc.contents, "", null);
}

/**
 * The span of every key and value of a YAML record or front matter, from yaml's
 * error-tolerant AST: `pointer` → value span, `pointer#key` → key span, with offsets as well
 * as lines and columns. Unlike the record parser's ranges it still answers while the YAML does
 * not parse (an editor mid-typing), for whatever yaml could recover.
 */
export function tolerantRanges(text: string, format: "markdown" | "yaml"): Record<string, OffsetRange> {
  const out: Record<string, OffsetRange> = {};
  const region = yamlRegion(text, format);
  if (!region) return out;
  const lines = new LineIndex(text);
  const source = text.slice(region.start, region.end).replace(/\r(?!\n)/g, "\n");
  const doc = parseDocument(source, { version: "1.2", prettyErrors: false, uniqueKeys: false });
  const span = (r: readonly number[]): OffsetRange => ({ ...lines.range(region.start + r[0]!, region.start + r[1]!), offset: region.start + r[0]!, endOffset: region.start + r[1]! });
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (depth > 100 || !node) return;
    const n = node as Node;
    if (n.range) out[pointer] = span(n.range);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const child = `${pointer}/${escapePointer(String(pair.key.value ?? ""))}`;
        if (pair.key.range) out[`${child}#key`] = span(pair.key.range);
        walk(pair.value, child, depth + 1);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, `${pointer}/${i}`, depth + 1));
  };
  walk(doc.contents, "", 0);
  return out;
}
