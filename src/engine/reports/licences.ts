import type { Config } from "../config/config.js";
import { formatDay, type Day } from "../model/dates.js";
import type { Workspace } from "../workspace/workspace.js";
import { licenceWindow } from "../domain/licences.js";
import type { DocumentFacts } from "../model/types.js";
import { byString, count, invalidRecords, reportable, round, str, withWorkspaceKinds } from "./values.js";
import { renewalStatus } from "../domain/renewal.js";
import { kindDef, kinds } from "../model/kinds.js";

export const LICENCE_STATUSES = ["expired", "renewal-due", "cancel-by", "expiring", "ok", "perpetual", "invalid"] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

export interface Money {
  amount: number;
  currency: string;
}

/** One row of `policyops licences --format json`, exactly SPEC §3's shape and key order. */
export interface LicenceRow {
  id: string;
  product: string;
  /** The vendor's id (see `vendorNames` for display names). */
  vendor: string | null;
  type: string | null;
  /** The end of the current term: the recorded `expiry_date`, or for an auto-renewing licence that renewed since, the end of the term it renewed into. */
  expiry_date: string | null;
  days_left: number | null;
  status: LicenceStatus;
  seats: number | null;
  assigned: number | null;
  /** assigned > seats (`licence/over-allocated`). */
  over_allocated: boolean;
  annual_cost: Money | null;
  /** The price of a one-off purchase (never part of annual costs). */
  one_off_cost: Money | null;
  file: string;
}

export interface LicenceReportOptions {
  /** Keep licences with at most this many days left (expired ones included); drops those without expiry. */
  within?: number;
}

/**
 * Status with the same thresholds as the licence rules (the renewal model of
 * `domain/renewal.ts`), so a report never contradicts `validate`:
 * expired < 0 ≤ renewal-due ≤ notice < expiring ≤ horizon < ok; an auto-renewing licence
 * is `cancel-by` or `expiring` by the days to its cancellation deadline, and never expires.
 * `perpetual`: a valid record without an expiry date (perpetual or open-source).
 * `invalid`: the record does not validate (SPEC §2), whatever its dates say.
 */
export function licenceStatus(doc: DocumentFacts, config: Config, today: Day, invalid = false): LicenceStatus {
  if (invalid) return "invalid";
  const w = licenceWindow(doc, config, today);
  if (!w) return "perpetual";
  return renewalStatus(w, config.licences.horizon_days);
}

/**
 * The cost per year: `year` as is, `month` × 12, and `one-off` as null because a one-off
 * purchase does not recur (see `oneOffCost` for its price). Null when the licence records
 * no (valid) cost.
 */
export function annualCost(doc: DocumentFacts): Money | null {
  const cost = validCost(doc);
  if (!cost || cost.period === "one-off") return null;
  const factor = cost.period === "year" ? 1 : 12;
  return { amount: round(cost.amount * factor, 4), currency: cost.currency };
}

/** The price of a one-off purchase (a perpetual licence), or null: shown beside annual totals, never in them. */
export function oneOffCost(doc: DocumentFacts): Money | null {
  const cost = validCost(doc);
  return cost && cost.period === "one-off" ? { amount: cost.amount, currency: cost.currency } : null;
}

function validCost(doc: DocumentFacts): { amount: number; currency: string; period: string } | null {
  const c = doc.values.cost;
  if (!c || typeof c !== "object") return null;
  const { amount, currency, period } = c as Record<string, unknown>;
  if (typeof amount !== "number" || !Number.isFinite(amount) || typeof currency !== "string") return null;
  if (period !== "year" && period !== "month" && period !== "one-off") return null;
  return { amount, currency, period };
}

export function licenceRow(doc: DocumentFacts & { id: string }, config: Config, today: Day, invalid = false): LicenceRow {
  const w = licenceWindow(doc, config, today);
  const seats = count(doc.values.seats);
  const assigned = count(doc.values.assigned);
  return {
    id: doc.id,
    product: str(doc.values.product) ?? doc.id,
    vendor: str(doc.values.vendor),
    type: str(doc.values.type),
    expiry_date: w ? formatDay(w.currentTermEnd) : null,
    days_left: w ? w.daysLeft : null,
    status: licenceStatus(doc, config, today, invalid),
    seats,
    assigned,
    over_allocated: seats !== null && assigned !== null && assigned > seats,
    annual_cost: annualCost(doc),
    one_off_cost: oneOffCost(doc),
    file: doc.file,
  };
}

/** The fields that make a kind a licence register's: its schema declares them (as the licence/* rules select it). */
export const LICENCE_FIELDS = { fields: ["product", "seats", "assigned", "expiry_date", "auto_renew", "renewal_notice_days"] } as const;
/** Kinds the licence register lists, selected by their fields, never by name. */
export const licenceKinds = (): string[] => kinds().select(LICENCE_FIELDS);

/** Licence documents the register lists: parsed and with an id (the others are `validate`'s business). */
export const licenceDocs = (ws: Workspace) => ws.inKinds(() => reportable(ws.allFacts(), licenceKinds()));

/** What the register order reads (licence and contract rows both have it). */
export type RegisterRowKey = { days_left: number | null; id: string; file: string };

/** Soonest expiry first (expired ones lead), licences that do not expire last, then by id. */
export function compareLicenceRows(a: RegisterRowKey, b: RegisterRowKey): number {
  if (a.days_left !== b.days_left) {
    if (a.days_left === null) return 1;
    if (b.days_left === null) return -1;
    return a.days_left - b.days_left;
  }
  return byString(a.id, b.id) || byString(a.file, b.file);
}

export const withinDays = (row: { days_left: number | null }, within: number | undefined): boolean =>
  within === undefined || (row.days_left !== null && row.days_left <= within);

/** The licence register (SPEC §3 `licences --format json`). */
function licenceReportIn(ws: Workspace, options: LicenceReportOptions = {}): LicenceRow[] {
  const invalid = invalidRecords(ws, licenceKinds()).files;
  return licenceDocs(ws)
    .map((doc) => licenceRow(doc, ws.config, ws.todayDay, invalid.has(doc.file)))
    .filter((row) => withinDays(row, options.within))
    .sort(compareLicenceRows);
}

/** Vendor id → vendor name, for human-facing output (the JSON keeps ids). */
function vendorNamesIn(ws: Workspace): Map<string, string> {
  const names = new Map<string, string>();
  // The kinds a licence's `vendor` field may name (its schema's `x-policyops-ref`).
  const vendorKinds = new Set(licenceKinds().flatMap((k) => kindDef(k)?.references.filter((r) => r.field === "vendor").flatMap((r) => (r.kinds === "any" ? [] : r.kinds)) ?? []));
  for (const v of reportable(ws.allFacts(), [...vendorKinds])) {
    const name = str(v.values.name);
    if (name && !names.has(v.id)) names.set(v.id, name);
  }
  return names;
}

/** Licence id → one-off purchase price, for the table's note under the annual totals. */
function oneOffCostsIn(ws: Workspace): Map<string, Money> {
  const out = new Map<string, Money>();
  for (const doc of licenceDocs(ws)) {
    const c = oneOffCost(doc);
    if (c) out.set(doc.id, c);
  }
  return out;
}

/**
 * Annual cost by currency of the rows that count: valid, not expired, recurring. Invalid
 * records are left out (their figures cannot be trusted; the report says totals are
 * incomplete) and so are expired licences (nothing is paid for them any more).
 */
export const inAnnualTotals = (row: LicenceRow): boolean => row.annual_cost !== null && row.status !== "invalid" && row.status !== "expired";

/** `licenceReportIn`, run with the workspace's own kinds. */
export const licenceReport = withWorkspaceKinds(licenceReportIn);

/** `vendorNamesIn`, run with the workspace's own kinds. */
export const vendorNames = withWorkspaceKinds(vendorNamesIn);

/** `oneOffCostsIn`, run with the workspace's own kinds. */
export const oneOffCosts = withWorkspaceKinds(oneOffCostsIn);
