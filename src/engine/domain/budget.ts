/**
 * Budgets (SPEC §1 budget, §2 `budget/overspend`, §3 `policyops budget`): a budget's fiscal
 * year, and the roll-up of the costs that name its lines. One place for the rules and the
 * report. Pure: facts in, integer cents out (no floating-point sums).
 *
 * - The fiscal year runs twelve calendar months from `start`, or from January 1 of the
 *   (first) year of `fiscal_year` when `start` is absent (`2026-27` → 2026-01-01 unless
 *   `start` says otherwise, e.g. 2026-04-01).
 * - Cost-bearing records are found by annotation, never by kind name: a kind whose schema
 *   has an item reference (`x-policyops-ref-item`, e.g. `budget_line`) with a `cost`
 *   mapping beside it (`{amount, currency, period}`; no `period` means one-off). Built in:
 *   licence and contract (top level), and an asset's `purchase` once annotated.
 * - The term a periodic cost runs over: from `start_date`, to `expiry_date`, else
 *   `end_date`, else `start_date` + `initial_term_months` − 1 day; open-ended when it
 *   auto-renews (`auto_renew: true`, `renewal: auto`, not `status: terminated`) or has no
 *   end; from the beginning of time when it has no start.
 * - A yearly cost counts amount × (days of the term inside the fiscal year) ÷ (days in the
 *   fiscal year). A monthly cost counts, for each of the fiscal year's twelve months (from
 *   its start), amount × (days of the term inside that month) ÷ (days in that month): a full
 *   month is the full amount, a part month its share by days. A one-off cost counts whole in
 *   the fiscal year that contains its date (the `date` beside it, e.g. `purchase.date`, else
 *   `start_date`); a one-off cost without a date counts nowhere.
 * - Each share is rounded to a whole cent (half up) once, per cost (yearly) or per month
 *   (monthly); totals add cents.
 */
import { addMonths, dayFromCivil, formatDay, parseDay, type Day } from "../model/dates.js";
import { kinds, type KindDef, type ReferenceField } from "../model/kinds.js";
import type { DocumentFacts } from "../model/types.js";
import type { JsonSchema } from "../model/schemas.js";
import { contractEnd } from "./contracts.js";
import { itemIds, references } from "./references.js";

/** The fields that make a kind a budget (built in: `budget`): the budget/* rules and the report select it by them, never by name. */
export const BUDGET_FIELDS = { fields: ["fiscal_year", "currency", "lines", "actuals"] } as const;

export interface FiscalYear {
  /** `fiscal_year` as written (`2027`, `2026-27`). */
  label: string;
  start: Day;
  /** The last day (inclusive). */
  end: Day;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** A budget's fiscal year, or null when `fiscal_year` or `start` is not valid (the schema says which). */
export function fiscalYear(doc: DocumentFacts): FiscalYear | null {
  const label = doc.values.fiscal_year;
  if (typeof label !== "string") return null;
  const m = /^([0-9]{4})(-[0-9]{2})?$/.exec(label);
  if (!m) return null;
  let start: Day | null = dayFromCivil(Number(m[1]), 1, 1);
  if (doc.values.start !== undefined) start = parseDay(doc.values.start);
  if (start === null) return null;
  return { label, start, end: addMonths(start, 12) - 1 };
}

/** An amount as whole cents (hundredths), or null when it is not a finite number. */
export function toCents(amount: unknown): number | null {
  return typeof amount === "number" && Number.isFinite(amount) ? Math.round(amount * 100) : null;
}

/** `a × num ÷ den` rounded half up to a whole cent (a ≥ 0, den > 0). */
const share = (cents: number, num: number, den: number): number => Math.floor((2 * cents * num + den) / (2 * den));

export interface BudgetLine {
  index: number;
  id: string;
  title: string | null;
  category: string | null;
  cost_centre: string | null;
  type: string | null;
  plannedCents: number;
}

export function budgetLines(doc: DocumentFacts): BudgetLine[] {
  const list = doc.values.lines;
  if (!Array.isArray(list)) return [];
  const out: BudgetLine[] = [];
  list.forEach((l, index) => {
    if (!isObj(l) || typeof l.id !== "string") return;
    const s = (v: unknown) => (typeof v === "string" ? v : null);
    out.push({ index, id: l.id, title: s(l.title), category: s(l.category), cost_centre: s(l.cost_centre), type: s(l.type), plannedCents: toCents(l.planned) ?? 0 });
  });
  return out;
}

export const budgetCurrency = (doc: DocumentFacts): string | null => (typeof doc.values.currency === "string" ? doc.values.currency : null);

// ---- costs -------------------------------------------------------------------------------

/** Where a kind keeps a cost and the budget line it is paid from: the item reference and the mapping holding both. */
export interface CostSite {
  ref: ReferenceField;
  /** Keys from the document to the mapping holding `cost` and the line reference (empty: the top level). */
  parent: readonly string[];
}

const sitesMemo = new WeakMap<KindDef, CostSite[]>();

/** A kind's cost sites: item references (`x-policyops-ref-item`) outside lists with a `cost` mapping beside them. */
export function costSites(def: KindDef): CostSite[] {
  let out = sitesMemo.get(def);
  if (out) return out;
  out = [];
  for (const ref of def.references) {
    if (!ref.item || ref.path.includes("*")) continue;
    const parent = ref.path.slice(0, -1);
    let node: JsonSchema | undefined = def.schema;
    for (const k of parent) node = (node?.properties as Record<string, JsonSchema> | undefined)?.[k];
    if ((node?.properties as Record<string, unknown> | undefined)?.cost !== undefined) out.push({ ref, parent });
  }
  sitesMemo.set(def, out);
  return out;
}

/** Kinds with at least one cost site (built in: licence, contract). */
export const costKinds = (): string[] => kinds().defs.filter((d) => costSites(d).length > 0).map((d) => d.kind);

export type Period = "year" | "month" | "one-off";

/** One cost of a record: what it costs, when, and which budget line it names. */
export interface Cost {
  doc: DocumentFacts;
  site: CostSite;
  /** Pointer of the `cost` mapping (`/cost`, `/purchase/cost`). */
  costPointer: string;
  /** Pointer of the line reference, when the record names one. */
  linePointer: string;
  /** `budget_line` as written, or null when absent. */
  line: string | null;
  /** The budget id and line id it names (null when absent or without `/`). */
  budget: string | null;
  lineId: string | null;
  cents: number;
  currency: string | null;
  period: Period;
  /** First day of the term (null: unknown, from the beginning of time). */
  start: Day | null;
  /** Last day of the term (null: open-ended). */
  end: Day | null;
  /** The day a one-off cost falls on (null: undated). */
  date: Day | null;
}

const esc = (k: string): string => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** The costs of a record (one per cost site with a valid `cost.amount`). */
export function costsOf(doc: DocumentFacts): Cost[] {
  const def = kinds().get(doc.kind);
  if (!def || !doc.parsed) return [];
  const out: Cost[] = [];
  for (const site of costSites(def)) {
    let parent: unknown = doc.values;
    for (const k of site.parent) parent = isObj(parent) ? parent[k] : undefined;
    if (!isObj(parent) || !isObj(parent.cost)) continue;
    const cents = toCents(parent.cost.amount);
    if (cents === null || cents < 0) continue;
    const base = site.parent.map((k) => `/${esc(k)}`).join("");
    const lineKey = site.ref.path[site.ref.path.length - 1]!;
    const line = typeof parent[lineKey] === "string" ? (parent[lineKey] as string) : null;
    const slash = line?.indexOf("/") ?? -1;
    const period: Period = parent.cost.period === "year" || parent.cost.period === "month" ? parent.cost.period : "one-off";
    const v = doc.values;
    const start = parseDay(v.start_date);
    const date = parseDay(parent.date) ?? start;
    const autoRenews = (v.auto_renew === true || v.renewal === "auto") && v.status !== "terminated";
    const end = autoRenews ? null : parseDay(v.expiry_date) ?? contractEnd(doc)?.end ?? null;
    out.push({
      doc, site, costPointer: `${base}/cost`, linePointer: `${base}/${esc(lineKey)}`, line,
      budget: line !== null && slash > 0 ? line.slice(0, slash) : null, lineId: line !== null && slash > 0 ? line.slice(slash + 1) : null,
      cents, currency: typeof parent.cost.currency === "string" ? parent.cost.currency : null, period, start, end, date,
    });
  }
  return out;
}

/** What a cost counts in a fiscal year, in cents, and how (for the report's `basis`). */
export function costInYear(cost: Cost, fy: FiscalYear): { cents: number; basis: string } {
  if (cost.period === "one-off") {
    const inside = cost.date !== null && cost.date >= fy.start && cost.date <= fy.end;
    return { cents: inside ? cost.cents : 0, basis: cost.date === null ? "one-off, undated" : `one-off on ${formatDay(cost.date)}` };
  }
  const overlap = (from: Day, to: Day): number => Math.max(0, Math.min(to, cost.end ?? to) - Math.max(from, cost.start ?? from) + 1);
  if (cost.period === "year") {
    const days = overlap(fy.start, fy.end);
    const len = fy.end - fy.start + 1;
    return { cents: share(cost.cents, days, len), basis: `yearly × ${days}/${len} days` };
  }
  let cents = 0;
  let months = 0;
  for (let k = 0; k < 12; k++) {
    const ms = addMonths(fy.start, k);
    const me = addMonths(fy.start, k + 1) - 1;
    const days = overlap(ms, me);
    if (days > 0) months++;
    cents += share(cost.cents, days, me - ms + 1);
  }
  return { cents, basis: `monthly × ${months} month${months === 1 ? "" : "s"} (part months by days)` };
}

// ---- the roll-up of one budget ----------------------------------------------------------------

export interface Commitment {
  cost: Cost;
  cents: number;
  basis: string;
}

export interface LineRollup {
  line: BudgetLine;
  commitments: Commitment[];
  committedCents: number;
  actualsCents: number;
  /** planned − committed − actuals */
  varianceCents: number;
}

export interface ActualProblem {
  index: number;
  problem: "unknown-line" | "outside-year";
}

export interface BudgetRollup {
  budget: DocumentFacts;
  fy: FiscalYear;
  currency: string | null;
  lines: LineRollup[];
  /** Costs naming a line of this budget in another currency: never added. */
  foreign: Commitment[];
  /** Costs naming this budget but no line of it. */
  unknownLine: Commitment[];
  /** Actuals not counted: naming no line of the budget, or dated outside the fiscal year. */
  actualProblems: ActualProblem[];
  totals: { plannedCents: number; committedCents: number; actualsCents: number; varianceCents: number };
}

/**
 * Rolls up one budget: its lines' planned amounts, the costs of `records` naming its lines
 * (prorated into its fiscal year), its actuals. `records` may hold anything: only the costs
 * naming this budget are read. Null when the budget has no valid fiscal year.
 */
export function rollUp(budget: DocumentFacts, records: readonly DocumentFacts[]): BudgetRollup | null {
  const fy = fiscalYear(budget);
  if (!fy || !budget.id) return null;
  const currency = budgetCurrency(budget);
  const lines = budgetLines(budget);
  const byId = new Map<string, LineRollup>();
  const rolled: LineRollup[] = lines.map((line) => ({ line, commitments: [], committedCents: 0, actualsCents: 0, varianceCents: 0 }));
  for (const r of rolled) if (!byId.has(r.line.id)) byId.set(r.line.id, r);
  const foreign: Commitment[] = [];
  const unknownLine: Commitment[] = [];
  for (const doc of records) {
    for (const cost of costsOf(doc)) {
      if (cost.budget !== budget.id) continue;
      const { cents, basis } = costInYear(cost, fy);
      const target = cost.lineId === null ? undefined : byId.get(cost.lineId);
      if (!target) {
        unknownLine.push({ cost, cents, basis });
        continue;
      }
      if (cost.currency !== currency) {
        foreign.push({ cost, cents, basis });
        continue;
      }
      if (cents === 0) continue;
      target.commitments.push({ cost, cents, basis });
      target.committedCents += cents;
    }
  }
  const actualProblems: ActualProblem[] = [];
  const actuals = budget.values.actuals;
  if (Array.isArray(actuals)) {
    actuals.forEach((a, index) => {
      if (!isObj(a)) return;
      const target = typeof a.line === "string" ? byId.get(a.line) : undefined;
      const day = parseDay(a.date);
      const cents = toCents(a.amount);
      if (!target) return void actualProblems.push({ index, problem: "unknown-line" });
      if (day === null || cents === null) return;
      if (day < fy.start || day > fy.end) return void actualProblems.push({ index, problem: "outside-year" });
      target.actualsCents += cents;
    });
  }
  const totals = { plannedCents: 0, committedCents: 0, actualsCents: 0, varianceCents: 0 };
  for (const r of rolled) {
    r.varianceCents = r.line.plannedCents - r.committedCents - r.actualsCents;
    totals.plannedCents += r.line.plannedCents;
    totals.committedCents += r.committedCents;
    totals.actualsCents += r.actualsCents;
    totals.varianceCents += r.varianceCents;
  }
  return { budget, fy, currency, lines: rolled, foreign, unknownLine, actualProblems, totals };
}

/** Line ids listed more than once, with the index of each repeat. */
export function duplicateLines(doc: DocumentFacts): { index: number; id: string }[] {
  const seen = new Set<string>();
  const out: { index: number; id: string }[] = [];
  for (const l of budgetLines(doc)) {
    if (seen.has(l.id)) out.push({ index: l.index, id: l.id });
    seen.add(l.id);
  }
  return out;
}

/** A budget's line ids, for messages (`L1`, `L2`). */
export const lineIdsOf = (doc: DocumentFacts): string[] => itemIds(doc, "lines");

/** `1234567` cents → `12,345.67`. */
export function formatCents(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const units = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}${units}.${String(abs % 100).padStart(2, "0")}`;
}

/** The item references of a record (its `budget_line` values), as `references` reads them. */
export const lineReferences = (doc: DocumentFacts) => references(doc).filter((r) => r.ref.item);
