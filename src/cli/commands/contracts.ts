import { Command, Option } from "commander";
import { contractKinds, contractReport, invalidNote, invalidRecords, recordNoun, vendorNames } from "../../engine/index.js";
import { contractEvents, contractsCsv, contractTable } from "../format/contracts.js";
import { renderCalendar } from "../format/ics.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { days, withDateAndConfig } from "../options.js";

export const CONTRACTS_FORMATS = ["table", "json", "csv", "ics"] as const;
type Format = (typeof CONTRACTS_FORMATS)[number];

interface ContractsFlags {
  format: Format;
  within?: number;
  today?: string;
  config?: string;
}

/** The contract register. A report, not a check: it exits 0 whatever the findings (`validate` gates CI). */
export function contractsCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("contracts")
      .description("List supplier contracts by term end with status, renewal deadline, annual cost and SLA; export their dates as a calendar.")
      .argument("[root]", "policy repository", ".")
      .option("--within <days>", "only contracts whose term ends within this many days (ended ones included)", days)
      .addOption(new Option("--format <format>", "output format").choices(CONTRACTS_FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      [
        "",
        "Term end: end_date, or start_date + initial_term_months; renewal: auto rolls the term",
        "  forward by renewal_term_months (12) past each end, none and manual simply end.",
        "Statuses: expired, renewal-due, cancel-by, expiring, ok (as licences), terminated",
        "  (status: terminated), invalid (the record does not validate: run policyops validate).",
        "Deadline: the term end minus notice_days (licences.default_notice_days when absent).",
        "--format ics: term ends, deadlines and licences.reminders days before each end.",
        "Exit codes: 0 report printed, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: ContractsFlags) => {
      const ws = await loadForReport(io, root, flags);
      const rows = contractReport(ws, { within: flags.within });
      const invalid = invalidRecords(ws, contractKinds()).files.size;
      const noun = recordNoun(contractKinds());
      if (flags.format !== "table" && invalid) io.err(`policyops: ${invalidNote(invalid, noun)}\n`);
      switch (flags.format) {
        case "json":
          return io.out(safeJson(rows) + "\n");
        case "csv":
          return io.out(contractsCsv(rows, vendorNames(ws)));
        case "ics":
          return io.out(renderCalendar("Contract renewals (PolicyOps)", contractEvents(rows, vendorNames(ws), ws.config.licences.reminders), { today: ws.today, now: new Date() }));
        case "table":
          return io.out(contractTable(rows, { today: ws.today, within: flags.within, vendorNames: vendorNames(ws), invalid, noun, width: io.width }, io.colour));
      }
    });
}
