import type { Config } from "../config/config.js";
import { addMonths, parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";
import { DEFAULT_RENEWAL_TERM_MONTHS, renewal, type Renewal } from "./renewal.js";

/**
 * A contract's term (SPEC §1, §2): it ends on `end_date`, or on the day before
 * `start_date` + `initial_term_months` calendar months (start 2026-03-01, 36 months →
 * 2029-02-28; start 2024-01-31, 1 month → 2024-02-28). Null when neither gives a valid day.
 */
export function contractEnd(doc: DocumentFacts): { end: Day; field: "end_date" | "initial_term_months" } | null {
  const end = parseDay(doc.values.end_date);
  if (end !== null) return { end, field: "end_date" };
  if (doc.values.end_date !== undefined) return null; // a bad end_date: the schema reports it
  const start = parseDay(doc.values.start_date);
  const months = doc.values.initial_term_months;
  if (start === null || typeof months !== "number" || !Number.isInteger(months) || months < 1) return null;
  return { end: addMonths(start, months) - 1, field: "initial_term_months" };
}

/** The notice period of a contract: `notice_days`, or `licences.default_notice_days` (one default for every renewal). */
export function contractNoticeDays(doc: DocumentFacts, config: Config): number {
  const n = doc.values.notice_days;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : config.licences.default_notice_days;
}

/** `renewal_term_months`, 12 when absent or not a whole number of at least 1. */
export function contractRenewalTerm(doc: DocumentFacts): number {
  const m = doc.values.renewal_term_months;
  return typeof m === "number" && Number.isInteger(m) && m >= 1 ? m : DEFAULT_RENEWAL_TERM_MONTHS;
}

/**
 * A contract's renewal model (the same `renewal()` as licences), the pointer findings use
 * (`/end_date`, else `/initial_term_months`), or null when it has no valid term or is
 * `status: terminated` (a terminated contract has no deadlines; reports pass `evenIfTerminated`
 * to show its last term).
 */
export function contractWindow(doc: DocumentFacts, config: Config, today: Day, evenIfTerminated = false): { window: Renewal; at: string } | null {
  if (doc.values.status === "terminated" && !evenIfTerminated) return null;
  const term = contractEnd(doc);
  if (term === null) return null;
  const window = renewal(
    { end: term.end, autoRenew: doc.values.renewal === "auto", renewalTermMonths: contractRenewalTerm(doc), noticeDays: contractNoticeDays(doc, config) },
    today,
  );
  return { window, at: `/${term.field}` };
}

export const contractName = (doc: DocumentFacts): string => String(doc.values.title ?? doc.id ?? doc.file);
