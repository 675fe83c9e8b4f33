import type { Finding, Range, SeveritySetting } from "../model/types.js";

/** A finding's range when there is nothing better: the start of line 1. */
export const LINE1: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Path order, the order every list of documents and files uses. */
export const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** Sorts findings by file, line, column, then code: the order every output uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Applies `rules:` severity overrides from the config; `off` drops the finding. */
export function applyRuleSettings(findings: Finding[], rules: Record<string, SeveritySetting>): Finding[] {
  if (Object.keys(rules).length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = rules[f.code] ?? rules[`${f.code.slice(0, f.code.indexOf("/"))}/*`];
    if (setting === "off") continue;
    out.push(setting && setting !== f.severity ? { ...f, severity: setting } : f);
  }
  return out;
}

/** Findings grouped by file, in the order given. */
export function byFileMap(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.file);
    if (list) list.push(f);
    else out.set(f.file, [f]);
  }
  return out;
}

/** Findings of the documents whose findings changed, after an edit. */
export type FindingsDelta = Map<string, Finding[]>;

/** The files whose findings differ from `before`, with their findings now (empty when all are gone). */
export function deltaOf(before: Map<string, Finding[]>, after: Map<string, Finding[]>): FindingsDelta {
  const out: FindingsDelta = new Map();
  for (const file of new Set([...before.keys(), ...after.keys()])) {
    const now = after.get(file) ?? [];
    if (JSON.stringify(before.get(file) ?? []) !== JSON.stringify(now)) out.set(file, now);
  }
  return out;
}
