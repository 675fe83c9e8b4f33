/** Incidents (SPEC §1 incident): when a post-incident review is due. */
import { parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";

/** Severities whose incidents need a post-incident review. */
export const NEEDS_REVIEW: readonly string[] = ["sev1", "sev2"];
/** Days after resolution within which the review is held (SPEC §2 incident/review-overdue). */
export const REVIEW_WITHIN_DAYS = 14;

/** The calendar day of a date (`2026-10-02`) or date-time (`2026-10-02T11:40:00Z`, its day as written), or null. */
export function dayOf(value: unknown): Day | null {
  if (typeof value !== "string") return null;
  return parseDay(/^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value);
}

/** When a sev1/sev2 incident's review is due, or null if it needs none (yet): not resolved, or already reviewed. */
export function incidentReviewDue(doc: DocumentFacts): { resolved: Day; due: Day } | null {
  const v = doc.values;
  if (typeof v.severity !== "string" || !NEEDS_REVIEW.includes(v.severity) || v.status === "reviewed") return null;
  const resolved = dayOf(v.resolved_at);
  return resolved === null ? null : { resolved, due: resolved + REVIEW_WITHIN_DAYS };
}
