import type { Config } from "../config/config.js";
import { formatDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";
import type { Workspace } from "../workspace/workspace.js";
import { kinds } from "../model/kinds.js";
import { renewalStatus } from "../domain/renewal.js";
import { contractName, contractWindow } from "../domain/contracts.js";
import { annualCost, compareLicenceRows, oneOffCost, withinDays, type Money } from "./licences.js";
import { invalidRecords, reportable, str } from "./values.js";

export const CONTRACT_STATUSES = ["expired", "renewal-due", "cancel-by", "expiring", "ok", "terminated", "invalid"] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export interface ContractSla {
  availability_pct: number | null;
  response_hours: number | null;
  resolution_hours: number | null;
  support_hours: string | null;
}

/** One row of `policyops contracts --format json` (SPEC §3: the licences' shape with `vendor`, `end_date`, `renewal`). */
export interface ContractRow {
  id: string;
  title: string;
  vendor: string | null;
  type: string | null;
  /** The end of the current term (the recorded or computed end, or the term an auto-renewing contract renewed into). */
  end_date: string | null;
  days_left: number | null;
  status: ContractStatus;
  renewal: "none" | "auto" | "manual";
  /** The current term's end minus the notice days: the last day to cancel (auto) or to start the renewal. */
  deadline: string | null;
  days_to_deadline: number | null;
  notice_days: number | null;
  annual_cost: Money | null;
  one_off_cost: Money | null;
  sla: ContractSla | null;
  file: string;
}

/** The fields that make a kind a contract register's (as the contract/* rules select it), never its name. */
export const CONTRACT_FIELDS = { fields: ["start_date", "initial_term_months", "renewal", "renewal_term_months", "notice_days"] } as const;
export const contractKinds = (): string[] => kinds().select(CONTRACT_FIELDS);

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function slaOf(doc: DocumentFacts): ContractSla | null {
  const s = doc.values.sla;
  if (!s || typeof s !== "object" || Array.isArray(s)) return null;
  const o = s as Record<string, unknown>;
  return { availability_pct: num(o.availability_pct), response_hours: num(o.response_hours), resolution_hours: num(o.resolution_hours), support_hours: str(o.support_hours) };
}

export function contractRow(doc: DocumentFacts & { id: string }, config: Config, today: Day, invalid = false): ContractRow {
  const c = contractWindow(doc, config, today, true);
  const terminated = doc.values.status === "terminated";
  const renewal = doc.values.renewal === "auto" || doc.values.renewal === "manual" ? doc.values.renewal : "none";
  const status: ContractStatus = invalid ? "invalid" : terminated ? "terminated" : c ? renewalStatus(c.window, config.licences.horizon_days) : "invalid";
  return {
    id: doc.id,
    title: contractName(doc),
    vendor: str(doc.values.vendor),
    type: str(doc.values.type),
    end_date: c ? formatDay(c.window.currentTermEnd) : null,
    days_left: c ? c.window.daysLeft : null,
    status,
    renewal,
    deadline: c ? formatDay(c.window.deadline) : null,
    days_to_deadline: c ? c.window.daysToDeadline : null,
    notice_days: c ? c.window.noticeDays : null,
    annual_cost: annualCost(doc),
    one_off_cost: oneOffCost(doc),
    sla: slaOf(doc),
    file: doc.file,
  };
}

/** Terminated contracts and invalid records stay out of annual totals, and so do expired ones. */
export const contractInAnnualTotals = (row: ContractRow): boolean => row.annual_cost !== null && row.status !== "invalid" && row.status !== "expired" && row.status !== "terminated";

/** The contract register: soonest end first, then by id. `within` keeps contracts ending within that many days (ended ones included). */
export function contractReport(ws: Workspace, options: { within?: number } = {}): ContractRow[] {
  const invalid = invalidRecords(ws, contractKinds()).files;
  return reportable(ws.allFacts(), contractKinds())
    .map((doc) => contractRow(doc, ws.config, ws.todayDay, invalid.has(doc.file)))
    .filter((row) => withinDays(row, options.within))
    .sort(compareLicenceRows);
}
