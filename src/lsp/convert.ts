import { DiagnosticSeverity, type Diagnostic, type Range as LspRange } from "vscode-languageserver";
import { REPOSITORY_URL, type Finding, type Range } from "../engine/index.js";

/** An engine span (1-based lines and columns, end exclusive) as an LSP range (0-based). */
export function toLspRange(r: Range): LspRange {
  return { start: { line: Math.max(0, r.line - 1), character: Math.max(0, r.column - 1) }, end: { line: Math.max(0, r.endLine - 1), character: Math.max(0, r.endColumn - 1) } };
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/** The docs URL of a finding: its rule's README, or for the loader's codes the field reference / the README's rule codes. */
export function docsUrlOf(f: Finding): string {
  if (f.docsUrl) return f.docsUrl;
  if (f.code.startsWith("schema/")) return `${REPOSITORY_URL}/blob/main/docs/fields.md`;
  return `${REPOSITORY_URL}#rule-codes`;
}

/** A finding as an LSP diagnostic (lsp-protocol.md: source, code, codeDescription, data). */
export function toDiagnostic(f: Finding, uriOf: (file: string) => string): Diagnostic {
  const data: { messageId?: string; docId?: string } = {};
  if (f.messageId) data.messageId = f.messageId;
  if (f.docId) data.docId = f.docId;
  const d: Diagnostic = {
    range: toLspRange(f),
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: docsUrlOf(f) },
    source: "policyops",
    message: f.message,
    data,
  };
  if (f.related?.length) d.relatedInformation = f.related.map((r) => ({ location: { uri: uriOf(r.file), range: toLspRange(r) }, message: r.message }));
  return d;
}

/** True when two LSP ranges overlap or touch. */
export function touches(a: LspRange, b: LspRange): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
