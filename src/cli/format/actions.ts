import { invalidNote, type ActionRow, type ScheduledTest } from "../../engine/index.js";
import { styler } from "../style.js";
import { toCsv } from "./csv.js";
import type { CalEvent } from "./ics.js";
import { renderTable, type Cell, type Column } from "./table.js";
import { plural } from "./words.js";

/** `policyops actions`' formats: the IT director's list of open follow-ups, overdue first. */

const where = (r: ActionRow): string => (r.item ? `${r.document.id} ${r.item}` : r.document.id);
const SOURCE_LABEL: Record<ActionRow["source"], string> = { action: "action", finding: "finding", "post-implementation-review": "review" };

export function actionsCsv(rows: readonly ActionRow[]): string {
  return toCsv(
    ["document", "kind", "item", "source", "description", "owner", "due", "days_until", "overdue", "status", "severity", "title", "file", "invalid", "key"],
    rows.map((r) => [r.document.id, r.document.kind, r.item, r.source, r.description, r.owner, r.due, r.days_until, r.overdue, r.status, r.severity, r.document.title, r.document.file, r.invalid, r.key]),
  );
}


function daysText(r: ActionRow): string {
  if (r.days_until === null) return "-";
  if (r.days_until === 0) return "today";
  return r.days_until < 0 ? `${-r.days_until}d late` : `in ${r.days_until}d`;
}

export function actionsTable(rows: readonly ActionRow[], ctx: { today: string; invalid: number; width?: number }, colour: boolean): string {
  const s = styler(colour);
  const note = invalidNote(ctx.invalid, "follow-up");
  if (rows.length === 0) return `No open actions, findings or post-implementation reviews (today is ${ctx.today}).\n${note ? note + "\n" : ""}`;
  const overdue = rows.filter((r) => r.overdue).length;
  const out = [s("bold", `${plural(rows.length, "open item")}, ${overdue} overdue (today is ${ctx.today}).`), ""];
  const columns: Column[] = [{ header: "DUE" }, { header: "WHEN" }, { header: "OWNER", max: 28 }, { header: "WHAT", max: 60 }, { header: "SOURCE" }, { header: "KIND" }, { header: "STATUS" }];
  const body: Cell[][] = rows.map((r) => [
    r.due ?? "-",
    r.overdue ? { text: daysText(r), style: "red" } : daysText(r),
    r.owner ?? "-",
    r.description,
    r.invalid ? { text: `${where(r)} (invalid)`, style: "red" } : where(r),
    `${r.document.kind} ${SOURCE_LABEL[r.source]}${r.severity ? ` (${r.severity})` : ""}`,
    r.status ?? "-",
  ]);
  out.push(renderTable(columns, body, colour, ctx.width).replace(/\n$/, ""));
  if (note) out.push("", note);
  return out.join("\n") + "\n";
}

/** One event per open item with a due date; UIDs are the document id and the item's stable key. */
export function actionEvents(rows: readonly ActionRow[]): CalEvent[] {
  return rows
    .filter((r): r is ActionRow & { due: string } => r.due !== null)
    .map((r) => ({
      uid: `${r.document.id}-${r.key}@policyops`,
      date: r.due,
      summary: r.source === "post-implementation-review" ? `Review due: ${r.description} (${r.document.id})` : `Due: ${r.description} (${where(r)})`,
      description: [
        r.description,
        `Owner: ${r.owner ?? "-"}`,
        `Status: ${r.status ?? "-"}${r.severity ? ` (${r.severity})` : ""}`,
        `From: ${r.document.title ?? r.document.id} (${r.document.kind} ${r.document.id})`,
        `Record: ${r.document.file}`,
      ].join("\n"),
      categories: ["Action", r.document.kind],
    }));
}

/** One event per scheduled exercise (`next_due`, DR tests). */
export function testEvents(tests: readonly ScheduledTest[]): CalEvent[] {
  return tests.map((t) => ({
    uid: `${t.id}-next-test@policyops`,
    date: t.next_due,
    summary: `Test due: ${t.title ?? t.id} (${t.id})`,
    description: [`Next exercise after ${t.title ?? t.id} (${t.kind} ${t.id})`, `Owner: ${t.owner ?? "-"}`, `Record: ${t.file}`].join("\n"),
    categories: ["Test", t.kind],
  }));
}
