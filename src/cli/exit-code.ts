import type { Finding, Severity } from "../engine/index.js";

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface FailPolicy {
  failOn: Severity;
  /** -1: no limit. */
  maxWarnings: number;
}

/**
 * Which findings make the exit code non-zero: those at or above `--fail-on`, and every
 * warning when there are more than `--max-warnings`. One predicate for the exit code and
 * for JUnit's `<failure>`s, so the two always agree (SPEC §3).
 */
export function failingPredicate(findings: readonly Finding[], policy: FailPolicy): (f: Finding) => boolean {
  const warnings = findings.reduce((n, f) => n + (f.severity === "warning" ? 1 : 0), 0);
  const tooManyWarnings = policy.maxWarnings >= 0 && warnings > policy.maxWarnings;
  return (f) => RANK[f.severity] >= RANK[policy.failOn] || (tooManyWarnings && f.severity === "warning");
}

/** SPEC §3: 1 if anything is at or above `--fail-on`, or warnings exceed `--max-warnings`; else 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: Severity, maxWarnings: number): 0 | 1 {
  const failing = failingPredicate(findings, { failOn, maxWarnings });
  return findings.some(failing) ? 1 : 0;
}
