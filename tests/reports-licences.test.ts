import { describe, expect, it } from "vitest";
import { licenceReport, load, renewalPlans, vendorNames, type LicenceRow } from "../src/engine/index.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos();

const TODAY = "2026-06-30";
/** A licence record; `extra` adds or overrides lines. */
const lic = (id: string, extra: string) => `id: ${id}\nproduct: Product ${id}\nowner: IT\n${extra}`;
const sub = (id: string, expiry: string, extra = "renewal_notice_days: 30\n") => lic(id, `type: subscription\nexpiry_date: ${expiry}\n${extra}`);

// With today 2026-06-30, notice 30 days and the default horizon of 90 days.
const BOUNDARIES: Record<string, string> = {
  "licences/expired.yaml": sub("LIC-EXPIRED", "2026-06-29"), // -1
  "licences/day0.yaml": sub("LIC-DAY0", "2026-06-30"), // 0: still valid, renewal due
  "licences/notice.yaml": sub("LIC-NOTICE", "2026-07-30"), // 30 = notice
  "licences/notice1.yaml": sub("LIC-NOTICE1", "2026-07-31"), // 31 = notice + 1
  "licences/horizon.yaml": sub("LIC-HORIZON", "2026-09-28"), // 90 = horizon
  "licences/horizon1.yaml": sub("LIC-HORIZON1", "2026-09-29"), // 91 = horizon + 1
  "licences/default60.yaml": sub("LIC-DEFAULT60", "2026-08-29", ""), // 60 = default notice
  "licences/default61.yaml": sub("LIC-DEFAULT61", "2026-08-30", ""), // 61
  "licences/perpetual.yaml": lic("LIC-PERP", "type: perpetual\n"),
  "licences/oss.yaml": lic("LIC-OSS", "type: open-source\n"),
};

describe("licenceReport: statuses agree with the licence rules", () => {
  it("classifies every boundary: days_left 0, notice, notice+1, horizon, horizon+1, perpetual, open-source", async () => {
    const ws = await load(repo(BOUNDARIES), { today: TODAY });
    const rows = licenceReport(ws);
    const status = Object.fromEntries(rows.map((r) => [r.id, [r.days_left, r.status]]));
    expect(status).toEqual({
      "LIC-EXPIRED": [-1, "expired"],
      "LIC-DAY0": [0, "renewal-due"],
      "LIC-NOTICE": [30, "renewal-due"],
      "LIC-NOTICE1": [31, "expiring"],
      "LIC-HORIZON": [90, "expiring"],
      "LIC-HORIZON1": [91, "ok"],
      "LIC-DEFAULT60": [60, "renewal-due"],
      "LIC-DEFAULT61": [61, "expiring"],
      "LIC-PERP": [null, "perpetual"],
      "LIC-OSS": [null, "perpetual"],
    });
    // Same answer as validate: each status has exactly its finding (ok and perpetual none).
    const CODE: Record<string, string | undefined> = { expired: "licence/expired", "renewal-due": "licence/renewal-due", expiring: "licence/expiring" };
    const findings = ws.findings().filter((f) => f.code.startsWith("licence/"));
    for (const r of rows) expect(findings.filter((f) => f.docId === r.id).map((f) => f.code), r.id).toEqual(CODE[r.status] ? [CODE[r.status]] : []);
  });

  it("sorts by days left, expired first, licences without expiry last (then by id)", async () => {
    const rows = licenceReport(await load(repo(BOUNDARIES), { today: TODAY }));
    expect(rows.map((r) => r.id)).toEqual(["LIC-EXPIRED", "LIC-DAY0", "LIC-NOTICE", "LIC-NOTICE1", "LIC-DEFAULT60", "LIC-DEFAULT61", "LIC-HORIZON", "LIC-HORIZON1", "LIC-OSS", "LIC-PERP"]);
  });

  it("honours licences.horizon_days and default_notice_days from the config", async () => {
    const root = repo({ ...BOUNDARIES, "policyops.yaml": "licences:\n  horizon_days: 100\n  default_notice_days: 61\n" });
    const rows = licenceReport(await load(root, { today: TODAY }));
    const by = (id: string) => rows.find((r) => r.id === id)!.status;
    expect(by("LIC-HORIZON1")).toBe("expiring");
    expect(by("LIC-DEFAULT61")).toBe("renewal-due");
  });

  it("--within keeps licences with at most that many days left, expired ones included", async () => {
    const ws = await load(repo(BOUNDARIES), { today: TODAY });
    expect(licenceReport(ws, { within: 30 }).map((r) => r.id)).toEqual(["LIC-EXPIRED", "LIC-DAY0", "LIC-NOTICE"]);
    expect(licenceReport(ws, { within: 0 }).map((r) => r.id)).toEqual(["LIC-EXPIRED", "LIC-DAY0"]);
  });

  it("has SPEC §3's exact keys, in order", async () => {
    const root = repo({
      "licences/a.yaml": sub("LIC-A", "2027-01-31", "vendor: VEN-ACME\nseats: 10\nassigned: 12\ncost: { amount: 100, currency: EUR, period: year }\n"),
      "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Software Ltd\nowner: IT\n",
    });
    const ws = await load(root, { today: TODAY });
    const [row] = licenceReport(ws);
    expect(Object.keys(row!)).toEqual(["id", "product", "vendor", "type", "expiry_date", "days_left", "status", "seats", "assigned", "over_allocated", "annual_cost", "one_off_cost", "file"]);
    expect(row).toEqual<LicenceRow>({
      id: "LIC-A", product: "Product LIC-A", vendor: "VEN-ACME", type: "subscription", expiry_date: "2027-01-31", days_left: 215, status: "ok",
      seats: 10, assigned: 12, over_allocated: true, annual_cost: { amount: 100, currency: "EUR" }, one_off_cost: null, file: "licences/a.yaml",
    });
    expect(Object.keys(row!.annual_cost!)).toEqual(["amount", "currency"]);
    expect(vendorNames(ws).get("VEN-ACME")).toBe("Acme Software Ltd");
  });
});

describe("licenceReport: annual cost", () => {
  it("normalises year as is, month × 12; a one-off purchase has no annual cost but its one_off_cost; no cost is null", async () => {
    const cost = (amount: number | string, period: string) => `cost: { amount: ${amount}, currency: GBP, period: ${period} }\n`;
    const root = repo({
      "licences/y.yaml": sub("LIC-Y", "2027-01-01", cost(24600, "year")),
      "licences/m.yaml": sub("LIC-M", "2027-01-01", cost(1213.2, "month")),
      "licences/m2.yaml": sub("LIC-M2", "2027-01-01", cost(10.1, "month")),
      "licences/o.yaml": lic("LIC-O", `type: perpetual\n${cost(41600, "one-off")}`),
      "licences/n.yaml": sub("LIC-N", "2027-01-01", ""),
    });
    const rows = licenceReport(await load(root, { today: TODAY }));
    const cost1 = Object.fromEntries(rows.map((r) => [r.id, r.annual_cost]));
    expect(cost1).toEqual({
      "LIC-Y": { amount: 24600, currency: "GBP" },
      "LIC-M": { amount: 14558.4, currency: "GBP" }, // not 14558.400000000001
      "LIC-M2": { amount: 121.2, currency: "GBP" },
      "LIC-O": null,
      "LIC-N": null,
    });
    expect(rows.find((r) => r.id === "LIC-O")!.one_off_cost).toEqual({ amount: 41600, currency: "GBP" });
    expect(rows.filter((r) => r.id !== "LIC-O").every((r) => r.one_off_cost === null)).toBe(true);
  });
});

describe("renewalPlans", () => {
  it("gives the notice date, its meaning (cancel-by for auto-renew) and staged reminders", async () => {
    const root = repo({
      "licences/auto.yaml": sub("LIC-AUTO", "2027-01-31", "renewal_notice_days: 30\nauto_renew: true\n"),
      "licences/manual.yaml": sub("LIC-MAN", "2027-03-31", "auto_renew: false\nreminders: [14, 120, 14]\n"),
      "licences/perp.yaml": lic("LIC-P", "type: perpetual\n"),
      "policyops.yaml": "licences:\n  reminders: [60, 7]\n",
    });
    const plans = renewalPlans(await load(root, { today: TODAY }));
    expect(plans.map((p) => p.licence.id)).toEqual(["LIC-AUTO", "LIC-MAN"]); // no expiry, no plan
    const [auto, man] = plans;
    expect(auto).toMatchObject({ expiry_date: "2027-01-31", notice_days: 30, notice_date: "2027-01-01", auto_renew: true, action: "cancel-by" });
    expect(auto!.reminders).toEqual([{ days_before: 60, date: "2026-12-02" }, { days_before: 7, date: "2027-01-24" }]);
    expect(man).toMatchObject({ notice_days: 60, notice_date: "2027-01-30", auto_renew: false, action: "start-renewal" });
    expect(man!.reminders).toEqual([{ days_before: 120, date: "2026-12-01" }, { days_before: 14, date: "2027-03-17" }]);
  });

  it("defaults to reminders [90, 30, 7]", async () => {
    const plans = renewalPlans(await load(repo({ "licences/a.yaml": sub("LIC-A", "2027-01-31") }), { today: TODAY }));
    expect(plans[0]!.reminders.map((r) => r.days_before)).toEqual([90, 30, 7]);
  });
});

describe("licenceReport: a record that does not validate is never reported as valid (SPEC §2)", () => {
  it("marks a subscription with a missing or invalid expiry_date, a `£` currency or an amount `9,900` as invalid, not perpetual", async () => {
    const root = repo({
      "licences/missing.yaml": lic("LIC-MISSING", "type: subscription\n"),
      "licences/bad-date.yaml": lic("LIC-BADDATE", "type: subscription\nexpiry_date: 2026-02-30\n"),
      "licences/pound.yaml": sub("LIC-POUND", "2027-01-31", "cost: { amount: 100, currency: \"£\", period: year }\n"),
      "licences/comma.yaml": sub("LIC-COMMA", "2027-01-31", "cost: { amount: \"9,900\", currency: GBP, period: month }\n"),
      "licences/perp.yaml": lic("LIC-PERP", "type: perpetual\n"),
    });
    const rows = licenceReport(await load(root, { today: TODAY }));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({
      "LIC-MISSING": "invalid", "LIC-BADDATE": "invalid", "LIC-POUND": "invalid", "LIC-COMMA": "invalid", "LIC-PERP": "perpetual",
    });
  });

  it("flags over-allocation (31 of 25 seats) in the row, whatever the status", async () => {
    const rows = licenceReport(await load(repo({ "licences/a.yaml": sub("LIC-A", "2027-06-30", "seats: 25\nassigned: 31\n"), "licences/b.yaml": sub("LIC-B", "2027-06-30", "seats: 25\nassigned: 25\n") }), { today: TODAY }));
    expect(rows.map((r) => [r.id, r.status, r.over_allocated])).toEqual([["LIC-A", "ok", true], ["LIC-B", "ok", false]]);
  });
});
