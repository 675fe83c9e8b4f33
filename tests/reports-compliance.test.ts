import { describe, expect, it } from "vitest";
import { complianceDetail, complianceReport, load, unknownFrameworks, UsageError } from "../src/engine/index.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos();

const TODAY = "2026-06-30";
const doc = (id: string, status: string, controls: string[], extra = "") =>
  `---\nid: ${id}\ntitle: Doc ${id}\nversion: "1.0"\nowner: IT\nstatus: ${status}\napproved_by: IT\napproved_on: 2026-01-01\n${extra}controls: [${controls.map((c) => `"TEST-FW:${c}"`).join(", ")}]\n---\n\n# ${id}\n\n## Purpose\n\nx\n\n## Scope\n\nx\n\n## Policy\n\nx\n\n## Procedure\n\nx\n`;
const OVERDUE = "last_reviewed: 2025-01-01\n"; // + 12 months = 2026-01-01 < today

const COMPLIANCE_FIXTURE: Record<string, string> = {
  "frameworks/test.yaml":
    "id: TEST-FW\ntitle: Test Framework\nversion: \"1\"\nowner: IT\ncontrols:\n" +
    ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9"].map((c) => `  - { id: ${c}, title: "Control ${c} statement" }\n`).join(""),
  "policyops.yaml": 'frameworks: [TEST-FW]\nnot_applicable:\n  - { control: "TEST-FW:C5", reason: "We have no C5." }\n',
  "policies/current.md": doc("POL-CURRENT", "active", ["C1", "C5", "C9"]),
  // approved (2025-01-01) and last reviewed (2025-01-01) more than a cycle ago
  "policies/overdue.md": doc("POL-OVERDUE", "active", ["C2", "C8", "C9"], OVERDUE).replace("approved_on: 2026-01-01", "approved_on: 2025-01-01"),
  "sops/draft.md": doc("SOP-DRAFT", "draft", ["C3", "C8"]),
  "sops/inreview.md": doc("SOP-INREVIEW", "review", ["C3"]),
  "manuals/m.md": doc("MAN-ONLY", "active", ["C6"], "system: SYS-X\n"),
  "policies/retired.md": doc("POL-RETIRED", "retired", ["C7"]),
};

describe("complianceReport", () => {
  it("counts a re-approval newer than an overdue last_reviewed as a review: the control is covered, not stale", async () => {
    const files = {
      ...COMPLIANCE_FIXTURE,
      // last_reviewed 2025-01-01 alone would be overdue; the re-approval on 2026-01-01 is the baseline
      "policies/overdue.md": doc("POL-OVERDUE", "active", ["C2", "C8", "C9"], OVERDUE),
    };
    const [fw] = complianceReport(await load(repo(files), { today: TODAY }));
    expect(fw!.controls.find((c) => c.id === "C2")).toMatchObject({ status: "covered", documents: ["POL-OVERDUE"] });
  });

  it("gives covered, stale, draft, missing and not-applicable as SPEC §3 defines them", async () => {
    const [fw] = complianceReport(await load(repo(COMPLIANCE_FIXTURE), { today: TODAY }));
    const got = Object.fromEntries(fw!.controls.map((c) => [c.id, [c.status, c.documents]]));
    expect(got).toEqual({
      C1: ["covered", ["POL-CURRENT"]],
      C2: ["stale", ["POL-OVERDUE"]], // its only active document is review-overdue
      C3: ["draft", ["SOP-DRAFT", "SOP-INREVIEW"]],
      C4: ["missing", []],
      C5: ["not-applicable", ["POL-CURRENT"]], // the statement of applicability wins
      C6: ["missing", ["MAN-ONLY"]], // a manual maps but does not implement
      C7: ["missing", []], // retired documents are left out
      C8: ["stale", ["POL-OVERDUE", "SOP-DRAFT"]], // an active (overdue) one beats a draft
      C9: ["covered", ["POL-CURRENT", "POL-OVERDUE"]],
    });
  });

  it("coverage = covered ÷ (all − not-applicable), rounded to 4 decimals", async () => {
    const [fw] = complianceReport(await load(repo(COMPLIANCE_FIXTURE), { today: TODAY }));
    expect(fw!.coverage).toBe(0.25); // 2 covered of 8 applicable
    const noNa = repo({ ...COMPLIANCE_FIXTURE, "policyops.yaml": "frameworks: [TEST-FW]\n" });
    expect(complianceReport(await load(noNa, { today: TODAY }))[0]!.coverage).toBe(0.3333); // 3 of 9
  });

  it("has SPEC §3's exact keys; the reason stays out of the JSON but is in the detail", async () => {
    const ws = await load(repo(COMPLIANCE_FIXTURE), { today: TODAY });
    const [fw] = complianceReport(ws);
    expect(Object.keys(fw!)).toEqual(["framework", "coverage", "controls"]);
    expect(fw!.framework).toBe("TEST-FW");
    for (const c of fw!.controls) expect(Object.keys(c)).toEqual(["id", "title", "status", "documents"]);
    expect(fw!.controls[0]!.title).toBe("Control C1 statement");
    const detail = complianceDetail(ws)[0]!;
    expect(detail.controls.find((c) => c.id === "C5")!.reason).toBe("We have no C5.");
    expect(detail.counts).toEqual({ covered: 2, stale: 2, draft: 1, missing: 3, "not-applicable": 1 });
  });

  it("reports each configured framework, or only --framework; an unknown --framework is a usage error naming the known ones, an unknown configured one is left out and is a finding", async () => {
    const ws = await load(repo({ ...COMPLIANCE_FIXTURE, "policyops.yaml": "frameworks: [NIST-CSF-2.0, TEST-FW]\n" }), { today: TODAY });
    const all = complianceReport(ws);
    expect(all.map((f) => f.framework)).toEqual(["NIST-CSF-2.0", "TEST-FW"]);
    expect(all[0]!.controls).toHaveLength(106);
    expect(all[0]!.coverage).toBe(0);
    expect(complianceReport(ws, { framework: "TEST-FW" }).map((f) => f.framework)).toEqual(["TEST-FW"]);
    expect(() => complianceReport(ws, { framework: "ISO27001" })).toThrow(UsageError);
    expect(() => complianceReport(ws, { framework: "ISO27001" })).toThrow(/unknown framework `ISO27001`; known frameworks: `NIST-CSF-2.0`, `TEST-FW`/);
    const badConfig = await load(repo({ "policyops.yaml": "frameworks: [NOPE-1]\n" }), { today: TODAY });
    expect(complianceReport(badConfig)).toEqual([]);
    expect(unknownFrameworks(badConfig)).toEqual(["NOPE-1"]);
    expect(badConfig.findings().map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.docId}`)).toEqual(["policyops.yaml:1:14 control/unknown null"]);
  });

  it("an unknown framework's advice names the catalogue folder where this repository's paths put it", async () => {
    const moved = await load(repo({ "policyops.yaml": "frameworks: [NOPE-1]\npaths:\n  framework: governance/catalogues\n", "policies/a.md": doc("POL-A", "active", ["C1"]) }), { today: TODAY });
    const messages = moved.findings().filter((f) => f.code === "control/unknown").map((f) => `${f.file} ${f.message}`);
    expect(messages).toEqual([
      "policies/a.md Framework `TEST-FW` is not known; use a built-in one (`NIST-CSF-2.0`) or add `governance/catalogues/TEST-FW.yaml`.",
      "policyops.yaml `frameworks` lists `NOPE-1`, which is not a known framework; correct it, add `governance/catalogues/NOPE-1.yaml`, or remove the entry.",
    ]);
  });

  it("a review date passing turns covered into stale on the day after it is due", async () => {
    const root = repo({ ...COMPLIANCE_FIXTURE, "policies/current.md": doc("POL-CURRENT", "active", ["C1"], "last_reviewed: 2025-06-30\n").replace("approved_on: 2026-01-01", "approved_on: 2025-06-01") });
    const status = async (today: string) => complianceReport(await load(root, { today }))[0]!.controls[0]!.status;
    expect(await status("2026-06-30")).toBe("covered"); // due today: not overdue yet
    expect(await status("2026-07-01")).toBe("stale");
  });
});
