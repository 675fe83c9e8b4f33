import type { Config } from "../config/config.js";
import { addMonths, parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";

/**
 * Next review date: the review baseline + cycle calendar months. The baseline is the later
 * of `last_reviewed` and `approved_on` (a re-approval is a review, SPEC §2); on a tie it is
 * named `last_reviewed`. `"never"` when neither is present; null when a present one is not
 * a valid date (the schema reports it).
 */
export function nextReview(doc: DocumentFacts, config: Config): { due: Day; baseline: Day; baselineField: string; months: number } | null | "never" {
  let baseline: Day | null = null;
  let baselineField: string | null = null;
  for (const field of ["last_reviewed", "approved_on"] as const) {
    const value = doc.values[field];
    if (value === undefined) continue;
    const day = parseDay(value);
    if (day === null) return null; // the schema reports the bad date
    if (baseline === null || day > baseline) [baseline, baselineField] = [day, field];
  }
  if (baseline === null || baselineField === null) return "never";
  const cycle = doc.values.review_cycle_months;
  const months = typeof cycle === "number" && Number.isInteger(cycle) && cycle >= 1 && cycle <= 60 ? cycle : config.reviews.default_cycle_months;
  return { due: addMonths(baseline, months), baseline, baselineField, months };
}

/** Where review findings point: `last_reviewed`, or `status` when there is none. */
export const reviewPointer = (doc: DocumentFacts): string => (doc.values.last_reviewed !== undefined ? "/last_reviewed" : "/status");
