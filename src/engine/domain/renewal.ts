import { addMonths, type Day } from "../model/dates.js";

/**
 * The renewal model of SPEC §2, in one place for the licence rules, the licence report
 * and the calendar (and, next, contracts). Pure: days in, days out.
 *
 * - A term that does not auto-renew ends on its recorded end: after it, it is expired.
 * - An auto-renewing term rolls forward by its renewal term (calendar months, counted
 *   from the recorded end so month ends do not drift: Jan 31 + 1, 2, 3 months = Feb 28/29,
 *   Mar 31, Apr 30) past each end, so it never expires. The current term is the one
 *   today falls in; it is still current on its last day (0 days left).
 * - The cancellation deadline (auto-renewing) or the day to start the renewal (not
 *   auto-renewing) is the current term's end minus the notice days.
 */
export interface RenewalTerms {
  /** The recorded end of the term (`expiry_date`, a contract's end). */
  end: Day;
  autoRenew: boolean;
  /** Months a renewal adds (SPEC: default 12); a value below 1 is treated as 12. */
  renewalTermMonths: number;
  /** Days of notice before a term's end (0 or more). */
  noticeDays: number;
}

/**
 * - `expired`: not auto-renewing and past its end.
 * - `renewal-due`: not auto-renewing, 0 ≤ days left ≤ notice days: start the renewal.
 * - `cancel-by`: auto-renewing, 0 ≤ days to the cancellation deadline ≤ notice days.
 * - `committed`: auto-renewing, the deadline has passed but the term has not ended:
 *   it renews on `currentTermEnd`, too late to cancel this term.
 * - `active`: none of these (it may still be inside a report's horizon: see `renewalStatus`).
 */
export type RenewalState = "expired" | "renewal-due" | "cancel-by" | "committed" | "active";

export interface Renewal {
  /** The recorded end. */
  recordedEnd: Day;
  /** The end of the term today falls in (the recorded end unless it auto-renewed since). */
  currentTermEnd: Day;
  /** currentTermEnd − noticeDays: the last day to cancel (auto-renewing) or to start the renewal. */
  deadline: Day;
  /** currentTermEnd − today; negative only when expired. */
  daysLeft: number;
  /** deadline − today. */
  daysToDeadline: number;
  /** How many times the term rolled forward past the recorded end (0: the record is current). */
  renewals: number;
  autoRenew: boolean;
  noticeDays: number;
  state: RenewalState;
}

export const DEFAULT_RENEWAL_TERM_MONTHS = 12;

export function renewal(terms: RenewalTerms, today: Day): Renewal {
  const { end, autoRenew } = terms;
  const noticeDays = Math.max(0, Math.floor(terms.noticeDays));
  const term = Number.isInteger(terms.renewalTermMonths) && terms.renewalTermMonths >= 1 ? terms.renewalTermMonths : DEFAULT_RENEWAL_TERM_MONTHS;
  let renewals = 0;
  let currentTermEnd = end;
  if (autoRenew && today > end) {
    // Jump close to today by whole months (an estimate that never overshoots), then step.
    renewals = Math.max(0, Math.floor((today - end) / 31 / term) - 1);
    currentTermEnd = addMonths(end, renewals * term);
    while (currentTermEnd < today) currentTermEnd = addMonths(end, ++renewals * term);
  }
  const deadline = currentTermEnd - noticeDays;
  const daysLeft = currentTermEnd - today;
  const daysToDeadline = deadline - today;
  let state: RenewalState;
  if (autoRenew) state = daysToDeadline < 0 ? "committed" : daysToDeadline <= noticeDays ? "cancel-by" : "active";
  else state = daysLeft < 0 ? "expired" : daysLeft <= noticeDays ? "renewal-due" : "active";
  return { recordedEnd: end, currentTermEnd, deadline, daysLeft, daysToDeadline, renewals, autoRenew, noticeDays, state };
}

/** The report status (SPEC §3) of a renewal, with the horizon for `expiring`. */
export type RenewalStatus = "expired" | "renewal-due" | "cancel-by" | "expiring" | "ok";

/**
 * Same thresholds as the rules: `expiring` when notice days < days left ≤ horizon
 * (auto-renewing: days to the cancellation deadline), so a report never contradicts `validate`.
 */
export function renewalStatus(r: Renewal, horizonDays: number): RenewalStatus {
  if (r.state === "expired" || r.state === "renewal-due" || r.state === "cancel-by") return r.state;
  if (r.state === "committed") return "ok";
  const days = r.autoRenew ? r.daysToDeadline : r.daysLeft;
  return days > r.noticeDays && days <= horizonDays ? "expiring" : "ok";
}
