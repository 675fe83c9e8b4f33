import { Command, Option } from "commander";
import { invalidNote, invalidRecords, reviewedKinds, reviewReport } from "../../engine/index.js";
import { reviewsCsv } from "../format/csv.js";
import { renderCalendar, reviewEvents } from "../format/ics.js";
import { reviewTable } from "../format/table.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { days, withDateAndConfig } from "../options.js";

export const REVIEWS_FORMATS = ["table", "json", "csv", "ics"] as const;
type Format = (typeof REVIEWS_FORMATS)[number];

interface ReviewsFlags {
  format: Format;
  within?: number;
  today?: string;
  config?: string;
}

/** The review schedule of policies, SOPs and manuals. A report: exits 0 whatever the findings. */
export function reviewsCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("reviews")
      .description("List policy, SOP and manual reviews by due date; export them as a calendar.")
      .argument("[root]", "policy repository", ".")
      .option("--within <days>", "only active documents due for review within this many days (overdue ones included)", days)
      .addOption(new Option("--format <format>", "output format").choices(REVIEWS_FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      [
        "",
        "States: overdue, due-soon (within reviews.due_soon_days), ok, never (active without",
        "  last_reviewed or approved_on), not-active (draft or in review: not scheduled yet),",
        "  invalid (the front matter does not validate: run policyops validate).",
        "Retired documents are left out.",
        "--format ics: one all-day event per upcoming review date.",
        "Exit codes: 0 report printed, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: ReviewsFlags) => {
      const ws = await loadForReport(io, root, flags);
      const rows = reviewReport(ws, { within: flags.within });
      const invalid = invalidRecords(ws, reviewedKinds()).files.size;
      // JSON, CSV and ICS stay machine-readable: the warning about invalid documents goes to stderr.
      if (flags.format !== "table" && invalid) io.err(`policyops: ${invalidNote(invalid, "document")}\n`);
      switch (flags.format) {
        case "json":
          return io.out(safeJson(rows) + "\n");
        case "csv":
          return io.out(reviewsCsv(rows));
        case "ics":
          return io.out(renderCalendar("Document reviews (PolicyOps)", reviewEvents(rows), { today: ws.today, now: new Date() }));
        case "table":
          return io.out(reviewTable(rows, { today: ws.today, within: flags.within, invalid, width: io.width }, io.colour));
      }
    });
}
