import type { Config } from "../config/config.js";
import { parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";
import { DEFAULT_RENEWAL_TERM_MONTHS, renewal, type Renewal } from "./renewal.js";

/** The notice period of a licence: `renewal_notice_days`, or `licences.default_notice_days`. */
export function noticeDaysOf(doc: DocumentFacts, config: Config): number {
  const n = doc.values.renewal_notice_days;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : config.licences.default_notice_days;
}

/**
 * A licence's renewal model (SPEC §2, `domain/renewal.ts`): the current term, its
 * deadline and state, or null if it has no valid `expiry_date`. Licences renew by the
 * default 12-month term (the licence schema has no term field).
 */
export function licenceWindow(doc: DocumentFacts, config: Config, today: Day): Renewal | null {
  const end = parseDay(doc.values.expiry_date);
  if (end === null) return null;
  return renewal({ end, autoRenew: doc.values.auto_renew === true, renewalTermMonths: DEFAULT_RENEWAL_TERM_MONTHS, noticeDays: noticeDaysOf(doc, config) }, today);
}

export const productOf = (doc: DocumentFacts): string => String(doc.values.product ?? doc.id ?? doc.file);
