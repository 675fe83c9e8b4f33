/**
 * Finds the YAML front matter of a Markdown document: a `---` line at the very top and
 * the next `---` (or `...`) line. Offsets index the text; the body starts on the line
 * after the closing fence.
 */
export type FrontMatter =
  | { status: "ok"; yamlStart: number; yamlEnd: number; bodyStart: number; closingLine: number }
  | { status: "missing" }
  | { status: "unclosed" };

const FENCE = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitFrontMatter(text: string): FrontMatter {
  const firstBreak = text.indexOf("\n");
  const firstLine = stripCr(firstBreak === -1 ? text : text.slice(0, firstBreak));
  if (!FENCE.test(firstLine)) return { status: "missing" };
  if (firstBreak === -1) return { status: "unclosed" };
  const yamlStart = firstBreak + 1;
  let lineStart = yamlStart;
  let line = 2;
  while (lineStart <= text.length) {
    const br = text.indexOf("\n", lineStart);
    const end = br === -1 ? text.length : br;
    const c = text.charCodeAt(lineStart);
    // Only lines starting with `-` or `.` can close; test the rest without slicing every line.
    if ((c === 45 || c === 46) && CLOSE.test(stripCr(text.slice(lineStart, end)))) {
      return { status: "ok", yamlStart, yamlEnd: lineStart, bodyStart: br === -1 ? text.length : br + 1, closingLine: line };
    }
    if (br === -1) break;
    lineStart = br + 1;
    line++;
  }
  return { status: "unclosed" };
}

const stripCr = (s: string): string => (s.endsWith("\r") ? s.slice(0, -1) : s);
