import ICAL from "ical.js";
import { formatDay, isFourDigitYear, parseDay, type RenewalPlan, type ReviewRow } from "../../engine/index.js";
import { VERSION } from "../version.js";
import { neutralise } from "./neutralise.js";
import { formatMoney } from "./table.js";
import { plural } from "./words.js";
import { writeCalendar, type Jcal, type JcalProperty } from "./ics-write.js";

/**
 * iCalendar (RFC 5545) exports built with ical.js's component model, so escaping,
 * folding and value types are the library's job, not string concatenation.
 *
 * Decisions:
 * - One all-day event per date (DTSTART;VALUE=DATE, DTEND the next day), TRANSP
 *   TRANSPARENT so reminders never block anyone's free/busy time.
 * - UIDs are `<document id>-<event type>@policyops` (reminders add their offset,
 *   `-reminder-90d`), without the date: importing the file again, or subscribing to it,
 *   updates events instead of duplicating them, and when a licence is renewed its expiry
 *   event moves to the new date rather than leaving the old deadline behind.
 * - Only events dated today or later are written: a calendar is for what is coming up.
 *   Expired licences and overdue reviews are in the table and JSON outputs (and in
 *   `validate`), which is where a backlog belongs.
 */
export interface CalEvent {
  uid: string;
  /** YYYY-MM-DD */
  date: string;
  summary: string;
  description: string;
  categories: string[];
}

export interface CalendarOptions {
  today: string;
  /** DTSTAMP: when this calendar was generated. */
  now: Date;
}


export function renderCalendar(name: string, events: readonly CalEvent[], options: CalendarOptions): string {
  return writeCalendar(calendarJcal(name, events, options));
}

/**
 * The calendar as jCal (RFC 7265), ical.js's own data model, which ICAL.stringify escapes,
 * types and folds (writeCalendar). Building it through ICAL.Component/Event/Time objects gave
 * the same text at several times the cost. Plain arrays, so a thread can write it (the site).
 */
export function calendarJcal(name: string, events: readonly CalEvent[], options: CalendarOptions): Jcal {
  const stamp = ICAL.Time.fromJSDate(options.now, true).toString();
  const vevents: Jcal[] = [];
  const sorted = events.filter((e) => e.date >= options.today).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : 1));
  for (const e of sorted) {
    const day = parseDay(e.date);
    if (day === null) continue; // not a plain YYYY-MM-DD (years 0000-9999): iCalendar cannot carry it
    const props: JcalProperty[] = [
      ["uid", {}, "text", e.uid],
      ["dtstamp", {}, "date-time", stamp],
      ["dtstart", {}, "date", formatDay(day)],
    ];
    // DTEND is the next day; after 9999-12-31 (a common "never") there is none to write, and
    // an all-day DTSTART without DTEND lasts one day (RFC 5545 §3.6.1).
    if (isFourDigitYear(day + 1)) props.push(["dtend", {}, "date", formatDay(day + 1)]);
    props.push(["summary", {}, "text", icsText(e.summary)], ["description", {}, "text", icsText(e.description)], ["transp", {}, "text", "TRANSPARENT"], ["categories", {}, "text", ...e.categories.map(icsText)]);
    vevents.push(["vevent", props, []]);
  }
  const head: JcalProperty[] = [
    ["prodid", {}, "text", `-//PolicyOps//PolicyOps ${VERSION}//EN`],
    ["version", {}, "text", "2.0"],
    ["calscale", {}, "text", "GREGORIAN"],
    ["method", {}, "text", "PUBLISH"],
    ["x-wr-calname", {}, "unknown", name],
  ];
  return ["vcalendar", head, vevents];
}

/**
 * RFC 5545 TEXT allows no control characters but HTAB (and LF, which ical.js writes as
 * `\n`): CRLF and bare CR become LF, the rest is neutralised (neutralise.ts).
 */
export const icsText = (s: string): string => neutralise(s.replace(/\r\n?/g, "\n"), "\n\t");


function licenceDescription(p: RenewalPlan, vendorNames: ReadonlyMap<string, string>): string {
  const l = p.licence;
  const lines = [`${l.product} (${l.id})`];
  if (l.status === "invalid") lines.push("Status: invalid (the record does not validate; run policyops validate)");
  if (l.vendor !== null) lines.push(`Vendor: ${vendorNames.get(l.vendor) ? `${vendorNames.get(l.vendor)} (${l.vendor})` : l.vendor}`);
  if (l.type !== null) lines.push(`Type: ${l.type}`);
  lines.push(
    p.auto_renew
      ? `Renews automatically on ${p.expiry_date}; cancel by ${p.notice_date} (${p.notice_days}-day notice) if it should not.`
      : `Expires on ${p.expiry_date}; start the renewal by ${p.notice_date} (${p.notice_days}-day notice).`,
  );
  if (l.seats !== null || l.assigned !== null) lines.push(`Seats: ${l.assigned ?? "?"} assigned of ${l.seats ?? "?"}`);
  if (l.annual_cost) lines.push(`Annual cost: ${formatMoney(l.annual_cost)}`);
  lines.push(`Record: ${l.file}`);
  return lines.join("\n");
}

/** Each licence's expiry, notice date and staged reminders (a reminder on the notice or expiry day is left out: that event says it already). */
export function licenceEvents(plans: readonly RenewalPlan[], vendorNames: ReadonlyMap<string, string>): CalEvent[] {
  const events: CalEvent[] = [];
  for (const p of plans) {
    const { id, product } = p.licence;
    const description = licenceDescription(p, vendorNames);
    const ends = p.auto_renew ? "renews" : "expires";
    events.push({ uid: `${id}-expiry@policyops`, date: p.expiry_date, summary: p.auto_renew ? `Licence renews: ${product}` : `Licence expires: ${product}`, description, categories: ["Licence", "Expiry"] });
    if (p.notice_date !== p.expiry_date) {
      events.push({
        uid: `${id}-notice@policyops`,
        date: p.notice_date,
        summary: p.action === "cancel-by" ? `Cancel by: ${product} (auto-renews ${p.expiry_date})` : `Start renewal of ${product} (expires ${p.expiry_date})`,
        description,
        categories: ["Licence", p.action === "cancel-by" ? "Cancellation deadline" : "Renewal notice"],
      });
    }
    for (const r of p.reminders) {
      if (r.date === p.notice_date || r.date === p.expiry_date) continue;
      events.push({ uid: `${id}-reminder-${r.days_before}d@policyops`, date: r.date, summary: `Reminder: ${product} ${ends} in ${plural(r.days_before, "day")} (${p.expiry_date})`, description, categories: ["Licence", "Reminder"] });
    }
  }
  return events;
}

/** One event per scheduled review (active documents with a next review date). */
export function reviewEvents(rows: readonly ReviewRow[]): CalEvent[] {
  return rows
    .filter((r): r is ReviewRow & { next_review: string } => r.next_review !== null && r.state !== "not-active")
    .map((r) => ({
      uid: `${r.id}-review@policyops`,
      date: r.next_review,
      summary: `Review due: ${r.title ?? r.id} (${r.id})`,
      description: [
        `${r.title ?? r.id} (${r.kind} ${r.id})`,
        `Owner: ${r.owner ?? "-"}`,
        `Last reviewed: ${r.last_reviewed ?? "-"}`,
        "Review it, then update last_reviewed.",
        `Record: ${r.file}`,
      ].join("\n"),
      categories: ["Review", r.kind],
    }));
}
