import { isMap, isPair, isScalar, parseDocument, stringify, type Node, type Pair } from "yaml";
import { LineIndex } from "./line-index.js";
import type { TextEdit } from "../model/types.js";
import { yamlRegion } from "./pointer.js";

const unescape = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");
export const segmentsOf = (pointer: string): string[] => (pointer === "" ? [] : pointer.split("/").slice(1).map(unescape));

/**
 * Edits to one YAML record or front matter, computed from yaml's Document API: each edit
 * replaces exactly the span of one key or value, or inserts one line, so comments, quoting
 * and layout elsewhere stay as written.
 */
export class YamlEditor {
  private readonly lines: LineIndex;
  private readonly region: { start: number; end: number } | null;
  private readonly doc;

  constructor(readonly file: string, readonly text: string, format: "markdown" | "yaml") {
    this.lines = new LineIndex(text);
    this.region = yamlRegion(text, format);
    const source = this.region ? text.slice(this.region.start, this.region.end).replace(/\r(?!\n)/g, "\n") : "";
    this.doc = parseDocument(source, { version: "1.2", prettyErrors: false, uniqueKeys: false });
  }

  get ok(): boolean {
    return this.region !== null && this.doc.errors.length === 0;
  }

  private edit(start: number, end: number, newText: string): TextEdit {
    const a = this.region!.start + start;
    const b = this.region!.start + end;
    return { file: this.file, range: { ...this.lines.range(a, b), offset: a, endOffset: b }, newText };
  }

  /** The node at a pointer (a mapping's value by key, a sequence's item by index), and its pair. */
  private find(pointer: string): { node: Node | null; pair: Pair | null; parent: Node | null } | null {
    let node: unknown = this.doc.contents;
    let pair: Pair | null = null;
    let parent: Node | null = null;
    for (const seg of segmentsOf(pointer)) {
      parent = node as Node;
      if (isMap(node)) {
        const p = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === seg) as Pair | undefined;
        if (!p) return null;
        pair = p;
        node = p.value;
      } else if (node && typeof node === "object" && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
        pair = null;
        node = (node as { items: unknown[] }).items[Number(seg)];
        if (node === undefined) return null;
      } else return null;
    }
    return { node: (node as Node | null) ?? null, pair, parent };
  }

  /** The text of the value at a pointer, as written. */
  written(pointer: string): string | undefined {
    const found = this.find(pointer);
    const r = found?.node?.range;
    return r ? this.sourceSlice(r[0], r[1]) : undefined;
  }

  private sourceSlice(a: number, b: number): string {
    return this.text.slice(this.region!.start + a, this.region!.start + b);
  }

  /** Scalar text for a value, as yaml writes it (quoted when plain text would read as something else). */
  static scalar(value: unknown): string {
    return stringify(value, { lineWidth: 0 }).trimEnd();
  }

  /** Replaces the value at `pointer` by `newText`, or adds `key: newText` to its mapping if the key is absent. */
  set(pointer: string, newText: string): TextEdit | null {
    if (!this.region) return null;
    const found = this.find(pointer);
    const empty = !found?.node?.range || (isScalar(found.node) && found.node.value === null && found.node.range[0] === found.node.range[1]);
    if (found && !empty) return this.edit(found.node!.range![0], found.node!.range![1], newText);
    if (found && found.pair && found.pair.key && (found.pair.key as Node).range) {
      // `key:` with no value yet: put it after the colon, replacing the blanks there.
      const k = (found.pair.key as Node).range!;
      const rest = this.sourceSlice(k[1], this.region.end - this.region.start);
      const colon = rest.indexOf(":");
      if (colon !== -1) {
        const blanks = /^[ \t]*/.exec(rest.slice(colon + 1))![0].length;
        return this.edit(k[1] + colon + 1, k[1] + colon + 1 + blanks, ` ${newText}`);
      }
    }
    const segs = segmentsOf(pointer);
    const key = segs.pop()!;
    const parentPointer = segs.map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
    const parent = parentPointer === "" ? { node: this.doc.contents as Node | null } : this.find(parentPointer);
    const map = parent?.node;
    if (!isMap(map) || map.flow) return null;
    return this.addKey(map, key, newText);
  }

  private addKey(map: Node & { items: unknown[] }, key: string, newText: string): TextEdit | null {
    const source = this.sourceSlice(0, this.region!.end - this.region!.start);
    const last = map.items[map.items.length - 1] as Pair | undefined;
    const firstKey = (map.items[0] as Pair | undefined)?.key as Node | undefined;
    const indent = firstKey?.range ? firstKey.range[0] - (source.lastIndexOf("\n", firstKey.range[0] - 1) + 1) : 0;
    const line = `${" ".repeat(indent)}${YamlEditor.scalar(key)}: ${newText}`;
    const end = (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | null)?.range?.[1] ?? map.range?.[1] ?? source.length;
    if (end > 0 && source[end - 1] === "\n") return this.edit(end, end, `${line}\n`);
    const nl = source.indexOf("\n", end);
    if (nl === -1) return this.edit(source.length, source.length, `${source.length && !source.endsWith("\n") ? "\n" : ""}${line}\n`);
    return this.edit(nl + 1, nl + 1, `${line}\n`);
  }

  /** Renames the key at `pointer` (keeps its value, comments and position). */
  renameKey(pointer: string, newKey: string): TextEdit | null {
    const found = this.find(pointer);
    const k = found?.pair?.key as Node | undefined;
    return k?.range ? this.edit(k.range[0], k.range[1], YamlEditor.scalar(newKey)) : null;
  }
}
