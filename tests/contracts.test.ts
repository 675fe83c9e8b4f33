/**
 * Contracts (issue 17): the term (end_date or start_date + initial_term_months) on the
 * renewal model shared with licences (domain/renewal.ts), table-driven over initial terms,
 * renewal terms, notice periods, month ends, leap years and year changes; then the rules
 * end to end on a real repository, sla/gap, and the schema's term requirement.
 */
import { describe, expect, it } from "vitest";
import { formatDay, load, parseDay } from "../src/engine/index.js";
import { defaultConfig } from "../src/engine/config/config.js";
import { contractEnd, contractWindow } from "../src/engine/domain/contracts.js";
import type { DocumentFacts } from "../src/engine/model/types.js";
import { useTempRepos } from "./helpers/repo.js";

const CONFIG = defaultConfig();
const { repo } = useTempRepos("policyops-contracts-");
const doc = (values: Record<string, unknown>) => ({ id: "CON-001", kind: "contract", file: "contracts/a.yaml", values }) as unknown as DocumentFacts;

interface Row {
  name: string;
  values: Record<string, unknown>;
  today: string;
  end: string;
  currentTermEnd: string;
  deadline: string;
  renewals: number;
  state: string;
}

const TABLE: Row[] = [
  { name: "three-year initial term from the 1st ends on the last day of the month before", values: { start_date: "2026-03-01", initial_term_months: 36, renewal: "manual", notice_days: 90 }, today: "2026-11-22", end: "2029-02-28", currentTermEnd: "2029-02-28", deadline: "2028-11-30", renewals: 0, state: "active" },
  { name: "one-month initial term from Jan 31 in a leap year ends Feb 28", values: { start_date: "2024-01-31", initial_term_months: 1, renewal: "none" }, today: "2024-02-28", end: "2024-02-28", currentTermEnd: "2024-02-28", deadline: "2023-12-30", renewals: 0, state: "renewal-due" },
  { name: "three-year term then yearly renewals (GLPI #15893): renewed once, notice counted from the renewed end (GLPI #23084)", values: { start_date: "2022-07-01", initial_term_months: 36, renewal: "auto", notice_days: 60 }, today: "2026-06-30", end: "2025-06-30", currentTermEnd: "2026-06-30", deadline: "2026-05-01", renewals: 1, state: "committed" },
  { name: "auto-renewing with a 24-month renewal term across a year change", values: { start_date: "2023-01-01", end_date: "2024-12-31", renewal: "auto", renewal_term_months: 24, notice_days: 30 }, today: "2026-12-10", end: "2024-12-31", currentTermEnd: "2026-12-31", deadline: "2026-12-01", renewals: 1, state: "committed" },
  { name: "auto-renewing from a leap day keeps Feb 28 in later years", values: { start_date: "2023-03-01", end_date: "2024-02-29", renewal: "auto", notice_days: 30 }, today: "2027-01-20", end: "2024-02-29", currentTermEnd: "2027-02-28", deadline: "2027-01-29", renewals: 3, state: "cancel-by" },
  { name: "monthly auto-renewal from Jan 31 lands on each month end", values: { start_date: "2026-01-01", end_date: "2026-01-31", renewal: "auto", renewal_term_months: 1, notice_days: 10 }, today: "2026-04-25", end: "2026-01-31", currentTermEnd: "2026-04-30", deadline: "2026-04-20", renewals: 3, state: "committed" },
  { name: "manual renewal past its end is expired, never rolled forward", values: { start_date: "2025-01-01", end_date: "2025-12-31", renewal: "manual", notice_days: 30 }, today: "2026-01-02", end: "2025-12-31", currentTermEnd: "2025-12-31", deadline: "2025-12-01", renewals: 0, state: "expired" },
  { name: "no notice_days: licences.default_notice_days (60) applies", values: { start_date: "2025-09-01", end_date: "2026-08-31", renewal: "none" }, today: "2026-07-02", end: "2026-08-31", currentTermEnd: "2026-08-31", deadline: "2026-07-02", renewals: 0, state: "renewal-due" },
  { name: "renewal absent means none", values: { start_date: "2025-09-01", end_date: "2026-08-31", notice_days: 10 }, today: "2026-09-01", end: "2026-08-31", currentTermEnd: "2026-08-31", deadline: "2026-08-21", renewals: 0, state: "expired" },
];

describe("contract terms on the renewal model (domain/contracts.ts)", () => {
  for (const row of TABLE) {
    it(row.name, () => {
      const d = doc(row.values);
      expect(formatDay(contractEnd(d)!.end)).toBe(row.end);
      const c = contractWindow(d, CONFIG, parseDay(row.today)!)!;
      expect([formatDay(c.window.currentTermEnd), formatDay(c.window.deadline), c.window.renewals, c.window.state]).toEqual([row.currentTermEnd, row.deadline, row.renewals, row.state]);
      expect(c.at).toBe(row.values.end_date ? "/end_date" : "/initial_term_months");
    });
  }

  it("a terminated contract, or one without a valid term, has no renewal window", () => {
    const today = parseDay("2026-06-30")!;
    expect(contractWindow(doc({ start_date: "2025-01-01", end_date: "2025-12-31", status: "terminated" }), CONFIG, today)).toBeNull();
    expect(contractWindow(doc({ start_date: "2025-01-01" }), CONFIG, today)).toBeNull();
    expect(contractWindow(doc({ start_date: "2025-01-01", end_date: "2025-13-01", initial_term_months: 12 }), CONFIG, today)).toBeNull();
  });
});

const VENDOR = "id: VEN-ACME\nname: Acme Ltd\nowner: IT Procurement\n";
const SYSTEM = "id: SYS-BACKUP\nname: Backup platform\nowner: Infrastructure\nrto_hours: 8\n";

describe("contract rules on a real repository", () => {
  it("a three-year auto-renewing contract past its initial term is renewed (info) and cancel-by names the renewed term's deadline, never expired", async () => {
    const root = repo({
      "vendors/acme.yaml": VENDOR,
      "contracts/acme.yaml": "id: CON-001\ntitle: Acme backup support\nowner: IT\nvendor: VEN-ACME\nstart_date: 2022-09-01\ninitial_term_months: 36\nrenewal: auto\nnotice_days: 60\n",
    });
    const ws = await load(root, { today: "2026-06-30", git: false });
    expect(ws.findings().map((f) => [f.code, f.severity, f.line, f.message])).toEqual([
      ["contract/cancel-by", "warning", 6, "Contract `Acme backup support` renews automatically on `2026-08-31` unless cancelled by `2026-07-02` (in 2 days, 60-day notice); give notice by then if it should not renew."],
      ["contract/renewed", "info", 6, "Contract `Acme backup support` renewed automatically on `2025-08-31` by its terms (current term ends `2026-08-31`); set `end_date` to `2026-08-31` and update the cost if it changed."],
    ]);
  });

  it("a fixed-term contract that ended is contract/expired at end_date until it is marked terminated", async () => {
    const files = {
      "vendors/acme.yaml": VENDOR,
      "contracts/acme.yaml": "id: CON-002\ntitle: Firewall redesign\nowner: IT\nvendor: VEN-ACME\ntype: consultancy\nstart_date: 2025-10-01\nend_date: 2026-05-31\nrenewal: none\n",
    };
    const ws = await load(repo(files), { today: "2026-06-30", git: false });
    expect(ws.findings().map((f) => [f.code, f.severity, f.line, f.column, f.message])).toEqual([
      ["contract/expired", "error", 7, 11, "Contract `Firewall redesign` ended on `2026-05-31` (30 days ago); renew it and record the new `end_date`, or set `status: terminated` if it was deliberately ended."],
    ]);
    const done = await load(repo({ ...files, "contracts/acme.yaml": files["contracts/acme.yaml"] + "status: terminated\n" }), { today: "2026-06-30", git: false });
    expect(done.findings()).toEqual([]);
  });

  it("sla/gap: a support contract resolving in 24 hours for a system with an 8-hour RTO is a warning on the systems item, related to the system's rto_hours", async () => {
    const root = repo({
      "vendors/acme.yaml": VENDOR,
      "systems/backup.yaml": SYSTEM,
      "contracts/acme.yaml": "id: CON-003\nowner: IT\nvendor: VEN-ACME\ntype: support\nstart_date: 2026-01-01\nend_date: 2028-12-31\nsystems: [SYS-BACKUP]\nsla:\n  resolution_hours: 24\n",
    });
    const ws = await load(root, { today: "2026-06-30", git: false });
    const [f, ...rest] = ws.findings();
    expect(rest).toEqual([]);
    expect([f!.code, f!.severity, f!.file, f!.line, f!.message]).toEqual([
      "sla/gap", "warning", "contracts/acme.yaml", 7,
      "Support contract promises resolution within 24 hours but system `SYS-BACKUP` must be recovered within 8 hours (`rto_hours`); negotiate a shorter resolution time or plan recovery without the supplier.",
    ]);
    expect(f!.related?.map((r) => [r.file, r.line, r.message])).toEqual([["systems/backup.yaml", 4, "`SYS-BACKUP` has `rto_hours: 8` here."]]);
  });

  it("sla/gap follows the system incrementally: raising its rto_hours in the editor clears the gap, lowering it brings it back", async () => {
    const root = repo({
      "vendors/acme.yaml": VENDOR,
      "systems/backup.yaml": SYSTEM,
      "contracts/acme.yaml": "id: CON-003\nowner: IT\nvendor: VEN-ACME\ntype: support\nstart_date: 2026-01-01\nend_date: 2028-12-31\nsystems: [SYS-BACKUP]\nsla:\n  resolution_hours: 24\n",
    });
    const ws = await load(root, { today: "2026-06-30", git: false });
    const gaps = () => ws.findings().filter((f) => f.code === "sla/gap").map((f) => f.message);
    expect(gaps()).toHaveLength(1);
    ws.update("systems/backup.yaml", SYSTEM.replace("rto_hours: 8", "rto_hours: 48"));
    expect(gaps()).toEqual([]);
    ws.update("systems/backup.yaml", SYSTEM.replace("rto_hours: 8", "rto_hours: 4"));
    expect(gaps()).toEqual([expect.stringContaining("must be recovered within 4 hours")]);
  });

  it("a contract with neither end_date nor initial_term_months fails its schema naming initial_term_months", async () => {
    const root = repo({ "vendors/acme.yaml": VENDOR, "contracts/acme.yaml": "id: CON-004\nowner: IT\nvendor: VEN-ACME\nstart_date: 2026-01-01\n" });
    const ws = await load(root, { today: "2026-06-30", git: false });
    const f = ws.findings().find((x) => x.code === "schema/required");
    expect(f?.message).toContain("initial_term_months");
  });

  it("an active vendor is a reviewed kind: review/overdue once last_reviewed + review_cycle_months has passed", async () => {
    const root = repo({ "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: Vendor Manager\nstatus: active\nlast_reviewed: 2025-03-31\nreview_cycle_months: 12\n" });
    const ws = await load(root, { today: "2026-06-30", git: false });
    expect(ws.findings().map((f) => [f.code, f.line, f.message])).toEqual([
      ["review/overdue", 5, "Review was due on `2026-03-31` (`last_reviewed` 2025-03-31 + 12 months); review the document and update `last_reviewed`."],
    ]);
  });

  it("a vendor's inline contracts summary stays valid (existing records, the shared corpus generator) but is no contract record: nothing renews from it", async () => {
    const root = repo({ "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: Vendor Manager\ncontracts:\n  - ref: X-1\n    start: 2020-01-01\n    end: 2021-01-01\n    sla: 99.9% monthly\n" });
    const ws = await load(root, { today: "2026-06-30", git: false });
    expect(ws.findings()).toEqual([]);
    const bad = repo({ "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: Vendor Manager\ncontracts:\n  - ref: X-1\n    start: 2021-01-01\n    end: 2020-01-01\n" });
    const ws2 = await load(bad, { today: "2026-06-30", git: false });
    expect(ws2.findings().map((f) => [f.code, f.line])).toEqual([["date/order", 7]]);
  });
});
