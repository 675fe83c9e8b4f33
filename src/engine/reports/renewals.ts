import type { Config } from "../config/config.js";
import { formatDay } from "../model/dates.js";
import type { Workspace } from "../workspace/workspace.js";
import { licenceWindow } from "../domain/licences.js";
import type { DocumentFacts } from "../model/types.js";
import { invalidRecords, withWorkspaceKinds } from "./values.js";
import { compareLicenceRows, licenceDocs, licenceKinds, licenceRow, withinDays, type LicenceReportOptions, type LicenceRow } from "./licences.js";

/**
 * What to do on a licence's notice date. With `auto_renew: true` the contract renews
 * unless cancelled, so the notice date is the last day to cancel; otherwise the licence
 * simply ends, so it is the day to start procurement of the renewal.
 */
export type NoticeAction = "cancel-by" | "start-renewal";

export interface Reminder {
  /** Days before the expiry date (0: the expiry day itself). */
  days_before: number;
  date: string;
}

/** The renewal calendar of one licence that has an expiry date. */
export interface RenewalPlan {
  licence: LicenceRow;
  expiry_date: string;
  notice_days: number;
  /** expiry_date − notice_days. */
  notice_date: string;
  auto_renew: boolean;
  action: NoticeAction;
  /** Staged reminders, earliest first. */
  reminders: Reminder[];
}

/** The licence's own `reminders` if it has a valid list, else `licences.reminders` from the config. */
export function reminderDays(doc: DocumentFacts, config: Config): number[] {
  const own = doc.values.reminders;
  const list = Array.isArray(own) && own.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 0) ? (own as number[]) : config.licences.reminders;
  return [...new Set(list)].sort((a, b) => b - a);
}

/**
 * The plan of the current term (the renewal model of `domain/renewal.ts`): for an
 * auto-renewing licence whose recorded `expiry_date` has passed, the term it renewed
 * into, so the calendar's dates are the ones `licence/cancel-by` and the report give.
 */
export function renewalPlanFor(doc: DocumentFacts & { id: string }, config: Config, today: number, invalid = false): RenewalPlan | null {
  const w = licenceWindow(doc, config, today);
  if (!w) return null;
  return {
    licence: licenceRow(doc, config, today, invalid),
    expiry_date: formatDay(w.currentTermEnd),
    notice_days: w.noticeDays,
    notice_date: formatDay(w.deadline),
    auto_renew: w.autoRenew,
    action: w.autoRenew ? "cancel-by" : "start-renewal",
    reminders: reminderDays(doc, config).map((n) => ({ days_before: n, date: formatDay(w.currentTermEnd - n) })),
  };
}

/** Renewal plans of every licence with an expiry date, in the register's order; `within` as in `licenceReport`. */
function renewalPlansIn(ws: Workspace, options: LicenceReportOptions = {}): RenewalPlan[] {
  const invalid = invalidRecords(ws, licenceKinds()).files;
  return licenceDocs(ws)
    .map((doc) => renewalPlanFor(doc, ws.config, ws.todayDay, invalid.has(doc.file)))
    .filter((p): p is RenewalPlan => p !== null && withinDays(p.licence, options.within))
    .sort((a, b) => compareLicenceRows(a.licence, b.licence));
}

/** `renewalPlansIn`, run with the workspace's own kinds. */
export const renewalPlans = withWorkspaceKinds(renewalPlansIn);
