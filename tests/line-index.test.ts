import { describe, expect, it } from "vitest";
import { clampRange, LineIndex } from "../src/engine/facts/line-index.js";

describe("line lengths kept per page (issue 14: RSS at 200k findings)", () => {
  it("are 2 bytes a line, or 4 when a line has 64K characters or more, with the same values as the line index gives", () => {
    const text = "ab\r\ncde\n\nlast";
    const lengths = new LineIndex(text).lineLengths();
    expect(lengths).toBeInstanceOf(Uint16Array);
    expect(Array.from(lengths)).toEqual([2, 3, 0, 4]);
    const long = new LineIndex(`a\n${"x".repeat(70_000)}\nb`).lineLengths();
    expect(long).toBeInstanceOf(Uint32Array);
    expect(Array.from(long)).toEqual([1, 70_000, 1]);
    // Clamping reads them as it read arrays of numbers.
    expect(clampRange({ line: 2, column: 69_999, endLine: 9, endColumn: 99 }, long)).toEqual({ line: 2, column: 69_999, endLine: 3, endColumn: 2 });
    expect(clampRange({ line: 1, column: 9, endLine: 1, endColumn: 9 }, lengths)).toEqual({ line: 1, column: 3, endLine: 1, endColumn: 3 });
  });
});
