/**
 * Change records (SPEC §1 change): when a change needs its approval, and when its
 * post-implementation review is due. Rules and reports (the calendar) share these.
 */
import type { Config } from "../config/config.js";
import { parseDay, type Day } from "../model/dates.js";
import type { AppliesTo, KindDef } from "../model/kinds.js";
import type { DocumentFacts } from "../model/types.js";

/** What of the rules' RepoView this module reads (domain/ does not import rules/). */
interface DocumentsView {
  documents(to: AppliesTo): readonly DocumentFacts[];
}

/** Statuses of a change that has been scheduled or gone further: a normal change needs its approval by then. */
export const SCHEDULED_OR_LATER: readonly string[] = ["scheduled", "implemented", "failed", "backed-out", "closed"];

/** Days after `implemented_on` within which an emergency change must be approved (SPEC §2 change/unapproved). */
export const EMERGENCY_APPROVAL_DAYS = 2;

/** The planned window's first day, if the change records one. */
export function windowStart(doc: DocumentFacts): Day | null {
  const w = doc.values.window;
  return w && typeof w === "object" && !Array.isArray(w) ? parseDay((w as Record<string, unknown>).start) : null;
}

/** The approval fields a change lacks (`approved_by`, `approved_on`). */
export function missingApproval(doc: DocumentFacts): string[] {
  return ["approved_by", "approved_on"].filter((f) => doc.values[f] === undefined || doc.values[f] === null || doc.values[f] === "");
}

/**
 * When a change's post-implementation review is due, or null if it needs none (yet): a
 * failed or backed-out change, an implemented emergency change, or any implemented change
 * whose `review_due` is set. `review_due` wins; otherwise `implemented_on` +
 * `changes.review_within_days`. A closed or cancelled change needs none any more.
 */
export function changeReviewDue(doc: DocumentFacts, config: Config): { due: Day; field: "review_due" | "implemented_on"; base: Day } | null {
  const v = doc.values;
  const status = v.status;
  if (status !== "implemented" && status !== "failed" && status !== "backed-out") return null;
  const explicit = parseDay(v.review_due);
  const implemented = parseDay(v.implemented_on);
  if (explicit !== null) return { due: explicit, field: "review_due", base: explicit };
  const needed = status !== "implemented" || v.type === "emergency";
  if (!needed || implemented === null) return null;
  return { due: implemented + config.changes.review_within_days, field: "implemented_on", base: implemented };
}

/** Kinds whose documents record changes to systems and manuals: `implemented_on` with `systems` or `manuals` (built in: change). */
export const recordsChanges = (k: KindDef): boolean => k.fields.includes("implemented_on") && k.fields.includes("status") && (k.fields.includes("systems") || k.fields.includes("manuals"));

/**
 * The implemented changes (`status` implemented or closed, with an `implemented_on` date)
 * that name the manual `manualId` in `manuals` or its system `system` in `systems`, oldest
 * first. Read through the RepoView, so a rule that asks is re-checked when a change does.
 */
export function implementedChangesOf(repo: DocumentsView, manualId: string, system: string): { doc: DocumentFacts; implemented: Day }[] {
  const out: { doc: DocumentFacts; implemented: Day }[] = [];
  for (const c of repo.documents(recordsChanges)) {
    const v = c.values;
    if (v.status !== "implemented" && v.status !== "closed") continue;
    const implemented = parseDay(v.implemented_on);
    if (implemented === null) continue;
    const names = (field: string, id: string) => id !== "" && Array.isArray(v[field]) && (v[field] as unknown[]).includes(id);
    if (names("manuals", manualId) || names("systems", system)) out.push({ doc: c, implemented });
  }
  return out.sort((a, b) => a.implemented - b.implemented || (a.doc.file < b.doc.file ? -1 : 1));
}
