import { basename } from "node:path";
import { Command, Option } from "commander";
import { complianceDetail, complianceJson, invalidNote, unknownFrameworks } from "../../engine/index.js";
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
        "--format table: a summary, then the controls not covered or with open audit findings;",
        "  --all lists every control.",
        "--format json: a control with open audit findings (status open or in-progress) against it",
        "  also has findings: [{audit, id, severity, status, due, file}]; the key is absent otherwise.",
        "Exit codes: 0 report printed (a framework under `frameworks` that no catalogue declares is",
        "  left out with a note on stderr; validate reports it as control/unknown), 2 usage or",
        "  config error (an unknown --framework included).",
      ].join("\n"),
    )
    .action(async (root: string, flags: ComplianceFlags) => {
      const ws = await loadForReport(io, root, flags);
      const options = { framework: flags.framework };
      for (const id of unknownFrameworks(ws, options)) {
        const known = ws.catalogues().map((c) => `\`${c.id}\``).join(", ");
        io.err(`policyops: framework \`${id}\` under \`frameworks\` in ${ws.config.source ?? "the config"} is not a known catalogue, so it is left out; known frameworks: ${known}. Correct it or add \`frameworks/${id}.yaml\` (\`policyops validate\` points at the entry).\n`);
      }
      const detail = complianceDetail(ws, options);
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
