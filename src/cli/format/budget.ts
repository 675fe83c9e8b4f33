/** `policyops budget`'s formats (table, CSV) and the calendar's budget year ends; the figures come from the engine's budgetReport. */
import { invalidNote, type BudgetCommitment, type BudgetReport, type BudgetYearEnd } from "../../engine/index.js";
import { toCsv } from "./csv.js";
import type { CalEvent } from "./ics.js";
import { formatAmount, renderTable, type Cell, type Column } from "./table.js";
import { plural } from "./words.js";

const amount = (n: number, currency: string | null): string => (currency ? `${formatAmount(n, currency)} ${currency}` : formatAmount(n, "XXX"));
const source = (c: BudgetCommitment): string => `${c.id} (${c.kind}, ${c.file})`;

export function budgetTable(report: BudgetReport, ctx: { noun: string; width?: number }, colour: boolean): string {
  const out: string[] = [];
  const scope = report.year === null ? "" : ` for fiscal year ${report.year}`;
  if (report.budgets.length === 0) out.push(`No budgets${scope} (today is ${report.today}).`);
  for (const b of report.budgets) {
    out.push(`${b.id} — ${b.title}: fiscal year ${b.fiscal_year} (${b.start} to ${b.end}), ${b.currency ?? "no currency"}${b.invalid ? " — INVALID: run policyops validate" : ""}`);
    const columns: Column[] = [
      { header: "LINE" }, { header: "TITLE", max: 36 }, { header: "TYPE" }, { header: "PLANNED", align: "right" }, { header: "COMMITTED", align: "right" },
      { header: "ACTUALS", align: "right" }, { header: "VARIANCE", align: "right" },
    ];
    const f = (n: number) => formatAmount(n, b.currency ?? "XXX");
    const body: Cell[][] = b.lines.map((l) => [l.id, l.title ?? "-", l.type ?? "-", f(l.planned), f(l.committed), f(l.actuals), { text: f(l.variance), style: l.overspent ? "red" : "green" }]);
    body.push(["TOTAL", "", "", f(b.totals.planned), f(b.totals.committed), f(b.totals.actuals), { text: f(b.totals.variance), style: b.totals.variance < 0 ? "red" : "green" }]);
    out.push(renderTable(columns, body, colour, ctx.width).replace(/\n$/, ""));
    for (const l of b.lines) for (const c of l.commitments) out.push(`  ${l.id}: ${amount(c.amount, c.currency)} from ${source(c)}, ${c.basis}`);
    for (const c of b.excluded) out.push(`  Not added (other currency): ${amount(c.amount, c.currency)} from ${source(c)} names ${c.budget_line}; the budget is in ${b.currency}.`);
    const over = b.lines.filter((l) => l.overspent);
    if (over.length) out.push(`  Overspent: ${over.map((l) => `${l.id} by ${amount(-l.variance, b.currency)}`).join(", ")}.`);
    out.push("");
  }
  if (report.unallocated.length) {
    out.push("Not allocated to a line of the year's budget:");
    for (const u of report.unallocated) {
      const why = u.reason === "no-line" ? "names no budget line" : u.reason === "unknown-budget" ? `names ${u.budget_line}, an unknown budget` : u.reason === "unknown-line" ? `names ${u.budget_line}, an unknown line` : `names ${u.budget_line}, a budget of another fiscal year`;
      out.push(`  ${u.fiscal_year}: ${amount(u.amount, u.currency)} from ${source(u)}, ${u.basis}; ${why}.`);
    }
    out.push("");
  }
  out.push(`${plural(report.budgets.length, ctx.noun)}${scope}, ${plural(report.unallocated.length, "unallocated cost")} (today is ${report.today}).`);
  const note = invalidNote(report.invalid.length, `${ctx.noun} or cost`);
  if (note) out.push(note);
  return out.join("\n") + "\n";
}

export function budgetCsv(report: BudgetReport): string {
  const rows: (string | number | boolean | null)[][] = [];
  for (const b of report.budgets) {
    for (const l of b.lines) rows.push(["line", b.id, b.fiscal_year, b.currency, l.id, l.title, l.category, l.cost_centre, l.type, l.planned, l.committed, l.actuals, l.variance, l.overspent, null, null, null, b.invalid, b.file]);
    for (const c of b.excluded) rows.push(["excluded", b.id, b.fiscal_year, c.currency, c.budget_line, null, null, null, null, null, c.amount, null, null, null, c.id, c.basis, "currency", false, c.file]);
  }
  for (const u of report.unallocated) rows.push(["unallocated", null, u.fiscal_year, u.currency, u.budget_line, null, null, null, null, null, u.amount, null, null, null, u.id, u.basis, u.reason, false, u.file]);
  return toCsv(["row", "budget", "fiscal_year", "currency", "line", "title", "category", "cost_centre", "type", "planned", "committed", "actuals", "variance", "overspent", "record", "basis", "reason", "invalid", "file"], rows);
}

/** One event per budget on the last day of its fiscal year; the UID is the budget id and the event type. */
export function budgetEvents(ends: readonly BudgetYearEnd[]): CalEvent[] {
  return ends.map((b) => ({
    uid: `${b.id}-year-end@policyops`,
    date: b.end,
    summary: `Budget year ends: ${b.title} (${b.fiscal_year})`,
    description: [`${b.title} (${b.id})`, `Fiscal year ${b.fiscal_year} ends on ${b.end}.`, `Record: ${b.file}`].join("\n"),
    categories: ["Budget", "Year end"],
  }));
}
