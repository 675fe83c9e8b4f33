import type { LineLengths, Range } from "../model/types.js";

/**
 * Offset ↔ line/column over one text. Lines split at `\n`, `\r\n` and a lone `\r`; a
 * line's break belongs to no column a user can see, so line lengths exclude it (CRLF and
 * CR files get the same columns as LF ones).
 */
export class LineIndex {
  /** Offset at which each line starts. */
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    let at = text.indexOf("\n");
    if (text.indexOf("\r") === -1) {
      while (at !== -1) {
        starts.push(at + 1);
        at = text.indexOf("\n", at + 1);
      }
    } else {
      // A lone CR ends a line too, as YAML and CommonMark say (old Mac line ends).
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Length of a 1-based line without its line break. */
  lineLength(line: number): number {
    const start = this.starts[line - 1] ?? this.text.length;
    let end = line < this.starts.length ? this.starts[line]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.max(0, end - start);
  }

  /**
   * Every line's length, in a typed array: a page with a finding keeps these for as long as
   * the workspace lives, and an array of numbers takes 8 bytes a line where 2 (or 4, for a
   * line of 64K characters or more) hold the same (issue 14: 1.4 M lines in 4,389 pages).
   */
  lineLengths(): LineLengths {
    const n = this.starts.length;
    const lengths = new Uint32Array(n);
    let max = 0;
    for (let i = 1; i <= n; i++) {
      const len = this.lineLength(i);
      lengths[i - 1] = len;
      if (len > max) max = len;
    }
    return max <= 0xffff ? Uint16Array.from(lengths) : lengths;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    const column = Math.min(o - this.starts[lo]!, this.lineLength(lo + 1)) + 1;
    return { line: lo + 1, column };
  }

  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** The whole of a 1-based line (an empty line gives an empty range at column 1). */
  lineRange(line: number): Range {
    const l = Math.max(1, Math.min(line, this.lineCount));
    return { line: l, column: 1, endLine: l, endColumn: this.lineLength(l) + 1 };
  }
}

/** Clamps a range into a file whose line lengths are known, so every finding lies inside it. */
export function clampRange(r: Range, lineLengths: LineLengths): Range {
  const lines = Math.max(1, lineLengths.length);
  const line = Math.min(Math.max(1, r.line), lines);
  const column = Math.min(Math.max(1, r.column), (lineLengths[line - 1] ?? 0) + 1);
  let endLine = Math.min(Math.max(line, r.endLine), lines);
  let endColumn = Math.min(Math.max(1, r.endColumn), (lineLengths[endLine - 1] ?? 0) + 1);
  if (endLine === line && endColumn < column) endColumn = column;
  if (endLine < line) [endLine, endColumn] = [line, column];
  return { line, column, endLine, endColumn };
}
