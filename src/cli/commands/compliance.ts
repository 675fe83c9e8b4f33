import { basename } from "node:path";
import { Command, Option } from "commander";
import { complianceDetail, complianceJson, invalidNote } from "../../engine/index.js";
import { complianceCsv } from "../format/csv.js";
import { statementOfApplicability } from "../format/markdown.js";
import { complianceTable, invalidMappedCount } from "../format/table.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { withDateAndConfig } from "../options.js";

export const COMPLIANCE_FORMATS = ["table", "json", "csv", "md"] as const;
type Format = (typeof COMPLIANCE_FORMATS)[number];

interface ComplianceFlags {
  format: Format;
  framework?: string;
  all?: boolean;
  today?: string;
  config?: string;
}

/** Control coverage per framework, and the Statement of Applicability. A report: exits 0 whatever the findings. */
export function complianceCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("compliance")
      .description("Show which framework controls the policies and SOPs cover; print a Statement of Applicability (--format md).")
      .argument("[root]", "policy repository", ".")
      .option("--framework <id>", "only this framework (default: `frameworks` in policyops.yaml)")
      .option("--all", "table: list every control, not only those not covered")
      .addOption(new Option("--format <format>", "output format").choices(COMPLIANCE_FORMATS).default("table")),
  )
    .addHelpText(
      "after",
      [
        "",
        "Statuses: covered (an active policy or SOP within its review cycle), stale (only",
        "  review-overdue ones), draft (only draft or in-review ones), missing, not-applicable",
        "  (listed under not_applicable). Coverage = covered / (all - not-applicable).",
        "  A document whose front matter does not validate covers nothing (the report says so).",
        "--format table: a summary, then the controls not covered; --all lists every control.",
        "Exit codes: 0 report printed, 2 usage or config error (unknown framework included).",
      ].join("\n"),
    )
    .action(async (root: string, flags: ComplianceFlags) => {
      const ws = await loadForReport(root, flags);
      const detail = complianceDetail(ws, { framework: flags.framework });
      const invalid = invalidMappedCount(detail);
      // JSON and CSV stay machine-readable: the warning about invalid documents goes to stderr.
      if ((flags.format === "json" || flags.format === "csv") && invalid) io.err(`policyops: ${invalidNote(invalid, "document")}\n`);
      switch (flags.format) {
        case "json":
          return io.out(safeJson(complianceJson(detail)) + "\n");
        case "csv":
          return io.out(complianceCsv(detail));
        case "md":
          return io.out(statementOfApplicability(detail, { today: ws.today, generated: new Date().toISOString(), repository: basename(ws.root) }));
        case "table":
          return io.out(complianceTable(detail, { today: ws.today, all: flags.all, invalid, width: io.width }, io.colour));
      }
    });
}
