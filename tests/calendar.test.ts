/** `policyops calendar` (issue 17): one feed of licence and contract dates and document reviews, parsed back with ical.js. */
import { describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { cli } from "./helpers/cli.js";
import { policy, useTempRepos } from "./helpers/repo.js";
import { icsText, renderCalendar, type CalEvent } from "../src/cli/format/ics.js";
import { VERSION } from "../src/cli/version.js";
import { formatDay, isFourDigitYear, parseDay } from "../src/engine/index.js";

const { repo } = useTempRepos("policyops-calendar-");

const contract = (end: string) => `id: CON-SAAS\ntitle: Acme SaaS\nowner: IT\nvendor: VEN-ACME\ntype: saas\nstart_date: 2026-01-01\nend_date: ${end}\nrenewal: auto\nnotice_days: 30\n`;
const files = (end: string) => ({
  "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: IT Procurement\n",
  "licences/m365.yaml": "id: LIC-M365\nproduct: Microsoft 365 E3\nowner: IT\ntype: subscription\nexpiry_date: 2026-09-30\n",
  "contracts/saas.yaml": contract(end),
  "policies/a.md": policy("POL-001"),
});
const parse = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v)).map((e) => [e.uid, e.startDate.toString()]);

describe("policyops calendar", () => {
  it("--format ics holds licence and contract deadlines, ends and reminders and document reviews in date order, each UID the id plus the event type", async () => {
    const r = await cli(["calendar", repo(files("2026-12-31")), "--today", "2026-06-30"]);
    expect(r.status).toBe(0);
    expect(parse(r.stdout)).toEqual([
      ["LIC-M365-reminder-90d@policyops", "2026-07-02"],
      ["LIC-M365-notice@policyops", "2026-08-01"],
      ["LIC-M365-reminder-30d@policyops", "2026-08-31"],
      ["LIC-M365-reminder-7d@policyops", "2026-09-23"],
      ["LIC-M365-expiry@policyops", "2026-09-30"],
      ["CON-SAAS-reminder-90d@policyops", "2026-10-02"],
      ["CON-SAAS-deadline@policyops", "2026-12-01"],
      ["CON-SAAS-reminder-7d@policyops", "2026-12-24"],
      ["CON-SAAS-end@policyops", "2026-12-31"],
      ["POL-001-review@policyops", "2027-03-01"],
    ]);
  });

  it("after a contract's end date changes the same UIDs carry the new dates, so a re-import moves events instead of duplicating them", async () => {
    const before = parse((await cli(["calendar", repo(files("2026-12-31")), "--today", "2026-06-30"])).stdout);
    const after = parse((await cli(["calendar", repo(files("2027-01-31")), "--today", "2026-06-30"])).stdout);
    expect(after.map(([uid]) => uid).sort()).toEqual(before.map(([uid]) => uid).sort());
    expect(after.filter(([uid]) => uid!.startsWith("CON-"))).toEqual([
      ["CON-SAAS-reminder-90d@policyops", "2026-11-02"],
      ["CON-SAAS-deadline@policyops", "2027-01-01"],
      ["CON-SAAS-reminder-7d@policyops", "2027-01-24"],
      ["CON-SAAS-end@policyops", "2027-01-31"],
    ]);
  });

  it("--format json lists the same events with uid, date, summary, description and categories", async () => {
    const r = await cli(["calendar", repo(files("2026-12-31")), "--format", "json", "--today", "2026-06-30"]);
    const events = JSON.parse(r.stdout) as { uid: string; date: string; summary: string; categories: string[]; description: string }[];
    expect(events).toHaveLength(10);
    expect(events.find((e) => e.uid === "CON-SAAS-deadline@policyops")).toMatchObject({ date: "2026-12-01", summary: "Cancel by: Acme SaaS (auto-renews 2026-12-31)", categories: ["Contract", "Cancellation deadline"] });
    expect(events.find((e) => e.uid === "CON-SAAS-deadline@policyops")!.description).toContain("Vendor: Acme Ltd");
  });
});

describe("renderCalendar", () => {
  /** The calendar as ical.js's component model builds it: what renderCalendar wrote before it built jCal directly (the oracle). */
  function viaComponents(name: string, events: readonly CalEvent[], options: { today: string; now: Date }): string {
    const cal = new ICAL.Component(["vcalendar", [], []]);
    cal.addPropertyWithValue("prodid", `-//PolicyOps//PolicyOps ${VERSION}//EN`);
    cal.addPropertyWithValue("version", "2.0");
    cal.addPropertyWithValue("calscale", "GREGORIAN");
    cal.addPropertyWithValue("method", "PUBLISH");
    cal.addPropertyWithValue("x-wr-calname", name);
    const stamp = ICAL.Time.fromJSDate(options.now, true);
    const sorted = events.filter((e) => e.date >= options.today).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : 1));
    for (const e of sorted) {
      const vevent = new ICAL.Component("vevent");
      const event = new ICAL.Event(vevent);
      event.uid = e.uid;
      vevent.addPropertyWithValue("dtstamp", stamp);
      const day = parseDay(e.date);
      if (day === null) continue;
      event.startDate = ICAL.Time.fromDateString(e.date);
      if (isFourDigitYear(day + 1)) event.endDate = ICAL.Time.fromDateString(formatDay(day + 1));
      event.summary = icsText(e.summary);
      event.description = icsText(e.description);
      vevent.addPropertyWithValue("transp", "TRANSPARENT");
      const categories = new ICAL.Property("categories", vevent);
      categories.setValues(e.categories.map(icsText));
      vevent.addProperty(categories);
      cal.addSubcomponent(vevent);
    }
    const saved = ICAL.foldLength;
    ICAL.foldLength = 74;
    try {
      return cal.toString() + "\r\n";
    } finally {
      ICAL.foldLength = saved;
    }
  }

  it("writes, byte for byte, what ical.js's component model writes: escaping, folding, value types, the last day of 9999, text that is not a date", () => {
    const long = "Ünïcödé → 検証 ".repeat(12) + "; a, b\\c";
    const events: CalEvent[] = [
      { uid: "LIC-1-expiry@policyops", date: "2026-09-30", summary: `Licence expires: ${long}`, description: "line one\r\nline two\rthree\n\tfour; five, six\\seven\u0007", categories: ["Licence", "Expiry, with comma", "semi;colon"] },
      { uid: "POL-1-review@policyops", date: "9999-12-31", summary: "never", description: "", categories: [] },
      { uid: "OLD-1@policyops", date: "2026-01-01", summary: "before today", description: "x", categories: ["A"] },
      { uid: "BAD-1@policyops", date: "2026-02-30", summary: "not a date", description: "x", categories: ["A"] },
      { uid: "AAA@policyops", date: "2026-09-30", summary: "same day, earlier uid", description: "😀".repeat(40), categories: ["B"] },
      { uid: "LEAP@policyops", date: "2028-02-28", summary: "leap", description: "y", categories: ["C"] },
    ];
    const options = { today: "2026-06-30", now: new Date("2026-06-30T08:09:10.123Z") };
    const out = renderCalendar("Hostile; name, with\nnewline", events, options);
    expect(out).toBe(viaComponents("Hostile; name, with\nnewline", events, options));
    expect(out).toContain("DTSTART;VALUE=DATE:20280228\r\nDTEND;VALUE=DATE:20280229\r\n");
    expect(out).not.toContain("BAD-1");
    expect(out).not.toContain("OLD-1");
  });
});
