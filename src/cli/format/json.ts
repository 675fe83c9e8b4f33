import type { Finding, ValidationResult } from "../../engine/index.js";
import { safeJson } from "./neutralise.js";

/** A finding as SPEC §3 shows it: the editor-only extras (`related`, `data`) stay out. */
const shown = (f: Finding) => ({
  code: f.code, severity: f.severity, message: f.message, file: f.file,
  line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, docId: f.docId,
});

/** Exactly SPEC §3's shape: the editor-only extras (`related`, `data`) stay out. */
export function formatJson(result: ValidationResult): string {
  return [...formatJsonChunks(result)].join("");
}

/** The fields of `shown`, in its order, each with its line's lead-in at depth 2. */
const FIELDS = ["code", "severity", "message", "file", "line", "column", "endLine", "endColumn", "docId"] as const;
const LEAD = FIELDS.map((k, i) => `${i === 0 ? "    {\n" : ",\n"}      "${k}": `);

/**
 * One finding as `safeJson(shown(f))` indented to depth 2 writes it, without a replacer
 * call per value or a pass over the text to indent it: this loop ran once per finding
 * (200k of them on a large docs site). A field of another type than a string, a finite
 * number or null (never in a finding) takes safeJson itself.
 */
function findingJson(f: Finding): string {
  let out = "";
  for (let i = 0; i < FIELDS.length; i++) {
    const v = f[FIELDS[i]!];
    let text: string;
    if (typeof v === "string") text = safeJson(v);
    else if (v === null || (typeof v === "number" && Number.isFinite(v))) text = JSON.stringify(v);
    else return "    " + safeJson(shown(f)).replace(/\n/g, "\n    ");
    out += LEAD[i] + text;
  }
  return out + "\n    }";
}

/**
 * Findings a chunk of formatJsonChunks holds. Small: a chunk is built across several young-
 * generation collections, so a large one (2,000 findings, 750 KB of string pieces) was
 * promoted to the old generation as it was built and stayed there as garbage until the
 * next full collection (peak RSS at 197,652 findings: 355 → 330 MiB with 250).
 */
const CHUNK = 250;

/**
 * formatJson's text in pieces, byte for byte the same when joined: the result without its
 * findings, then the findings a few hundred at a time, so 200k findings never become one
 * string of tens of MB (nor a second array of copies) before they are written.
 */
export function* formatJsonChunks(result: ValidationResult): Generator<string> {
  if (result.findings.length === 0) {
    yield safeJson(result) + "\n";
    return;
  }
  // `"findings": []` is the last member: the findings go between its brackets.
  const head = safeJson({ ...result, findings: [] });
  const empty = head.lastIndexOf("[]");
  yield head.slice(0, empty) + "[\n";
  for (let i = 0; i < result.findings.length; i += CHUNK) {
    let text = "";
    for (let k = i; k < Math.min(i + CHUNK, result.findings.length); k++) {
      // JSON.stringify's layout at depth 2: every line 4 more spaces in (strings hold no line breaks).
      text += (k > 0 ? ",\n" : "") + findingJson(result.findings[k]!);
    }
    yield text;
  }
  yield "\n  " + head.slice(empty + 1) + "\n";
}
