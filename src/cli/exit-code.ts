import type { Finding, Severity } from "../engine/index.js";

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** SPEC §3: 1 if anything is at or above `--fail-on`, or warnings exceed `--max-warnings`; else 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity, maxWarnings: number): 0 | 1 {
  let warnings = 0;
  let failing = false;
  for (const f of findings) {
    if (f.severity === "warning") warnings++;
    if (RANK[f.severity] >= RANK[failOn]) failing = true;
  }
  return failing || (maxWarnings >= 0 && warnings > maxWarnings) ? 1 : 0;
}
