/**
 * DR tests (SPEC §1 dr-test) and the systems they test: which results a system has, and
 * when its next test is due. continuity/* and reports (the calendar) share these.
 */
import { addMonths, parseDay, type Day } from "../model/dates.js";
import type { AppliesTo, KindDef } from "../model/kinds.js";
import type { DocumentFacts } from "../model/types.js";

/** Kinds whose documents record DR tests: a `date` and a list of `results` per system (built in: dr-test). */
export const recordsDrTests = (k: KindDef): boolean => k.fields.includes("date") && k.fields.includes("results");

/** Criticalities that need a passing DR test every `continuity.test_interval_months`. */
export const NEEDS_DR_TEST: readonly string[] = ["high", "critical"];

/** One result item of a DR test, as written. */
export interface DrResult {
  test: DocumentFacts;
  /** Its index in `results` (the pointer is `/results/<index>`). */
  index: number;
  date: Day;
  system: string;
  result: string;
}

/** The result items of a DR test that name a system, with the test's date (none if the date is not a valid day). */
export function resultsOf(test: DocumentFacts): DrResult[] {
  const date = parseDay(test.values.date);
  const results = test.values.results;
  if (date === null || !Array.isArray(results)) return [];
  const out: DrResult[] = [];
  results.forEach((r, index) => {
    if (!r || typeof r !== "object" || Array.isArray(r)) return;
    const { system, result } = r as Record<string, unknown>;
    if (typeof system === "string") out.push({ test, index, date, system, result: typeof result === "string" ? result : "" });
  });
  return out;
}

/** What of the rules' RepoView this module reads (domain/ does not import rules/). */
interface DocumentsView {
  documents(to: AppliesTo): readonly DocumentFacts[];
}

/**
 * A system's latest passing DR test result on or before `today` (tests dated later have not
 * happened), and when the next is due: that day + `months`. Null when it has none.
 */
export function lastPassingTest(repo: DocumentsView, systemId: string, today: Day, months: number): { last: DrResult; due: Day } | null {
  let last: DrResult | null = null;
  for (const test of repo.documents(recordsDrTests)) {
    for (const r of resultsOf(test)) {
      if (r.system !== systemId || r.result !== "pass" || r.date > today) continue;
      if (!last || r.date > last.date) last = r;
    }
  }
  return last ? { last, due: addMonths(last.date, months) } : null;
}
