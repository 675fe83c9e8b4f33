/** The contract register's formats (table, CSV, iCalendar events); the rows come from the engine's contractReport. */
import { contractInAnnualTotals, CONTRACT_STATUSES, formatDay, invalidNote, parseDay, type ContractRow, type Money } from "../../engine/index.js";
import { toCsv } from "./csv.js";
import type { CalEvent } from "./ics.js";
import { formatAmount, formatMoney, renderTable, type Cell, type Column } from "./table.js";
import { plural } from "./words.js";

const vendorOf = (r: ContractRow, names: ReadonlyMap<string, string>) => (r.vendor === null ? "-" : names.get(r.vendor) ?? r.vendor);

export function slaText(r: ContractRow): string {
  if (!r.sla) return "-";
  const parts: string[] = [];
  if (r.sla.availability_pct !== null) parts.push(`${r.sla.availability_pct}%`);
  if (r.sla.response_hours !== null) parts.push(`resp ${r.sla.response_hours}h`);
  if (r.sla.resolution_hours !== null) parts.push(`fix ${r.sla.resolution_hours}h`);
  if (r.sla.support_hours !== null) parts.push(r.sla.support_hours);
  return parts.join(", ") || "-";
}

export function contractsCsv(rows: readonly ContractRow[], vendorNames: ReadonlyMap<string, string>): string {
  return toCsv(
    ["id", "title", "vendor", "vendor_name", "type", "end_date", "days_left", "status", "renewal", "deadline", "days_to_deadline", "notice_days", "annual_cost_amount", "annual_cost_currency", "one_off_cost_amount", "one_off_cost_currency", "sla_availability_pct", "sla_response_hours", "sla_resolution_hours", "sla_support_hours", "file"],
    rows.map((r) => [
      r.id, r.title, r.vendor, r.vendor === null ? null : vendorNames.get(r.vendor) ?? null, r.type, r.end_date, r.days_left, r.status, r.renewal, r.deadline, r.days_to_deadline, r.notice_days,
      r.annual_cost?.amount ?? null, r.annual_cost?.currency ?? null, r.one_off_cost?.amount ?? null, r.one_off_cost?.currency ?? null,
      r.sla?.availability_pct ?? null, r.sla?.response_hours ?? null, r.sla?.resolution_hours ?? null, r.sla?.support_hours ?? null, r.file,
    ]),
  );
}

export function contractTable(rows: readonly ContractRow[], ctx: { today: string; within?: number; vendorNames: ReadonlyMap<string, string>; invalid: number; noun: string; width?: number }, colour: boolean): string {
  const scope = ctx.within === undefined ? "" : ` ending within ${plural(ctx.within, "day")}`;
  const note = invalidNote(ctx.invalid, ctx.noun);
  if (rows.length === 0) return `No ${ctx.noun}s${scope} (today is ${ctx.today}).\n${note ? note + "\n" : ""}`;
  const columns: Column[] = [
    { header: "ID" }, { header: "TITLE", max: 40 }, { header: "VENDOR", max: 30 }, { header: "TYPE" }, { header: "TERM END" }, { header: "DAYS LEFT", align: "right" },
    { header: "STATUS" }, { header: "RENEWAL" }, { header: "DEADLINE" }, { header: "ANNUAL COST", align: "right" }, { header: "SLA", max: 36 },
  ];
  const body: Cell[][] = rows.map((r) => [
    r.id, r.title, vendorOf(r, ctx.vendorNames), r.type ?? "-", r.end_date ?? "-", r.days_left === null ? "-" : String(r.days_left),
    { text: r.status, style: r.status === "expired" || r.status === "invalid" ? "red" : r.status === "ok" ? "green" : r.status === "terminated" ? "dim" : "yellow" },
    r.renewal, r.deadline ?? "-", r.annual_cost ? formatMoney(r.annual_cost) : r.one_off_cost ? `${formatMoney(r.one_off_cost)} once` : "-", slaText(r),
  ]);
  const out = [renderTable(columns, body, colour, ctx.width).replace(/\n$/, "")];
  const sums = new Map<string, number>();
  for (const r of rows.filter(contractInAnnualTotals)) sums.set(r.annual_cost!.currency, (sums.get(r.annual_cost!.currency) ?? 0) + r.annual_cost!.amount);
  if (sums.size) out.push("", `Annual cost: ${[...sums].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, a]) => `${formatAmount(a, c)} ${c}`).join(", ")} (expired, terminated and invalid contracts and one-off costs left out).`);
  const counts = CONTRACT_STATUSES.map((st) => `${rows.filter((r) => r.status === st).length} ${st}`);
  out.push("", `${plural(rows.length, ctx.noun)}${scope}: ${counts.join(", ")} (today is ${ctx.today}).`);
  if (note) out.push(note);
  return out.join("\n") + "\n";
}

/**
 * Each live contract's term end, its deadline (cancel by, or start the renewal) and staged
 * reminders (`reminders` days before the end, from licences.reminders). UIDs are the id and
 * the event type, so a re-import moves an event when its date changes instead of adding one.
 */
export function contractEvents(rows: readonly ContractRow[], vendorNames: ReadonlyMap<string, string>, reminders: readonly number[]): CalEvent[] {
  const events: CalEvent[] = [];
  for (const r of rows) {
    if (r.end_date === null || r.deadline === null || r.status === "invalid" || r.status === "terminated" || r.status === "expired") continue;
    const auto = r.renewal === "auto";
    const lines = [`${r.title} (${r.id})`];
    if (r.vendor !== null) lines.push(`Vendor: ${vendorOf(r, vendorNames)}`);
    lines.push(auto ? `Renews automatically on ${r.end_date}; cancel by ${r.deadline} (${r.notice_days}-day notice) if it should not.` : `Ends on ${r.end_date}; start the renewal by ${r.deadline} (${r.notice_days}-day notice).`);
    if (r.annual_cost) lines.push(`Annual cost: ${formatMoney(r.annual_cost as Money)}`);
    if (r.sla) lines.push(`SLA: ${slaText(r)}`);
    lines.push(`Record: ${r.file}`);
    const description = lines.join("\n");
    events.push({ uid: `${r.id}-end@policyops`, date: r.end_date, summary: auto ? `Contract renews: ${r.title}` : `Contract ends: ${r.title}`, description, categories: ["Contract", "End"] });
    if (r.deadline !== r.end_date) {
      events.push({ uid: `${r.id}-deadline@policyops`, date: r.deadline, summary: auto ? `Cancel by: ${r.title} (auto-renews ${r.end_date})` : `Start renewal of ${r.title} (ends ${r.end_date})`, description, categories: ["Contract", auto ? "Cancellation deadline" : "Renewal notice"] });
    }
    const end = parseDay(r.end_date)!;
    for (const days of reminders) {
      const date = formatDay(end - days);
      if (date === r.deadline || date === r.end_date) continue;
      events.push({ uid: `${r.id}-reminder-${days}d@policyops`, date, summary: `Reminder: ${r.title} ${auto ? "renews" : "ends"} in ${plural(days, "day")} (${r.end_date})`, description, categories: ["Contract", "Reminder"] });
    }
  }
  return events;
}
