/**
 * The custom requests of lsp-protocol.md: the CLI's JSON, computed by the CLI's own
 * formatters on the server's workspace (so unsaved edits count, as they do for diagnostics).
 */
import { Document } from "yaml";
import {
  complianceDetail, complianceJson, contractReport, draft, kinds, licenceReport, registerReport, renewalPlans, resultOf, reviewReport, UsageError, vendorNames, type Workspace,
} from "../engine/index.js";
import { formatJson } from "../cli/format/json.js";
import { licenceEvents, renderCalendar, reviewEvents } from "../cli/format/ics.js";
import { safeJson } from "../cli/format/neutralise.js";
import { draftBody, nextId, slugify } from "../cli/commands/new.js";

export type ReportName = "licences" | "contracts" | "reviews" | "compliance" | "validate";

/** `policyops <report> --format json`, parsed. */
export function reportJson(ws: Workspace, report: ReportName, within?: number): unknown {
  if (within !== undefined && (!Number.isInteger(within) || within < 0)) throw new UsageError(`invalid \`within\` \`${String(within)}\`: use a whole number of days, 0 or more`);
  switch (report) {
    case "licences":
      return JSON.parse(safeJson(licenceReport(ws, { within })));
    case "contracts":
      return JSON.parse(safeJson(contractReport(ws, { within })));
    case "reviews":
      return JSON.parse(safeJson(reviewReport(ws, { within })));
    case "compliance":
      return JSON.parse(safeJson(complianceJson(complianceDetail(ws, {}))));
    case "validate":
      return JSON.parse(formatJson(resultOf(ws)));
    default:
      throw new UsageError(`unknown report \`${String(report)}\`; use one of \`licences\`, \`contracts\`, \`reviews\`, \`compliance\`, \`validate\``);
  }
}

/** `policyops list <kind> --format json`, parsed. */
export function listJson(ws: Workspace, kind: string): unknown {
  return JSON.parse(safeJson(registerReport(ws, kind)));
}

/** `policyops <licences|reviews> --format ics`. */
export function calendar(ws: Workspace, report: "licences" | "reviews", now = new Date()): { ics: string } {
  if (report === "licences") return { ics: renderCalendar("Licence renewals (PolicyOps)", licenceEvents(renewalPlans(ws, {}), vendorNames(ws)), { today: ws.today, now }) };
  if (report === "reviews") return { ics: renderCalendar("Document reviews (PolicyOps)", reviewEvents(reviewReport(ws, {})), { today: ws.today, now }) };
  throw new UsageError(`unknown calendar \`${String(report)}\`; use \`licences\` or \`reviews\``);
}

/** Every kind with its folder and how many documents it has. */
export function kindList(ws: Workspace): { kind: string; folder: string; markdown: boolean; builtIn: boolean; count: number }[] {
  const counts = new Map<string, number>();
  for (const d of ws.documents()) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  return kinds().defs.map((d) => ({ kind: d.kind, folder: ws.config.paths[d.kind] ?? d.folder, markdown: d.format === "markdown", builtIn: d.builtin, count: counts.get(d.kind) ?? 0 }));
}

/**
 * What `policyops new <kind> --title T` would write, without writing: the file (next to the
 * kind's other documents, a free name) and its text. `exists` says whether a path is taken.
 */
export function newDocument(ws: Workspace, kind: string, title: string, exists: (file: string) => boolean): { file: string; text: string } {
  const name = title.trim();
  if (!name) throw new UsageError("the title must not be empty; give the new document a title");
  const def = kinds().get(kind);
  if (!def) throw new UsageError(`unknown kind \`${kind}\`; use one of ${kinds().defs.filter((d) => d.idPrefix).map((d) => `\`${d.kind}\``).join(", ")}, or declare it in \`kinds/${kind}.schema.json\``);
  if (!def.idPrefix) throw new UsageError(`kind \`${kind}\` has no \`idPrefix\` in its schema's \`x-policyops\` block, so it cannot be numbered; add one to ${def.source}`);
  const id = nextId(ws, def.idPrefix);
  const values = draft(def, { id, title: name, owner: "IT Director", today: ws.today, documents: ws.documents() });
  const yaml = new Document(values).toString({ lineWidth: 0 });
  const isMarkdown = def.format === "markdown";
  const text = isMarkdown ? `---\n${yaml}---\n\n${draftBody(kind, name, ws)}` : yaml;
  const folder = ws.config.paths[kind]!;
  const base = slugify(name);
  const ext = isMarkdown ? ".md" : ".yaml";
  let file = `${folder}/${base}${ext}`;
  for (let n = 2; exists(file); n++) file = `${folder}/${base}-${n}${ext}`;
  return { file, text };
}
