import { Command, Option } from "commander";
import { renderCalendar } from "../format/ics.js";
import { calendarEvents, governanceEvents } from "../format/governance-calendar.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { withDateAndConfig } from "../options.js";

export const CALENDAR_FORMATS = ["ics", "json"] as const;
type Format = (typeof CALENDAR_FORMATS)[number];

interface CalendarFlags {
  format: Format;
  today?: string;
  config?: string;
}

/** One feed of licence and contract deadlines and ends, document reviews, scheduled tests (`next_due`), the dues of open actions, findings and post-implementation reviews, in-use assets' warranty ends and budget year ends. A report: exits 0 whatever the findings. */
export function calendarCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("calendar")
      .description("Export every dated obligation (licence and contract ends, cancellation and renewal deadlines, reminders, document reviews, scheduled tests, action and finding dues, warranty ends of assets in use, budget year ends) as one calendar feed.")
      .argument("[root]", "policy repository", ".")
      .addOption(new Option("--format <format>", "output format").choices(CALENDAR_FORMATS).default("ics")),
  )
    .addHelpText(
      "after",
      [
        "",
        "Events from today on. Each UID is the record's id and the event type (CON-001-deadline@policyops;",
        "  an open action or finding: <record id>-<its key in policyops actions>@policyops),",
        "  so re-importing the feed after a date changes moves the event instead of adding another.",
        "--format json: [{uid, date, summary, description, categories}].",
        "Exit codes: 0 feed printed, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: CalendarFlags) => {
      const ws = await loadForReport(io, root, flags);
      const all = governanceEvents(ws);
      if (flags.format === "json") return io.out(safeJson(calendarEvents(all, ws.today)) + "\n");
      return io.out(renderCalendar("Governance calendar (PolicyOps)", all, { today: ws.today, now: new Date() }));
    });
}
