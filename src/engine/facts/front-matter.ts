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
  // Lines end at `\n`, `\r\n` or a lone `\r` (then the fast scan below does not apply).
  if (text.includes("\r") && /\r(?!\n)/.test(text)) return splitByLines(text);
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

function splitByLines(text: string): FrontMatter {
  const lines = splitLines(text);
  if (!FENCE.test(lines[0]!.text)) return { status: "missing" };
  if (lines.length === 1) return { status: "unclosed" };
  for (let i = 1; i < lines.length; i++) {
    if (CLOSE.test(lines[i]!.text)) {
      return { status: "ok", yamlStart: lines[1]!.start, yamlEnd: lines[i]!.start, bodyStart: lines[i + 1]?.start ?? text.length, closingLine: i + 1 };
    }
  }
  return { status: "unclosed" };
}

const stripCr = (s: string): string => (s.endsWith("\r") ? s.slice(0, -1) : s);

/**
 * Where the YAML of a broken front matter probably is, so the document can still lend its
 * `id` to references: after an opening `---` that is never closed, the lines that look like
 * YAML; after a `---` that is not on line 1 (a heading or blank line above it), the block up
 * to its closing fence. Null when nothing looks like front matter.
 */
export function probableFrontMatter(text: string): { start: number; end: number } | null {
  const lines = splitLines(text);
  const open = lines.findIndex((l) => FENCE.test(l.text));
  if (open === -1) return null;
  const start = lines[open + 1]?.start ?? text.length;
  let end = text.length;
  for (let i = open + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (CLOSE.test(line.text)) return { start, end: line.start };
    // A line that is neither indented, a comment, a list item, blank nor `key:` ends it.
    if (!YAMLISH.test(line.text)) {
      end = line.start;
      break;
    }
  }
  return { start, end };
}

const YAMLISH = /^(?:$|[ \t]|#|- |-$|[^\s:#][^:]*:(?:[ \t]|$)|"[^"]*"[ \t]*:|'[^']*'[ \t]*:)/;

/** Lines with their start offsets; `\r\n`, `\n` and a lone `\r` all end a line (as YAML says). */
function splitLines(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start, text: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  out.push({ start, text: text.slice(start) });
  return out;
}
