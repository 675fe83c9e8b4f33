// The Renewals view's content, without vscode: licences and contracts side by side, grouped by
// the reports' status (in the order a director acts on them) and, within a status, by days left.
import type { ContractRow, LicenceRow } from "./protocol.js";

/** Statuses in the order a director acts on them (the reports' own values: licences' and contracts'). */
export const RENEWAL_ORDER = ["expired", "renewal-due", "cancel-by", "expiring", "ok", "perpetual", "terminated", "invalid"];

/** Statuses whose group starts collapsed: nothing to do. */
export const QUIET_STATUSES = new Set(["ok", "perpetual", "terminated"]);

export interface RenewalItem {
  /** `licence` or `contract`: shown in the description, so the two are told apart. */
  record: "licence" | "contract";
  id: string;
  label: string;
  status: string;
  days_left: number | null;
  /** The term's end (a licence's expiry_date, a contract's end_date). */
  end: string | null;
  /** A contract's notice deadline (cancel by, or start the renewal by); null for licences. */
  deadline: string | null;
  file: string;
}

export interface RenewalGroup {
  status: string;
  items: RenewalItem[];
}

export const daysLeft = (n: number | null): string => (n === null ? "no end date" : n < 0 ? `expired ${-n} days ago` : n === 0 ? "ends today" : `${n} days left`);

const rank = (s: string): number => {
  const i = RENEWAL_ORDER.indexOf(s);
  return i < 0 ? RENEWAL_ORDER.length : i;
};

/** Licences and contracts grouped by status, each group sorted by days left (no end date last), then by label. */
export function renewalGroups(licences: readonly LicenceRow[], contracts: readonly ContractRow[]): RenewalGroup[] {
  const items: RenewalItem[] = [
    ...licences.map((l): RenewalItem => ({ record: "licence", id: l.id, label: l.product, status: l.status, days_left: l.days_left, end: l.expiry_date, deadline: null, file: l.file })),
    ...contracts.map((c): RenewalItem => ({ record: "contract", id: c.id, label: c.title, status: c.status, days_left: c.days_left, end: c.end_date, deadline: c.deadline, file: c.file })),
  ];
  const statuses = [...new Set(items.map((i) => i.status))].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return statuses.map((status) => ({
    status,
    items: items.filter((i) => i.status === status).sort((a, b) => (a.days_left ?? Infinity) - (b.days_left ?? Infinity) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)),
  }));
}

/** The description beside an item: what it is and the days left; a contract in its notice period also names its deadline. */
export function renewalDescription(i: RenewalItem): string {
  const deadline = i.deadline && (i.status === "cancel-by" || i.status === "renewal-due" || i.status === "expiring") ? `, ${i.status === "cancel-by" ? "cancel" : "act"} by ${i.deadline}` : "";
  return `${i.record} · ${daysLeft(i.days_left)}${deadline}`;
}
