import { Command, InvalidArgumentError, Option } from "commander";
import { budgetKinds, budgetReport, invalidNote, recordNoun } from "../../engine/index.js";
import { budgetCsv, budgetTable } from "../format/budget.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { withDateAndConfig } from "../options.js";

export const BUDGET_FORMATS = ["table", "json", "csv"] as const;
type Format = (typeof BUDGET_FORMATS)[number];

interface BudgetFlags {
  format: Format;
  year?: string;
  today?: string;
  config?: string;
}

function fiscalYearFlag(value: string): string {
  if (!/^[0-9]{4}(-[0-9]{2})?$/.test(value)) throw new InvalidArgumentError("expected a fiscal year as YYYY or YYYY-YY, e.g. 2027 or 2026-27");
  return value;
}

/** Budgets against what is committed and spent. A report, not a check: it exits 0 whatever the findings (`validate` gates CI). */
export function budgetCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("budget")
      .description("Show each budget line's planned amount against committed licence, contract and purchase costs and actuals, the variance, and the costs no line pays for.")
      .argument("[root]", "policy repository", ".")
      .option("--year <FY>", "only budgets whose fiscal_year is this (YYYY or YYYY-YY)", fiscalYearFlag)
      .addOption(new Option("--format <format>", "output format").choices(BUDGET_FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      [
        "",
        "Committed: the costs of records naming a line (budget_line: BUD-2027/L3) that fall in the",
        "  fiscal year (start, or January 1 of fiscal_year, for twelve months): a yearly cost times",
        "  the share of the year's days its term covers; a monthly cost per month of the year, part",
        "  months by days; a one-off cost whole in the year of its date (purchase.date, start_date).",
        "  A term runs from start_date to expiry_date, end_date or start_date + initial_term_months;",
        "  auto-renewing terms run on. Amounts are rounded to whole cents, half up, per cost (per",
        "  month for monthly costs). Variance = planned - committed - actuals (negative: overspent).",
        "Not added: a cost in another currency than its budget's (budget/currency). Unallocated:",
        "  costs falling in a budget's year that name no line, an unknown budget or line, or a line",
        "  of another year's budget. Records that do not validate are left out and listed.",
        "--format json: {version, today, year, complete, budgets: [{id, title, fiscal_year, start,",
        "  end, currency, invalid, lines: [{id, title, category, cost_centre, type, planned,",
        "  committed, actuals, variance, overspent, commitments: [{id, kind, file, budget_line,",
        "  amount, currency, basis}]}], totals: {planned, committed, actuals, variance}, excluded:",
        "  [commitment], file}], unallocated: [{fiscal_year, reason, ...commitment}], invalid:",
        "  [{id, kind, file}]}; reason is no-line, unknown-budget, unknown-line or other-year.",
        "--format csv: one row per line, excluded and unallocated cost (column row says which).",
        "Exit codes: 0 report printed, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: BudgetFlags) => {
      const ws = await loadForReport(io, root, flags);
      const report = budgetReport(ws, { year: flags.year });
      const noun = recordNoun(budgetKinds());
      if (flags.format !== "table" && report.invalid.length) io.err(`policyops: ${invalidNote(report.invalid.length, `${noun} or cost`)}\n`);
      switch (flags.format) {
        case "json":
          return io.out(safeJson(report) + "\n");
        case "csv":
          return io.out(budgetCsv(report));
        case "table":
          return io.out(budgetTable(report, { noun, width: io.width }, io.colour));
      }
    });
}
