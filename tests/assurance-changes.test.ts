/**
 * Issue 18: change records and what they do to manuals (manual/outdated), through the CLI on
 * a real git repository and incrementally through Workspace.update, which must re-check a
 * manual when a change on its system is saved; DR tests and the systems they test
 * (continuity/*), re-checked the same way from either side.
 */
import fc from "fast-check";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { load, type Finding } from "../src/engine/index.js";
import { expectEditsMatchFreshLoad, type Edit } from "./helpers/scenario.js";
import { gitRepo } from "./helpers/git.js";
import { runCli, tempDir, writeRepo } from "./helpers/repo.js";
import { change, drTest, manual, system } from "./helpers/assurance.js";

const TODAY = "2026-06-30";
const t = tempDir("policyops-assurance-");
afterAll(() => t.cleanup());

const FILES = {
  "systems/fw.yaml": system("SYS-FW", "medium"),
  "systems/vpn.yaml": system("SYS-VPN", "medium"),
  "manuals/fw.md": manual("MAN-FW", "SYS-FW", "2026-03-01"),
  "manuals/vpn.md": manual("MAN-VPN", "SYS-VPN", "2026-03-01"),
  "changes/fw.md": change("CHG-001", "SYS-FW", "scheduled", "2026-06-10"),
};

const outdated = <T extends { code: string }>(findings: T[]) => findings.filter((f) => f.code === "manual/outdated");

describe("manual/outdated", () => {
  it("via the CLI on a git repository: implementing a change on a system flags its manual (not another system's), and reviewing the manual clears it", async () => {
    const root = join(t.dir, "cli");
    mkdirSync(root);
    const { commit } = await gitRepo(root);
    await commit(FILES, "Schedule the firmware upgrade", "2026-06-01");
    const validate = () => {
      const r = runCli(["validate", root, "--today", TODAY, "--format", "json"]);
      return { status: r.status, findings: (JSON.parse(r.stdout) as { findings: (Finding & { code: string })[] }).findings };
    };
    const before = validate();
    expect(before.findings).toEqual([]);
    expect(before.status).toBe(0);

    await commit({ "changes/fw.md": change("CHG-001", "SYS-FW", "implemented", "2026-06-10") }, "Firmware upgraded", "2026-06-10");
    const after = validate();
    expect(after.findings.map((f) => `${f.file}:${f.line} ${f.code}`)).toEqual(["manuals/fw.md:9 manual/outdated"]);
    expect(after.findings[0]!.message).toBe(
      "The manual was last reviewed on `2026-03-01` (`last_reviewed`) but 1 change to it or its system `SYS-FW` was implemented since (latest `CHG-001` on `2026-06-10`); review the manual against the change and update `last_reviewed`.",
    );
    expect(after.status).toBe(0); // a warning: validate fails on errors by default

    await commit({ "manuals/fw.md": manual("MAN-FW", "SYS-FW", "2026-06-12") }, "Review the firewall manual after the upgrade", "2026-06-12");
    expect(validate().findings).toEqual([]);
  });

  it("incrementally: Workspace.update of the change re-checks the manual of its system, with the change as related location, and updating the manual clears it", async () => {
    const root = writeRepo(join(t.dir, "inc"), FILES);
    const ws = await load(root, { today: TODAY });
    expect(ws.findings()).toEqual([]);

    const implemented = ws.update("changes/fw.md", change("CHG-001", "SYS-FW", "implemented", "2026-06-10"));
    expect([...implemented.keys()]).toEqual(["manuals/fw.md"]);
    const [finding] = implemented.get("manuals/fw.md")!;
    expect(finding).toMatchObject({ code: "manual/outdated", line: 9, data: { reviewed: "2026-03-01", change: "CHG-001", implemented: "2026-06-10", count: 1, system: "SYS-FW" } });
    expect(finding!.related).toEqual([{ file: "changes/fw.md", line: 11, column: 17, endLine: 11, endColumn: 27, message: "`CHG-001` was implemented on `2026-06-10`." }]);
    expect(outdated(ws.findings())).toHaveLength(1);

    const reviewed = ws.update("manuals/fw.md", manual("MAN-FW", "SYS-FW", "2026-06-12"));
    expect(reviewed.get("manuals/fw.md")).toEqual([]);
    expect(ws.findings()).toEqual([]);

    // A change moved to the other system: the VPN manual is now outdated, the firewall's stays clean.
    const moved = ws.update("changes/fw.md", change("CHG-001", "SYS-VPN", "implemented", "2026-06-20"));
    expect([...moved.keys()]).toEqual(["manuals/vpn.md"]);
    expect(outdated(ws.findings()).map((f) => f.file)).toEqual(["manuals/vpn.md"]);
    // Removing the change clears it again.
    ws.remove("changes/fw.md");
    expect(ws.findings()).toEqual([]);
  });
});

describe("continuity/test-overdue and continuity/rto-missed incrementally", () => {
  it("saving a passing DR test clears the system's test-overdue, an older one brings it back, and lowering the system's rto_hours re-checks the test (rto-missed)", async () => {
    const root = writeRepo(join(t.dir, "dr"), { "systems/fw.yaml": system("SYS-FW", "critical"), "systems/app.yaml": system("SYS-APP", "low") });
    const ws = await load(root, { today: TODAY });
    expect(ws.findings().map((f) => `${f.file} ${f.code} ${f.messageId}`)).toEqual(["systems/fw.yaml continuity/test-overdue never"]);
    expect(ws.findings()[0]!.message).toBe("The `critical` system `SYS-FW` has no passing DR test on record; test its recovery and record a DR test with a `pass` result for `SYS-FW`.");

    const tested = ws.add("dr-tests/t.md", drTest("DRT-001", "2026-03-15", [["SYS-FW", "pass", 3]]));
    expect(tested.get("systems/fw.yaml")).toEqual([]);
    expect(ws.findings()).toEqual([]);

    const old = ws.update("dr-tests/t.md", drTest("DRT-001", "2025-05-31", [["SYS-FW", "pass", 3]]));
    expect(old.get("systems/fw.yaml")!.map((f) => f.message)).toEqual([
      "The `critical` system `SYS-FW` last passed a DR test on `2025-05-31` (`DRT-001`), so the next was due by `2026-05-31` (every 12 months); test its recovery and record the DR test.",
    ]);
    ws.update("dr-tests/t.md", drTest("DRT-001", "2026-03-15", [["SYS-FW", "pass", 3]]));
    expect(ws.findings()).toEqual([]);

    // The objective lives in the system: editing it re-checks the DR test that names it.
    const stricter = ws.update("systems/fw.yaml", system("SYS-FW", "critical").replace("rto_hours: 4", "rto_hours: 2"));
    expect(stricter.get("dr-tests/t.md")!.map((f) => `${f.code} ${f.messageId} ${f.data?.achieved} ${f.data?.objective}`)).toEqual(["continuity/rto-missed rto 3 2"]);
  });
});

describe("sections required of some documents only (x-policyops sectionsWhen)", () => {
  it("a normal change needs its plans, a standard one none; a `sections` list in policyops.yaml replaces the plans and keeps the condition", async () => {
    const normal = change("CHG-001", "SYS-FW", "proposed", "2026-07-10").replace(/\n## Test plan[\s\S]*$/, "\n");
    const standard = normal.replace("type: normal", "type: standard").replace("CHG-001", "CHG-002");
    const root = writeRepo(join(t.dir, "sections"), { "systems/fw.yaml": system("SYS-FW", "medium"), "changes/normal.md": normal, "changes/standard.md": standard });
    const missing = (ws: Awaited<ReturnType<typeof load>>) => ws.findings().filter((f) => f.code === "sections/missing").map((f) => `${f.file} ${f.message}`);
    expect(missing(await load(root, { today: TODAY }))).toEqual([
      "changes/normal.md The required section `## Test plan` is missing; add it to the document body.",
      "changes/normal.md The required section `## Backout plan` is missing; add it to the document body.",
    ]);
    writeRepo(root, { "policyops.yaml": "sections:\n  change: [Implementation plan, Rollback]\n" });
    expect(missing(await load(root, { today: TODAY }))).toEqual(["changes/normal.md The required section `## Rollback` is missing; add it to the document body."]);
  });

  it("a repository's own kind uses it the same way, and a malformed condition is a usage error naming it", async () => {
    const schema = (when: unknown) =>
      JSON.stringify({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        "x-policyops": { kind: "request", folder: "requests", format: "markdown", sections: ["Justification"], sectionsWhen: when },
        type: "object",
        required: ["id", "owner"],
        properties: { id: { type: "string" }, owner: { type: "string" }, priority: { enum: ["low", "high"] } },
      });
    const doc = (id: string, priority: string) => `---\nid: ${id}\nowner: IT\npriority: ${priority}\n---\n\nText.\n`;
    const root = writeRepo(join(t.dir, "own-kind"), { "kinds/request.schema.json": schema({ field: "priority", in: ["high"] }), "requests/a.md": doc("REQ-001", "high"), "requests/b.md": doc("REQ-002", "low") });
    const ws = await load(root, { today: TODAY });
    expect(ws.findings().map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual(["requests/a.md sections/missing The required section `## Justification` is missing; add it to the document body."]);

    writeRepo(root, { "kinds/request.schema.json": schema({ field: "priority", in: [] }) });
    const r = runCli(["validate", root, "--today", TODAY]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("kinds/request.schema.json");
    expect(r.stderr).toContain("`x-policyops.sectionsWhen.in`");
  });
});

describe("rules that read other documents' values stay right incrementally", () => {
  /** A manual and its system's changes, a system and its DR tests: each side edited, removed, re-added. */
  const BASE = {
    "systems/fw.yaml": system("SYS-FW", "critical"),
    "manuals/fw.md": manual("MAN-FW", "SYS-FW", "2026-03-01"),
    "changes/fw.md": change("CHG-001", "SYS-FW", "scheduled", "2026-06-10"),
    "dr-tests/t.md": drTest("DRT-001", "2026-03-15", [["SYS-FW", "pass", 3]]),
  };
  const EDITS: Edit[] = [
    { file: "changes/fw.md", content: change("CHG-001", "SYS-FW", "implemented", "2026-06-10") },
    { file: "changes/fw.md", content: change("CHG-001", "SYS-FW", "scheduled", "2026-06-10") },
    { file: "changes/fw.md", content: null },
    { file: "changes/other.md", content: change("CHG-002", "SYS-FW", "closed", "2026-05-20") },
    { file: "changes/other.md", content: null },
    { file: "manuals/fw.md", content: manual("MAN-FW", "SYS-FW", "2026-06-12") },
    { file: "manuals/fw.md", content: manual("MAN-FW", "SYS-FW", "2026-03-01") },
    { file: "dr-tests/t.md", content: drTest("DRT-001", "2025-01-15", [["SYS-FW", "pass", 3]]) },
    { file: "dr-tests/t.md", content: drTest("DRT-001", "2026-03-15", [["SYS-FW", "pass", 3]]) },
    { file: "dr-tests/t.md", content: null },
    { file: "systems/fw.yaml", content: system("SYS-FW", "critical").replace("rto_hours: 4", "rto_hours: 2") },
    { file: "systems/fw.yaml", content: system("SYS-FW", "critical") },
    { file: "systems/fw.yaml", content: null },
  ];

  it("after any sequence of saved and unsaved edits of changes, manuals, DR tests and systems, incremental findings equal a fresh load", async () => {
    let run = 0;
    const step = fc.record({ edit: fc.nat(EDITS.length - 1), saved: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const root = writeRepo(join(t.dir, `prop${run++}`), BASE);
        await expectEditsMatchFreshLoad(root, TODAY, EDITS, steps);
        rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  }, 180_000);
});
