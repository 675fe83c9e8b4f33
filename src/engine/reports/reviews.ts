import type { Config } from "../config/config.js";
import { formatDay, type Day } from "../model/dates.js";
import type { Workspace } from "../workspace/workspace.js";
import { isActive } from "../domain/status.js";
import { nextReview } from "../domain/reviews.js";
import type { DocumentFacts } from "../model/types.js";
import { kinds } from "../model/kinds.js";
import { byString, invalidRecords, reportable, str, withWorkspaceKinds } from "./values.js";

/**
 * - `overdue`, `due-soon`: exactly when `review/overdue` and `review/due-soon` fire.
 * - `never`: active, but there is no usable baseline (`last_reviewed` / `approved_on`);
 *   `validate` counts this as overdue, the report says why.
 * - `ok`: active, next review further away than `reviews.due_soon_days`.
 * - `not-active`: a draft or a document in review. It is not on the review schedule yet
 *   (the rules ignore it too), but listed so the director sees the pipeline; its
 *   `next_review` is shown when it already has a baseline.
 * - `invalid`: the front matter does not validate (SPEC §2: never reported as valid);
 *   its dates are shown as read, but no state is claimed for it.
 */
export const REVIEW_STATES = ["overdue", "due-soon", "ok", "never", "not-active", "invalid"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface ReviewRow {
  id: string;
  kind: string;
  title: string | null;
  file: string;
  owner: string | null;
  status: string | null;
  last_reviewed: string | null;
  next_review: string | null;
  /** next_review − today in days; negative when overdue. */
  days_until: number | null;
  state: ReviewState;
}

export interface ReviewReportOptions {
  /** Keep active documents whose review is due within this many days (overdue and `never` ones included). */
  within?: number;
}

/** Kinds with a review cycle: those whose schema has the `reviewed` trait (the repository's own kinds too). */
export const reviewedKinds = (): string[] => kinds().select({ trait: "reviewed" });

/** True exactly when `review/overdue` reports the document: compliance treats it as stale. */
export function isReviewOverdue(doc: DocumentFacts, config: Config, today: Day): boolean {
  if (!isActive(doc)) return false;
  const next = nextReview(doc, config);
  if (next === "never") return true;
  return next !== null && today > next.due;
}

export function reviewRow(doc: DocumentFacts & { id: string }, config: Config, today: Day): ReviewRow {
  const next = nextReview(doc, config);
  const due = next !== null && next !== "never" ? next.due : null;
  const daysUntil = due === null ? null : due - today;
  let state: ReviewState;
  if (!isActive(doc)) state = "not-active";
  else if (daysUntil === null) state = "never";
  else if (daysUntil < 0) state = "overdue";
  else if (daysUntil <= config.reviews.due_soon_days) state = "due-soon";
  else state = "ok";
  return {
    id: doc.id,
    kind: doc.kind,
    title: doc.title ?? str(doc.values.title),
    file: doc.file,
    owner: str(doc.values.owner),
    status: str(doc.values.status),
    last_reviewed: str(doc.values.last_reviewed),
    next_review: due === null ? null : formatDay(due),
    days_until: daysUntil,
    state,
  };
}

const GROUP: Record<ReviewState, number> = { invalid: 0, never: 0, overdue: 1, "due-soon": 1, ok: 1, "not-active": 2 };

/** `never` first, then the schedule by next review date, then drafts and documents in review. */
export function compareReviewRows(a: ReviewRow, b: ReviewRow): number {
  const g = GROUP[a.state] - GROUP[b.state];
  if (g) return g;
  if (a.next_review !== b.next_review) {
    if (a.next_review === null) return 1;
    if (b.next_review === null) return -1;
    return byString(a.next_review, b.next_review);
  }
  return byString(a.id, b.id) || byString(a.file, b.file);
}

/** The review schedule of every document of a reviewed kind (policies, SOPs, manuals…) that is not retired. */
function reviewReportIn(ws: Workspace, options: ReviewReportOptions = {}): ReviewRow[] {
  const within = options.within;
  const reviewed = reviewedKinds();
  const invalid = invalidRecords(ws, reviewed).files;
  return reportable(ws.allFacts(), reviewed)
    .filter((doc) => doc.values.status !== "retired")
    .map((doc): ReviewRow => (invalid.has(doc.file) ? { ...reviewRow(doc, ws.config, ws.todayDay), state: "invalid" } : reviewRow(doc, ws.config, ws.todayDay)))
    .filter((row) => within === undefined || row.state === "never" || row.state === "invalid" || (row.state !== "not-active" && row.days_until !== null && row.days_until <= within))
    .sort(compareReviewRows);
}

/** `reviewReportIn`, run with the workspace's own kinds. */
export const reviewReport = withWorkspaceKinds(reviewReportIn);
