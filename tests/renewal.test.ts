/**
 * The renewal model (SPEC §2, src/engine/domain/renewal.ts): table-driven over terms,
 * notice periods, month ends, leap years and year changes, asserting dates; then the
 * rules, the licence report and the calendar saying the same dates for one licence.
 */
import { describe, expect, it } from "vitest";
import { formatDay, licenceReport, load, parseDay, renewal, renewalPlans, renewalStatus } from "../src/engine/index.js";
import { useTempRepos } from "./helpers/repo.js";

const d = (s: string) => parseDay(s)!;

interface Row {
  name: string;
  end: string;
  auto: boolean;
  term?: number;
  notice: number;
  today: string;
  currentTermEnd: string;
  deadline: string;
  daysLeft: number;
  daysToDeadline: number;
  renewals: number;
  state: string;
}

const TABLE: Row[] = [
  { name: "not auto-renewing, well ahead", end: "2026-12-31", auto: false, notice: 60, today: "2026-06-30", currentTermEnd: "2026-12-31", deadline: "2026-11-01", daysLeft: 184, daysToDeadline: 124, renewals: 0, state: "active" },
  { name: "not auto-renewing, on its last day", end: "2026-06-30", auto: false, notice: 60, today: "2026-06-30", currentTermEnd: "2026-06-30", deadline: "2026-05-01", daysLeft: 0, daysToDeadline: -60, renewals: 0, state: "renewal-due" },
  { name: "not auto-renewing, the day after: expired, never rolled", end: "2026-06-29", auto: false, notice: 30, today: "2026-06-30", currentTermEnd: "2026-06-29", deadline: "2026-05-30", daysLeft: -1, daysToDeadline: -31, renewals: 0, state: "expired" },
  { name: "auto, deadline exactly notice days away", end: "2026-10-29", auto: true, notice: 60, today: "2026-07-01", currentTermEnd: "2026-10-29", deadline: "2026-08-30", daysLeft: 120, daysToDeadline: 60, renewals: 0, state: "cancel-by" },
  { name: "auto, deadline today", end: "2026-08-29", auto: true, notice: 60, today: "2026-06-30", currentTermEnd: "2026-08-29", deadline: "2026-06-30", daysLeft: 60, daysToDeadline: 0, renewals: 0, state: "cancel-by" },
  { name: "auto, deadline yesterday: committed, not 'cancel now'", end: "2026-08-29", auto: true, notice: 60, today: "2026-07-01", currentTermEnd: "2026-08-29", deadline: "2026-06-30", daysLeft: 59, daysToDeadline: -1, renewals: 0, state: "committed" },
  { name: "auto, last day of the term is still the term", end: "2026-06-30", auto: true, notice: 0, today: "2026-06-30", currentTermEnd: "2026-06-30", deadline: "2026-06-30", daysLeft: 0, daysToDeadline: 0, renewals: 0, state: "cancel-by" },
  { name: "auto, the day after: rolled forward 12 months, never expired", end: "2026-06-29", auto: true, notice: 30, today: "2026-06-30", currentTermEnd: "2027-06-29", deadline: "2027-05-30", daysLeft: 364, daysToDeadline: 334, renewals: 1, state: "active" },
  { name: "auto, Jan 31 + 1 month = Feb 28 (common year)", end: "2027-01-31", auto: true, term: 1, notice: 7, today: "2027-02-01", currentTermEnd: "2027-02-28", deadline: "2027-02-21", daysLeft: 27, daysToDeadline: 20, renewals: 1, state: "active" },
  { name: "auto, Jan 31 + 1 month = Feb 29 (leap year)", end: "2028-01-31", auto: true, term: 1, notice: 7, today: "2028-02-01", currentTermEnd: "2028-02-29", deadline: "2028-02-22", daysLeft: 28, daysToDeadline: 21, renewals: 1, state: "active" },
  { name: "auto, monthly from Jan 31 keeps the 31st (Mar 31, not Mar 28)", end: "2027-01-31", auto: true, term: 1, notice: 10, today: "2027-03-01", currentTermEnd: "2027-03-31", deadline: "2027-03-21", daysLeft: 30, daysToDeadline: 20, renewals: 2, state: "active" },
  { name: "auto, leap day renews to Feb 28 in common years", end: "2024-02-29", auto: true, notice: 30, today: "2026-06-30", currentTermEnd: "2027-02-28", deadline: "2027-01-29", daysLeft: 243, daysToDeadline: 213, renewals: 3, state: "active" },
  { name: "auto, leap day back to Feb 29 four years on", end: "2024-02-29", auto: true, notice: 0, today: "2028-02-29", currentTermEnd: "2028-02-29", deadline: "2028-02-29", daysLeft: 0, daysToDeadline: 0, renewals: 4, state: "cancel-by" },
  { name: "auto, year change: Dec 31 term, deadline in the old year", end: "2026-12-31", auto: true, notice: 90, today: "2026-10-15", currentTermEnd: "2026-12-31", deadline: "2026-10-02", daysLeft: 77, daysToDeadline: -13, renewals: 0, state: "committed" },
  { name: "auto, year change: renewed on Dec 31, next deadline next autumn", end: "2026-12-31", auto: true, notice: 90, today: "2027-01-01", currentTermEnd: "2027-12-31", deadline: "2027-10-02", daysLeft: 364, daysToDeadline: 274, renewals: 1, state: "active" },
  { name: "auto, 36-month term", end: "2023-03-15", auto: true, term: 36, notice: 120, today: "2026-02-01", currentTermEnd: "2026-03-15", deadline: "2025-11-15", daysLeft: 42, daysToDeadline: -78, renewals: 1, state: "committed" },
  { name: "auto, many terms behind (2001) catches up exactly", end: "2001-03-31", auto: true, term: 3, notice: 14, today: "2026-06-30", currentTermEnd: "2026-06-30", deadline: "2026-06-16", daysLeft: 0, daysToDeadline: -14, renewals: 101, state: "committed" },
  { name: "auto, notice longer than the term", end: "2026-06-15", auto: true, term: 1, notice: 45, today: "2026-06-30", currentTermEnd: "2026-07-15", deadline: "2026-05-31", daysLeft: 15, daysToDeadline: -30, renewals: 1, state: "committed" },
  { name: "auto, years 0000–0099 are not 1900–1999", end: "0050-01-31", auto: false, notice: 0, today: "0050-01-01", currentTermEnd: "0050-01-31", deadline: "0050-01-31", daysLeft: 30, daysToDeadline: 30, renewals: 0, state: "active" },
];

describe("renewal model (domain/renewal.ts)", () => {
  it.each(TABLE.map((r) => [r.name, r]))("%s", (_, r) => {
    const got = renewal({ end: d(r.end), autoRenew: r.auto, renewalTermMonths: r.term ?? 12, noticeDays: r.notice }, d(r.today));
    expect({
      currentTermEnd: formatDay(got.currentTermEnd), deadline: formatDay(got.deadline), daysLeft: got.daysLeft, daysToDeadline: got.daysToDeadline, renewals: got.renewals, state: got.state,
    }).toEqual({ currentTermEnd: r.currentTermEnd, deadline: r.deadline, daysLeft: r.daysLeft, daysToDeadline: r.daysToDeadline, renewals: r.renewals, state: r.state });
  });

  it("an auto-renewing term never expires, on any day of ten years", () => {
    const end = d("2026-01-31");
    for (let today = end - 400; today < end + 3660; today += 7) {
      const r = renewal({ end, autoRenew: true, renewalTermMonths: 12, noticeDays: 60 }, today);
      expect(r.state).not.toBe("expired");
      expect(r.daysLeft).toBeGreaterThanOrEqual(0);
      if (today >= end) expect(r.daysLeft).toBeLessThan(367);
      expect(renewalStatus(r, 90)).not.toBe("expired");
    }
  });

  it("status: expiring by days to the deadline when auto-renewing, ok once committed", () => {
    const r = (end: string, today: string) => renewalStatus(renewal({ end: d(end), autoRenew: true, renewalTermMonths: 12, noticeDays: 60 }, d(today)), 90);
    expect(r("2026-11-12", "2026-06-30")).toBe("expiring"); // deadline 2026-09-13, 75 days
    expect(r("2026-11-29", "2026-06-30")).toBe("ok"); // deadline 2026-09-30, 92 days: beyond the horizon
    expect(r("2026-07-15", "2026-06-30")).toBe("ok"); // deadline passed: committed, renews on 2026-07-15
  });
});

const { repo } = useTempRepos();

describe("licence/cancel-by and licence/renewed: the message, the report and the calendar say the same dates", () => {
  it("an auto-renewing licence past its recorded expiry is renewed (info), never expired, and cancel-by names the new term's deadline", async () => {
    // Recorded end 2025-08-31; it renewed to 2026-08-31; 60-day notice → deadline 2026-07-02.
    const root = repo({ "licences/m365.yaml": "id: LIC-001\nproduct: Microsoft 365 E3\nowner: IT\ntype: subscription\nexpiry_date: 2025-08-31\nauto_renew: true\n" });
    const ws = await load(root, { today: "2026-06-30", git: false });
    const findings = ws.findings().map((f) => [f.code, f.severity, f.message]);
    expect(findings).toEqual([
      ["licence/cancel-by", "warning", "Licence for `Microsoft 365 E3` renews automatically on `2026-08-31` unless cancelled by `2026-07-02` (in 2 days, 60-day notice); cancel it by then if it should not renew."],
      ["licence/renewed", "info", "Licence for `Microsoft 365 E3` renewed automatically on `2025-08-31` by its terms (current term ends `2026-08-31`); set `expiry_date` to `2026-08-31` and update the cost and seats if they changed."],
    ]);
    const [row] = licenceReport(ws);
    expect([row!.expiry_date, row!.days_left, row!.status]).toEqual(["2026-08-31", 62, "cancel-by"]);
    const [plan] = renewalPlans(ws);
    expect([plan!.expiry_date, plan!.notice_date, plan!.action]).toEqual(["2026-08-31", "2026-07-02", "cancel-by"]);
  });

  it("after the cancellation deadline an auto-renewing licence is not told to 'cancel now'", async () => {
    const root = repo({ "licences/m365.yaml": "id: LIC-001\nproduct: Microsoft 365 E3\nowner: IT\ntype: subscription\nexpiry_date: 2026-07-15\nauto_renew: true\n" });
    const ws = await load(root, { today: "2026-06-30", git: false });
    expect(ws.findings().map((f) => f.code)).toEqual([]);
    expect(licenceReport(ws)[0]!.status).toBe("ok");
  });
});
