/** `policyops calendar` (issue 17): one feed of licence and contract dates and document reviews, parsed back with ical.js. */
import { describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { cli } from "./helpers/cli.js";
import { policy, useTempRepos } from "./helpers/repo.js";

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
