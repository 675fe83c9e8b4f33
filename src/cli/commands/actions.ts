import { Command, Option } from "commander";
import { actionInvalidCount, actionReport, invalidNote } from "../../engine/index.js";
import { actionEvents, actionsCsv, actionsTable } from "../format/actions.js";
import { renderCalendar } from "../format/ics.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { withDateAndConfig } from "../options.js";

export const ACTIONS_FORMATS = ["table", "json", "csv", "ics"] as const;
type Format = (typeof ACTIONS_FORMATS)[number];

interface ActionsFlags {
  format: Format;
  today?: string;
  config?: string;
}

/** Every open follow-up (actions, audit findings, post-implementation reviews), overdue first. A report: exits 0 whatever the findings. */
export function actionsCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("actions")
      .description("List every open action, audit finding, risk treatment, DR and incident follow-up and post-implementation review, with owner, due date and source document, overdue first.")
      .argument("[root]", "policy repository", ".")
      .addOption(new Option("--format <format>", "output format").choices(ACTIONS_FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      [
        "",
        "Sources: the open items (status open or in-progress) of the actions and findings lists of",
        "  every kind with the actions trait (risks, audits, DR tests, incidents, your own kinds), and",
        "  records with review_due whose status is not closed (post-implementation reviews).",
        "Order: overdue first, then by due date; items without a due date last.",
        "--format json: [{key, source (action | finding | post-implementation-review), item, description,",
        "  owner, due, days_until, overdue, status, severity, document: {id, kind, title, file}, invalid}];",
        "  key is stable within the document (finding id, action-<hash of its description>, pir).",
        "--format csv: the same, one row per item, the document flattened.",
        "--format ics: one all-day event per item due today or later; UID <document id>-<key>@policyops.",
        "Records that do not validate are marked invalid and the list may be incomplete (noted on stderr).",
        "Exit codes: 0 report printed, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: ActionsFlags) => {
      const ws = await loadForReport(io, root, flags);
      const rows = actionReport(ws);
      const invalid = actionInvalidCount(ws);
      if (flags.format !== "table" && invalid) io.err(`policyops: ${invalidNote(invalid, "follow-up")}\n`);
      switch (flags.format) {
        case "json":
          return io.out(safeJson(rows) + "\n");
        case "csv":
          return io.out(actionsCsv(rows));
        case "ics":
          return io.out(renderCalendar("Actions (PolicyOps)", actionEvents(rows), { today: ws.today, now: new Date() }));
        case "table":
          return io.out(actionsTable(rows, { today: ws.today, invalid, width: io.width }, io.colour));
      }
    });
}
