/**
 * `policyops budget` (SPEC §3): per budget and line, planned vs committed (the licence,
 * contract and asset purchase costs naming the line, prorated into the fiscal year: see
 * domain/budget.ts) vs actuals, the variance, the costs left out because they are in
 * another currency, and the costs of each fiscal year that no line of a budget of that
 * year pays for. Amounts are whole cents inside and leave as numbers with two decimals.
 */
import { formatDay } from "../model/dates.js";
import { kinds } from "../model/kinds.js";
import type { DocumentFacts } from "../model/types.js";
import type { Workspace } from "../workspace/workspace.js";
import { BUDGET_FIELDS, costInYear, costKinds, costsOf, fiscalYear, rollUp, type Commitment, type Cost, type FiscalYear } from "../domain/budget.js";
import { invalidRecords, reportable, withWorkspaceKinds } from "./values.js";

export const budgetKinds = (): string[] => kinds().select(BUDGET_FIELDS);

export interface BudgetCommitment {
  /** The record the cost comes from. */
  id: string;
  kind: string;
  file: string;
  /** The line reference as written (`BUD-2027/L3`), null when the record names none. */
  budget_line: string | null;
  /** What it counts in the fiscal year (prorated), in `currency`. */
  amount: number;
  currency: string | null;
  /** How the amount was worked out: `yearly × 181/365 days`, `monthly × 3 months (part months by days)`, `one-off on 2027-03-01`. */
  basis: string;
}

export interface BudgetLineRow {
  id: string;
  title: string | null;
  category: string | null;
  cost_centre: string | null;
  type: string | null;
  planned: number;
  committed: number;
  actuals: number;
  /** planned − committed − actuals (negative: overspent). */
  variance: number;
  overspent: boolean;
  commitments: BudgetCommitment[];
}

export interface BudgetTotals {
  planned: number;
  committed: number;
  actuals: number;
  variance: number;
}

export interface BudgetRow {
  id: string;
  title: string;
  fiscal_year: string;
  start: string;
  end: string;
  currency: string | null;
  /** The budget record does not validate (it is still rolled up from what could be read). */
  invalid: boolean;
  lines: BudgetLineRow[];
  totals: BudgetTotals;
  /** Costs naming one of its lines in another currency: never added (`budget/currency`). */
  excluded: BudgetCommitment[];
  file: string;
}

export type UnallocatedReason = "no-line" | "unknown-budget" | "unknown-line" | "other-year";

export interface UnallocatedCost extends BudgetCommitment {
  fiscal_year: string;
  /** no-line: no `budget_line`; unknown-budget / unknown-line: it names a budget or line that does not exist; other-year: a line of a budget for another fiscal year. */
  reason: UnallocatedReason;
}

/** `policyops budget --format json`. */
export interface BudgetReport {
  version: 1;
  today: string;
  /** `--year`, or null for every budget. */
  year: string | null;
  /** False when records do not validate: they are listed in `invalid`, left out, and the totals are incomplete. */
  complete: boolean;
  budgets: BudgetRow[];
  unallocated: UnallocatedCost[];
  invalid: { id: string | null; kind: string; file: string }[];
}

const money = (cents: number): number => cents / 100;

function commitment(c: Commitment): BudgetCommitment {
  return { id: c.cost.doc.id ?? c.cost.doc.file, kind: c.cost.doc.kind, file: c.cost.doc.file, budget_line: c.cost.line, amount: money(c.cents), currency: c.cost.currency, basis: c.basis };
}

const byFileThenLine = (a: BudgetCommitment, b: BudgetCommitment): number => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.budget_line ?? "") < (b.budget_line ?? "") ? -1 : (a.budget_line ?? "") > (b.budget_line ?? "") ? 1 : 0);

function budgetReportIn(ws: Workspace, options: { year?: string } = {}): BudgetReport {
  const all = ws.allFacts();
  const bKinds = budgetKinds();
  const cKinds = costKinds();
  const invalid = invalidRecords(ws, [...new Set([...bKinds, ...cKinds])]);
  const records = all.filter((d) => d.parsed && cKinds.includes(d.kind) && !invalid.files.has(d.file));
  const budgets = reportable(all, bKinds).filter((b) => options.year === undefined || b.values.fiscal_year === options.year);
  const rows: BudgetRow[] = [];
  for (const b of budgets) {
    const r = rollUp(b, records);
    if (!r) continue;
    rows.push({
      id: b.id,
      title: typeof b.values.title === "string" ? b.values.title : b.id,
      fiscal_year: r.fy.label,
      start: formatDay(r.fy.start),
      end: formatDay(r.fy.end),
      currency: r.currency,
      invalid: invalid.files.has(b.file),
      lines: r.lines.map((l) => ({
        id: l.line.id, title: l.line.title, category: l.line.category, cost_centre: l.line.cost_centre, type: l.line.type,
        planned: money(l.line.plannedCents), committed: money(l.committedCents), actuals: money(l.actualsCents), variance: money(l.varianceCents),
        overspent: l.varianceCents < 0, commitments: l.commitments.map(commitment).sort(byFileThenLine),
      })),
      totals: { planned: money(r.totals.plannedCents), committed: money(r.totals.committedCents), actuals: money(r.totals.actualsCents), variance: money(r.totals.varianceCents) },
      excluded: r.foreign.map(commitment).sort(byFileThenLine),
      file: b.file,
    });
  }
  rows.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Every budget (whatever --year says) decides what a line reference allocates to.
  const allBudgets = new Map<string, { fy: FiscalYear; lines: Set<string> }>();
  for (const b of reportable(all, bKinds)) {
    const fy = fiscalYear(b);
    if (fy && !allBudgets.has(b.id)) allBudgets.set(b.id, { fy, lines: new Set(rollUp(b, [])?.lines.map((l) => l.line.id) ?? []) });
  }
  const years = new Map<string, FiscalYear>();
  for (const row of rows) {
    const fy = allBudgets.get(row.id)?.fy;
    if (fy && !years.has(`${fy.label}|${fy.start}`)) years.set(`${fy.label}|${fy.start}`, fy);
  }
  const unallocated: UnallocatedCost[] = [];
  for (const fy of years.values()) {
    for (const doc of records) {
      for (const cost of costsOf(doc)) {
        const reason = unallocatedReason(cost, fy, allBudgets);
        if (reason === null) continue;
        const { cents, basis } = costInYear(cost, fy);
        if (cents === 0) continue;
        unallocated.push({ fiscal_year: fy.label, ...commitment({ cost, cents, basis }), reason });
      }
    }
  }
  return {
    version: 1,
    today: ws.today,
    year: options.year ?? null,
    complete: invalid.files.size === 0,
    budgets: rows,
    unallocated,
    invalid: all.filter((d) => invalid.files.has(d.file)).map((d: DocumentFacts) => ({ id: d.id, kind: d.kind, file: d.file })),
  };
}

function unallocatedReason(cost: Cost, fy: FiscalYear, budgets: ReadonlyMap<string, { fy: FiscalYear; lines: Set<string> }>): UnallocatedReason | null {
  if (cost.budget === null || cost.lineId === null) return "no-line";
  const b = budgets.get(cost.budget);
  if (!b) return "unknown-budget";
  if (!b.lines.has(cost.lineId)) return "unknown-line";
  return b.fy.start === fy.start && b.fy.label === fy.label ? null : "other-year";
}

export const budgetReport = withWorkspaceKinds(budgetReportIn);

/** Budget year ends as calendar events: one per budget, on the last day of its fiscal year. */
export interface BudgetYearEnd {
  id: string;
  title: string;
  fiscal_year: string;
  end: string;
  file: string;
}

function budgetYearEndsIn(ws: Workspace): BudgetYearEnd[] {
  const invalid = invalidRecords(ws, budgetKinds()).files;
  const out: BudgetYearEnd[] = [];
  for (const b of reportable(ws.allFacts(), budgetKinds())) {
    const fy = fiscalYear(b);
    if (!fy || invalid.has(b.file)) continue;
    out.push({ id: b.id, title: typeof b.values.title === "string" ? b.values.title : b.id, fiscal_year: fy.label, end: formatDay(fy.end), file: b.file });
  }
  return out;
}

export const budgetYearEnds = withWorkspaceKinds(budgetYearEndsIn);
