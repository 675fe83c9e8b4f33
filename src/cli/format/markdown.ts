import { CONTROL_STATUSES, decidesCoverage, type FrameworkDetail, type MappedDocument } from "../../engine/index.js";
import { VERSION } from "../version.js";
import { neutralise, wellFormed } from "./neutralise.js";
import { invalidNote } from "../../engine/index.js";
import { applicableCount, coveragePercent, invalidMappedCount } from "./table.js";

/**
 * The Statement of Applicability: a Markdown document an auditor can read on its own.
 * Per framework a summary (counts per status, coverage), then every control with its
 * statement, status, implementing documents and, for excluded controls, the
 * justification from `not_applicable`. Links to documents are relative to the
 * repository root, so the file works when saved there (or rendered by the git host).
 * Text from documents and config is escaped: it must not change the table's structure.
 */
export interface SoaContext {
  today: string;
  /** When the statement was generated (ISO date-time). */
  generated: string;
  /** Display name of the repository. */
  repository: string;
}

/** Escapes Markdown inline syntax and table pipes, and keeps a cell on one line. */
export function mdText(s: string): string {
  return neutralise(s.replace(/\s+/g, " ").trim()).replace(/[\\`*_{}[\]<>|#!~]/g, (c) => `\\${c}`);
}

/**
 * A repo-relative path as a link destination: each segment percent-encoded, `/` kept, and
 * also `(`, `)` (which encodeURIComponent leaves, and which end or nest a Markdown link
 * destination) and `!'*` for good measure.
 */
export const mdHref = (file: string): string =>
  file.split("/").map((seg) => encodeURIComponent(wellFormed(seg)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join("/");

const STATUS_MEANING: Record<(typeof CONTROL_STATUSES)[number], string> = {
  covered: "an active policy or SOP within its review cycle implements the control",
  stale: "only active documents past their review date implement it",
  draft: "only draft or in-review documents map to it",
  missing: "no policy or SOP maps to it",
  "not-applicable": "formally excluded; see the justification",
};

function docLink(d: MappedDocument): string {
  const notes: string[] = [];
  if (d.invalid) notes.push("front matter does not validate, not counted");
  if (d.status !== "active") notes.push(d.status ?? "no status");
  else if (d.overdue) notes.push("review overdue");
  if (!decidesCoverage(d.kind)) notes.push(`supporting ${d.kind}`);
  const title = d.title ? ` ${mdText(d.title)}` : "";
  return `[${mdText(d.id)}](${mdHref(d.file)})${title}${notes.length ? ` _(${notes.join(", ")})_` : ""}`;
}

export function statementOfApplicability(frameworks: readonly FrameworkDetail[], ctx: SoaContext): string {
  const invalid = invalidNote(invalidMappedCount(frameworks), "document");
  const out: string[] = [
    "# Statement of Applicability",
    "",
    `- Repository: ${mdText(ctx.repository)}`,
    `- Controls evaluated as of: ${ctx.today}`,
    `- Generated: ${ctx.generated} by PolicyOps ${VERSION}`,
    "",
    "Status key:",
    "",
    ...CONTROL_STATUSES.map((s) => `- **${s}**: ${STATUS_MEANING[s]}.`),
    "",
    "Coverage is covered controls ÷ (all controls − not-applicable ones). Document links are relative to the repository root.",
  ];
  if (invalid) out.push("", `**${invalid}**`);
  for (const f of frameworks) {
    out.push("", `## ${mdText(f.title)} (${mdText(f.framework)}${f.version ? `, version ${mdText(f.version)}` : ""})`, "");
    out.push(`**Coverage: ${coveragePercent(f)}** (${f.counts.covered} of ${applicableCount(f)} applicable controls covered; ${f.counts["not-applicable"]} not applicable; ${f.controls.length} in total).`, "");
    out.push("| Status | Controls |", "|---|---:|");
    for (const s of CONTROL_STATUSES) out.push(`| ${s} | ${f.counts[s]} |`);
    out.push("", "| Control | Statement | Status | Implementing documents | Justification |", "|---|---|---|---|---|");
    for (const c of f.controls) {
      const docs = c.documents.map(docLink).join("<br>") || "—";
      out.push(`| ${mdText(c.id)} | ${mdText(c.title)} | ${c.status} | ${docs} | ${c.reason !== undefined ? mdText(c.reason) : ""} |`);
    }
  }
  return out.join("\n") + "\n";
}
