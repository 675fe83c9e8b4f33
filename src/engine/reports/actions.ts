import { createHash } from "node:crypto";
import { formatDay, parseDay } from "../model/dates.js";
import type { Workspace } from "../workspace/workspace.js";
import type { DocumentFacts } from "../model/types.js";
import { kinds } from "../model/kinds.js";
import { openItems, type OpenItem } from "../domain/actions.js";
import { byString, invalidRecords, reportable, str, withWorkspaceKinds } from "./values.js";

/**
 * `policyops actions` (SPEC §3): every open follow-up item, the IT director's list for the
 * week. Items come from what the kinds declare, never from their names:
 * - `action`: an open item of an `actions` list of a kind with the `actions` trait (risk
 *   treatment plans, DR-test and incident follow-ups, the repository's own kinds);
 * - `finding`: an open item of a `findings` list of such a kind (audit findings);
 * - `post-implementation-review`: a record of a kind declaring `review_due` and `status`
 *   (changes) whose status is not `closed`: its review is due on `review_due`.
 * Open means `open` or `in-progress`. Overdue items first, then by due date; items
 * without a due date last.
 */
export const ACTION_SOURCES = ["action", "finding", "post-implementation-review"] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

export interface ActionRow {
  /** A stable key of the item inside its document: the finding's id, `action-<hash of its description>`, or `pir`. */
  key: string;
  source: ActionSource;
  /** The finding's id (findings only). */
  item: string | null;
  description: string;
  owner: string | null;
  /** YYYY-MM-DD, or null when none is recorded (or it is not a date). */
  due: string | null;
  /** due − today in days; negative when overdue. */
  days_until: number | null;
  overdue: boolean;
  status: string | null;
  /** A finding's severity (`major | minor | observation | improvement`). */
  severity: string | null;
  document: { id: string; kind: string; title: string | null; file: string };
  /** The source document does not validate (SPEC §2): the list may be incomplete. */
  invalid: boolean;
}

/** Kinds whose records carry follow-up lists: those with the `actions` trait. */
export const actionKinds = (): string[] => kinds().select({ trait: "actions" });
/** Kinds whose records schedule a post-implementation review: those declaring `review_due` and `status`. */
export const reviewDueKinds = (): string[] => kinds().select({ fields: ["review_due", "status"] });
/** Kinds whose records schedule their next exercise: those declaring `next_due` (DR tests). */
export const nextDueKinds = (): string[] => kinds().select({ fields: ["next_due"] });

const shortHash = (s: string): string => createHash("sha256").update(s).digest("hex").slice(0, 8);

function itemRow(doc: DocumentFacts & { id: string }, item: OpenItem, key: string, today: number, invalid: boolean): ActionRow {
  const days = item.due === null ? null : item.due - today;
  const title = doc.title ?? str(doc.values.title);
  return {
    key,
    source: item.list === "findings" ? "finding" : "action",
    item: item.itemId,
    description: item.text ?? (item.list === "findings" ? `Finding ${item.itemId ?? `#${item.index + 1}`}` : `Action #${item.index + 1}`),
    owner: item.owner,
    due: item.due === null ? null : formatDay(item.due),
    days_until: days,
    overdue: days !== null && days < 0,
    status: item.status,
    severity: item.severity,
    document: { id: doc.id, kind: doc.kind, title, file: doc.file },
    invalid,
  };
}

/** The open items of one document, each with a key that survives reordering and date changes. */
function rowsOf(doc: DocumentFacts & { id: string }, today: number, invalid: boolean): ActionRow[] {
  const used = new Map<string, number>();
  const unique = (key: string): string => {
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    return n === 1 ? key : `${key}-${n}`;
  };
  return openItems(doc).map((item) => {
    const base = item.list === "findings" ? `finding-${item.itemId ?? item.index + 1}` : `action-${shortHash(item.text ?? String(item.index))}`;
    return itemRow(doc, item, unique(base), today, invalid);
  });
}

function reviewRow(doc: DocumentFacts & { id: string }, today: number, invalid: boolean): ActionRow | null {
  const status = str(doc.values.status);
  if (doc.values.review_due === undefined || status === "closed") return null;
  const due = parseDay(doc.values.review_due);
  const days = due === null ? null : due - today;
  const title = doc.title ?? str(doc.values.title);
  return {
    key: "pir",
    source: "post-implementation-review",
    item: null,
    description: `Post-implementation review of ${title ?? doc.id}`,
    owner: str(doc.values.owner),
    due: due === null ? null : formatDay(due),
    days_until: days,
    overdue: days !== null && days < 0,
    status,
    severity: null,
    document: { id: doc.id, kind: doc.kind, title, file: doc.file },
    invalid,
  };
}

/** Overdue first, then by due date (none last), then document id and key. */
export function compareActionRows(a: ActionRow, b: ActionRow): number {
  const rank = (r: ActionRow) => (r.overdue ? 0 : r.due !== null ? 1 : 2);
  return rank(a) - rank(b) || byString(a.due ?? "", b.due ?? "") || byString(a.document.id, b.document.id) || byString(a.key, b.key);
}

function actionReportIn(ws: Workspace): ActionRow[] {
  const itemKinds = actionKinds();
  const pirKinds = reviewDueKinds();
  const invalid = invalidRecords(ws, [...new Set([...itemKinds, ...pirKinds])]).files;
  const rows: ActionRow[] = [];
  for (const doc of reportable(ws.allFacts(), itemKinds)) rows.push(...rowsOf(doc, ws.todayDay, invalid.has(doc.file)));
  for (const doc of reportable(ws.allFacts(), pirKinds)) {
    const row = reviewRow(doc, ws.todayDay, invalid.has(doc.file));
    if (row) rows.push(row);
  }
  return rows.sort(compareActionRows);
}

/** Records of the kinds the actions report reads that do not validate (its list may be incomplete). */
function actionInvalidCountIn(ws: Workspace): number {
  return invalidRecords(ws, [...new Set([...actionKinds(), ...reviewDueKinds()])]).files.size;
}

export interface ScheduledTest {
  id: string;
  kind: string;
  title: string | null;
  owner: string | null;
  file: string;
  next_due: string;
}

/** Records that schedule their next exercise (`next_due`, DR tests), by date then id. */
function scheduledTestsIn(ws: Workspace): ScheduledTest[] {
  const out: ScheduledTest[] = [];
  for (const doc of reportable(ws.allFacts(), nextDueKinds())) {
    const due = parseDay(doc.values.next_due);
    if (due === null) continue;
    out.push({ id: doc.id, kind: doc.kind, title: doc.title ?? str(doc.values.title), owner: str(doc.values.owner), file: doc.file, next_due: formatDay(due) });
  }
  return out.sort((a, b) => byString(a.next_due, b.next_due) || byString(a.id, b.id));
}

/** `actionReportIn`, run with the workspace's own kinds. */
export const actionReport = withWorkspaceKinds(actionReportIn);
/** `actionInvalidCountIn`, run with the workspace's own kinds. */
export const actionInvalidCount = withWorkspaceKinds(actionInvalidCountIn);
/** `scheduledTestsIn`, run with the workspace's own kinds. */
export const scheduledTests = withWorkspaceKinds(scheduledTestsIn);
