/** `policyops contracts` (issue 17): the register in json, csv, table and ics, run in-process on real repositories. */
import { describe, expect, it } from "vitest";
import ICAL from "ical.js";
import { cli } from "./helpers/cli.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-contracts-cli-");

const FILES = {
  "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: IT Procurement\n",
  "contracts/saas.yaml": "id: CON-SAAS\ntitle: Acme SaaS\nowner: IT\nvendor: VEN-ACME\ntype: saas\nstart_date: 2022-09-01\ninitial_term_months: 36\nrenewal: auto\nnotice_days: 60\ncost:\n  amount: 1000\n  currency: EUR\n  period: month\nsla:\n  availability_pct: 99.9\n  response_hours: 4\n",
  "contracts/consult.yaml": "id: CON-CONSULT\ntitle: Redesign\nowner: IT\nvendor: VEN-ACME\ntype: consultancy\nstart_date: 2025-10-01\nend_date: 2026-05-31\nrenewal: none\ncost:\n  amount: 30000\n  currency: EUR\n  period: one-off\n",
  "contracts/old.yaml": "id: CON-OLD\ntitle: Old support\nowner: IT\nvendor: VEN-ACME\ntype: support\nstart_date: 2020-01-01\nend_date: 2024-12-31\nstatus: terminated\ncost:\n  amount: 5000\n  currency: EUR\n  period: year\n",
  "contracts/bad.yaml": "id: CON-BAD\ntitle: Broken\nowner: IT\nvendor: VEN-ACME\nstart_date: 2026-01-01\nend_date: 2027-12-31\nrenewal: sometimes\ncost:\n  amount: 700\n  currency: EUR\n  period: year\n",
};

describe("policyops contracts", () => {
  it("--format json gives each contract's term end, status, renewal, deadline, annual cost and SLA; an invalid record is marked invalid and stderr says totals are incomplete", async () => {
    const root = repo(FILES);
    const r = await cli(["contracts", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("policyops: 1 contract record does not validate and is marked `invalid`, so totals are incomplete; run `policyops validate` and fix it.\n");
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => [x.id, x.end_date, x.days_left, x.status, x.renewal, x.deadline])).toEqual([
      ["CON-OLD", "2024-12-31", -546, "terminated", "none", "2024-11-01"],
      ["CON-CONSULT", "2026-05-31", -30, "expired", "none", "2026-04-01"],
      ["CON-SAAS", "2026-08-31", 62, "cancel-by", "auto", "2026-07-02"],
      ["CON-BAD", "2027-12-31", 549, "invalid", "none", "2027-11-01"],
    ]);
    const saas = rows.find((x) => x.id === "CON-SAAS")!;
    expect(saas).toMatchObject({ title: "Acme SaaS", vendor: "VEN-ACME", type: "saas", days_to_deadline: 2, notice_days: 60, annual_cost: { amount: 12000, currency: "EUR" }, one_off_cost: null, sla: { availability_pct: 99.9, response_hours: 4, resolution_hours: null, support_hours: null }, file: "contracts/saas.yaml" });
    expect(rows.find((x) => x.id === "CON-CONSULT")).toMatchObject({ annual_cost: null, one_off_cost: { amount: 30000, currency: "EUR" } });
  });

  it("--within keeps contracts ending within that many days, ended ones included", async () => {
    const r = await cli(["contracts", repo(FILES), "--format", "json", "--within", "90", "--today", "2026-06-30"]);
    expect((JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id)).toEqual(["CON-OLD", "CON-CONSULT", "CON-SAAS"]);
  });

  it("the table totals annual costs without expired, terminated, invalid or one-off contracts, and names the vendor", async () => {
    const r = await cli(["contracts", repo(FILES), "--today", "2026-06-30"]);
    expect(r.stdout).toContain("Acme Ltd");
    expect(r.stdout).toContain("Annual cost: 12,000.00 EUR (expired, terminated and invalid contracts and one-off costs left out).");
    expect(r.stdout).toContain("4 contracts: 1 expired, 0 renewal-due, 1 cancel-by, 0 expiring, 0 ok, 1 terminated, 1 invalid (today is 2026-06-30).");
    expect(r.stdout).toContain("1 contract record does not validate");
  });

  it("--format csv has one row per contract with the SLA columns", async () => {
    const r = await cli(["contracts", repo(FILES), "--format", "csv", "--today", "2026-06-30"]);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe("id,title,vendor,vendor_name,type,end_date,days_left,status,renewal,deadline,days_to_deadline,notice_days,annual_cost_amount,annual_cost_currency,one_off_cost_amount,one_off_cost_currency,sla_availability_pct,sla_response_hours,sla_resolution_hours,sla_support_hours,file");
    expect(lines.find((l) => l.startsWith("CON-SAAS,"))).toBe("CON-SAAS,Acme SaaS,VEN-ACME,Acme Ltd,saas,2026-08-31,62,cancel-by,auto,2026-07-02,2,60,12000,EUR,,,99.9,4,,,contracts/saas.yaml");
  });

  it("--format ics parses back with ical.js: the live contract's deadline, end and reminders with UIDs from id and event type; ended, terminated and invalid ones have none", async () => {
    const r = await cli(["contracts", repo(FILES), "--format", "ics", "--today", "2026-06-30"]);
    const events = new ICAL.Component(ICAL.parse(r.stdout)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.summary])).toEqual([
      ["CON-SAAS-deadline@policyops", "2026-07-02", "Cancel by: Acme SaaS (auto-renews 2026-08-31)"],
      ["CON-SAAS-reminder-30d@policyops", "2026-08-01", "Reminder: Acme SaaS renews in 30 days (2026-08-31)"],
      ["CON-SAAS-reminder-7d@policyops", "2026-08-24", "Reminder: Acme SaaS renews in 7 days (2026-08-31)"],
      ["CON-SAAS-end@policyops", "2026-08-31", "Contract renews: Acme SaaS"],
    ]);
  });
});
