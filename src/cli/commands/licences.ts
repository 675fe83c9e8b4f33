import { Command, Option } from "commander";
import { licenceKinds, invalidNote, invalidRecords, recordNoun, licenceReport, renewalPlans, vendorNames } from "../../engine/index.js";
import { licencesCsv } from "../format/csv.js";
import { licenceEvents, renderCalendar } from "../format/ics.js";
import { licenceTable } from "../format/table.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { days, withDateAndConfig } from "../options.js";

export const LICENCES_FORMATS = ["table", "json", "csv", "ics"] as const;
type Format = (typeof LICENCES_FORMATS)[number];

interface LicencesFlags {
  format: Format;
  within?: number;
  today?: string;
  config?: string;
}

/** `--within DAYS`: a whole number of days from today, 0 or more. */
/** The licence register. A report, not a check: it exits 0 whatever the findings (`validate` gates CI). */
export function licencesCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("licences")
      .description("List software licences by expiry with status, seats and annual cost; export renewal dates as a calendar.")
      .argument("[root]", "policy repository", ".")
      .option("--within <days>", "only licences expiring within this many days (expired ones included)", days)
      .addOption(new Option("--format <format>", "output format").choices(LICENCES_FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      [
        "",
        "Statuses: expired (past expiry_date, not auto-renewing), renewal-due (inside the notice",
        "  period), cancel-by (auto-renewing, cancellation deadline within the notice period),",
        "  expiring (within licences.horizon_days), ok, perpetual (no expiry date), invalid",
        "  (the record does not validate: run policyops validate). An auto-renewing licence",
        "  rolls forward by 12 months past each end and never expires.",
        "Annual cost: period year as is, month x 12; one-off purchases are one_off_cost, and",
        "  expired and invalid records are left out of the totals.",
        "--format ics: upcoming expiry, notice (cancel-by / start-renewal) and reminder dates.",
        "Exit codes: 0 report printed, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: LicencesFlags) => {
      const ws = await loadForReport(io, root, flags);
      const options = { within: flags.within };
      const rows = licenceReport(ws, options);
      const invalid = invalidRecords(ws, licenceKinds()).files.size;
      const noun = recordNoun(licenceKinds());
      // JSON, CSV and ICS stay machine-readable: the warning about invalid records goes to stderr.
      if (flags.format !== "table" && invalid) io.err(`policyops: ${invalidNote(invalid, noun)}\n`);
      switch (flags.format) {
        case "json":
          return io.out(safeJson(rows) + "\n");
        case "csv":
          return io.out(licencesCsv(rows, vendorNames(ws)));
        case "ics":
          return io.out(renderCalendar("Licence renewals (PolicyOps)", licenceEvents(renewalPlans(ws, options), vendorNames(ws)), { today: ws.today, now: new Date() }));
        case "table":
          return io.out(licenceTable(rows, { today: ws.today, within: flags.within, vendorNames: vendorNames(ws), invalid, noun, width: io.width }, io.colour));
      }
    });
}
