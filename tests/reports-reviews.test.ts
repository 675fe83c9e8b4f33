import { describe, expect, it } from "vitest";
import { load, reviewReport } from "../src/engine/index.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos();

const TODAY = "2026-06-30";
/** A policy-like document with exactly the front-matter lines given. */
const doc = (id: string, lines: string, kind = "Policy") =>
  `---\nid: ${id}\ntitle: ${kind} ${id}\nversion: "1.0"\nowner: IT Director\n${lines}---\n\n# ${id}\n\n## Purpose\n\nx\n\n## Scope\n\nx\n\n## Policy\n\nx\n\n## Procedure\n\nx\n`;
const active = (lastReviewed: string, extra = "") => `status: active\napproved_by: IT Director\napproved_on: 2025-01-01\nlast_reviewed: ${lastReviewed}\n${extra}`;

// Default cycle 12 months, due_soon_days 30, today 2026-06-30.
const FILES: Record<string, string> = {
  "policies/overdue.md": doc("POL-OVERDUE", active("2025-06-29")), // due 2026-06-29: -1
  "policies/today.md": doc("POL-TODAY", active("2025-06-30")), // due today: 0
  "policies/soon.md": doc("POL-SOON", active("2025-07-30")), // 30
  "policies/ok.md": doc("POL-OK", active("2025-07-31")), // 31
  "policies/never.md": doc("POL-NEVER", "status: active\n"),
  "policies/approved.md": doc("POL-APPROVED", "status: active\napproved_by: IT\napproved_on: 2026-01-31\nreview_cycle_months: 1\n"), // Jan 31 + 1 month = Feb 28
  "policies/draft.md": doc("POL-DRAFT", "status: draft\nlast_reviewed: 2025-01-01\n"),
  "policies/retired.md": doc("POL-RETIRED", "status: retired\nlast_reviewed: 2020-01-01\n"),
  "sops/s.md": doc("SOP-REVIEW", "status: review\n", "SOP"),
  "manuals/m.md": doc("MAN-X", active("2026-03-01") + "system: SYS-X\n", "Manual"),
};

describe("reviewReport", () => {
  it("gives every state and agrees with review/overdue and review/due-soon", async () => {
    const ws = await load(repo(FILES), { today: TODAY });
    const rows = reviewReport(ws);
    const got = Object.fromEntries(rows.map((r) => [r.id, [r.next_review, r.days_until, r.state]]));
    expect(got).toEqual({
      "POL-OVERDUE": ["2026-06-29", -1, "overdue"],
      "POL-TODAY": ["2026-06-30", 0, "due-soon"],
      "POL-SOON": ["2026-07-30", 30, "due-soon"],
      "POL-OK": ["2026-07-31", 31, "ok"],
      "POL-NEVER": [null, null, "never"],
      "POL-APPROVED": ["2026-02-28", -122, "overdue"],
      "POL-DRAFT": ["2026-01-01", -180, "not-active"],
      "SOP-REVIEW": [null, null, "not-active"],
      "MAN-X": ["2027-03-01", 244, "ok"],
    }); // retired: left out
    const CODE: Record<string, string | undefined> = { overdue: "review/overdue", never: "review/overdue", "due-soon": "review/due-soon" };
    const findings = ws.findings().filter((f) => f.code.startsWith("review/"));
    for (const r of rows) expect(findings.filter((f) => f.docId === r.id).map((f) => f.code), r.id).toEqual(CODE[r.state] ? [CODE[r.state]] : []);
  });

  it("takes the later of last_reviewed and approved_on as the baseline (a re-approval is a review), as the rules do", async () => {
    const ws = await load(repo({
      // reviewed 2025-03-01 (due 2026-03-01, overdue) but re-approved 2025-08-15: due 2026-08-15
      "policies/reapproved.md": doc("POL-REAPPROVED", "status: active\napproved_by: CIO\napproved_on: 2025-08-15\nlast_reviewed: 2025-03-01\n"),
      // approved 2024-01-10, reviewed 2025-07-10: the review is the baseline, due 2026-07-10 (10 days)
      "policies/reviewed.md": doc("POL-REVIEWED", "status: active\napproved_by: CIO\napproved_on: 2024-01-10\nlast_reviewed: 2025-07-10\n"),
      // both more than a cycle ago: overdue, and the message names the newer baseline
      "policies/old.md": doc("POL-OLD", "status: active\napproved_by: CIO\napproved_on: 2025-05-01\nlast_reviewed: 2024-01-10\n"),
    }), { today: TODAY });
    const rows = Object.fromEntries(reviewReport(ws).map((r) => [r.id, [r.last_reviewed, r.next_review, r.days_until, r.state]]));
    expect(rows).toEqual({
      "POL-REAPPROVED": ["2025-03-01", "2026-08-15", 46, "ok"],
      "POL-REVIEWED": ["2025-07-10", "2026-07-10", 10, "due-soon"],
      "POL-OLD": ["2024-01-10", "2026-05-01", -60, "overdue"],
    });
    const findings = ws.findings().filter((f) => f.code.startsWith("review/"));
    expect(findings.map((f) => [f.docId, f.code, f.line, f.message])).toEqual([
      ["POL-OLD", "review/overdue", 9, "Review was due on `2026-05-01` (`approved_on` 2025-05-01 + 12 months); review the document and update `last_reviewed`."],
      ["POL-REVIEWED", "review/due-soon", 9, "Review is due on `2026-07-10` (in 10 days); plan it and update `last_reviewed` when done."],
    ]);
  });

  it("sorts never first, then by next review, drafts and in-review documents last", async () => {
    const rows = reviewReport(await load(repo(FILES), { today: TODAY }));
    expect(rows.map((r) => r.id)).toEqual(["POL-NEVER", "POL-APPROVED", "POL-OVERDUE", "POL-TODAY", "POL-SOON", "POL-OK", "MAN-X", "POL-DRAFT", "SOP-REVIEW"]);
  });

  it("has the documented keys; last_reviewed is the field as written", async () => {
    const rows = reviewReport(await load(repo(FILES), { today: TODAY }));
    const approved = rows.find((r) => r.id === "POL-APPROVED")!;
    expect(Object.keys(approved)).toEqual(["id", "kind", "title", "file", "owner", "status", "last_reviewed", "next_review", "days_until", "state"]);
    expect(approved).toMatchObject({ kind: "policy", title: "Policy POL-APPROVED", file: "policies/approved.md", owner: "IT Director", status: "active", last_reviewed: null });
  });

  it("--within keeps active documents due within N days plus overdue and never", async () => {
    const ws = await load(repo(FILES), { today: TODAY });
    expect(reviewReport(ws, { within: 30 }).map((r) => r.id)).toEqual(["POL-NEVER", "POL-APPROVED", "POL-OVERDUE", "POL-TODAY", "POL-SOON"]);
    expect(reviewReport(ws, { within: 0 }).map((r) => r.id)).toEqual(["POL-NEVER", "POL-APPROVED", "POL-OVERDUE", "POL-TODAY"]);
  });

  it("uses reviews.due_soon_days and default_cycle_months from the config", async () => {
    const root = repo({ ...FILES, "policyops.yaml": "reviews:\n  default_cycle_months: 24\n  due_soon_days: 400\n" });
    const rows = reviewReport(await load(root, { today: TODAY }));
    expect(rows.find((r) => r.id === "POL-OVERDUE")).toMatchObject({ next_review: "2027-06-29", days_until: 364, state: "due-soon" });
  });
});
