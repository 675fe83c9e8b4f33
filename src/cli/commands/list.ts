import { Command, Option } from "commander";
import { invalidNote, invalidRecords, registerFields, registerKind, registerReport, type RegisterRow } from "../../engine/index.js";
import { toCsv } from "../format/csv.js";
import { renderTable } from "../format/table.js";
import { safeJson } from "../format/neutralise.js";
import type { CliIO } from "../io.js";
import { loadForReport } from "../load-report.js";
import { withDateAndConfig } from "../options.js";

export const LIST_FORMATS = ["table", "json", "csv"] as const;
type Format = (typeof LIST_FORMATS)[number];

/** Any kind's register, the repository's own kinds too (SPEC §3). A report: exits 0 whatever the findings. */
export function listCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("list")
      .description("List every document of one kind (built in or declared in kinds/): id, title, status, owner, file and its required fields.")
      .argument("<kind>", "kind of document, e.g. policy, licence, or one of the repository's own kinds")
      .argument("[root]", "policy repository", ".")
      .addOption(new Option("--format <format>", "output format").choices(LIST_FORMATS).default("table")),
  )
    .addHelpText("after", ["", "Records that do not validate are marked invalid (run policyops validate).", "Exit codes: 0 report printed, 2 usage or config error (an unknown kind too)."].join("\n"))
    .action(async (kind: string, root: string, flags: { format: Format; today?: string; config?: string }) => {
      const ws = await loadForReport(io, root, flags);
      const def = registerKind(kind);
      const rows = registerReport(ws, kind);
      const invalid = invalidRecords(ws, [kind]).files.size;
      if (flags.format !== "table" && invalid) io.err(`policyops: ${invalidNote(invalid, kind)}\n`);
      const extra = registerFields(def);
      const header = ["id", def.titleField, "status", "owner", ...extra, "file"];
      const cells = (r: RegisterRow) => [r.id, r.title, r.status, r.owner, ...extra.map((f) => r.fields[f] ?? null), r.valid ? r.file : `${r.file} (invalid)`];
      switch (flags.format) {
        case "json":
          return io.out(safeJson(rows) + "\n");
        case "csv":
          return io.out(toCsv([...header, "valid"], rows.map((r) => [...cells(r).slice(0, -1), r.file, r.valid])));
        case "table": {
          const table = rows.length ? renderTable(header.map((h, i) => ({ header: h, ...(i === 1 ? { max: 40 } : {}) })), rows.map((r) => cells(r).map((c) => c ?? "")), io.colour, io.width) : "";
          const note = invalidNote(invalid, kind);
          return io.out(`${table}${rows.length ? "\n" : ""}${rows.length} ${kind} document${rows.length === 1 ? "" : "s"} in \`${ws.config.paths[kind]}/\`.${note ? `\n${note}` : ""}\n`);
        }
      }
    });
}
