import type { Finding, ValidationResult } from "../../engine/index.js";
import { safeJson } from "./neutralise.js";

/** Exactly SPEC §3's shape: the editor-only extras (`related`, `data`) stay out. */
export function formatJson(result: ValidationResult): string {
  const findings = result.findings.map((f: Finding) => ({
    code: f.code, severity: f.severity, message: f.message, file: f.file,
    line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, docId: f.docId,
  }));
  return safeJson({ ...result, findings }) + "\n";
}
