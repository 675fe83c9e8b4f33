import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { load } from "../src/engine/index.js";
import { gitRepo } from "./helpers/git.js";
import { policy, runCli, tempDir } from "./helpers/repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir("policyops-git-");
  cleanups.push(t.cleanup);
  return t.dir;
}

const TODAY = "2026-06-30";
const approvedPolicy = (version: string, body = "Original text.", extra = "") =>
  policy("POL-001", extra, `## Purpose\n\n${body}\n\n## Scope\n\nAll.\n\n## Policy\n\nRules.\n`).replace('version: "1.0"', `version: "${version}"`);

describe("approval/stale (real git repositories)", () => {
  it("flags a change committed after approval without a version change", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add access policy", "2026-02-01");
    const changed = await commit({ "policies/a.md": approvedPolicy("1.0", "Quietly rewritten text.") }, "Tweak wording", "2026-04-15");
    const findings = (await load(root, { today: TODAY })).findings();
    expect(findings.map((f) => [f.code, f.line, f.column, f.severity])).toEqual([["approval/stale", 4, 10, "warning"]]);
    expect(findings[0]!.message).toContain(changed.slice(0, 7));
    expect(findings[0]!.message).toContain("Tweak wording");
  });

  it("is quiet when the version changed, when only review dates changed, for the commit adding the file, and for retired documents", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    // added after approval: not a change to an approved text
    await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-03-05");
    // recording a review is bookkeeping, not a content change
    await commit({ "policies/a.md": approvedPolicy("1.0").replace("last_reviewed: 2026-03-01", "last_reviewed: 2026-04-01") }, "Annual review", "2026-04-01");
    expect((await load(root, { today: TODAY })).findings()).toEqual([]);
    // a content change with a version bump
    await commit({ "policies/a.md": approvedPolicy("1.1", "New text.").replace("last_reviewed: 2026-03-01", "last_reviewed: 2026-04-01") }, "Revise", "2026-05-01");
    expect((await load(root, { today: TODAY })).findings()).toEqual([]);
    // the same change unversioned, but the document is retired
    await commit({ "policies/a.md": approvedPolicy("1.1", "Newer text.").replace("status: active", "status: retired") }, "Retire", "2026-05-02");
    expect((await load(root, { today: TODAY })).findings().map((f) => f.code)).toEqual([]);
  });

  it("follows renames and is skipped quietly outside git", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    await commit({ "policies/old-name.md": approvedPolicy("1.0") }, "Add", "2026-02-01");
    await commit({ "policies/old-name.md": null, "policies/a.md": approvedPolicy("1.0") }, "Rename", "2026-02-02");
    await commit({ "policies/a.md": approvedPolicy("1.0", "Changed.") }, "Change", "2026-05-01");
    const ws = await load(root, { today: TODAY });
    expect(ws.history("policies/a.md").map((c) => [c.subject, c.change])).toEqual([["Change", "M"], ["Rename", "R"], ["Add", "A"]]);
    expect(ws.findings().map((f) => f.code)).toEqual(["approval/stale"]);
    const plain = dir();
    mkdirSync(join(plain, "policies"));
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(plain, "policies/a.md"), approvedPolicy("1.0"));
    const outside = await load(plain, { today: TODAY });
    expect(outside.git).toBeNull();
    expect(outside.history("policies/a.md")).toEqual([]);
  });

  it("exposes per-document history (commits, authors, dates, messages) for the site", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    const first = await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add access policy", "2026-02-01");
    const second = await commit({ "policies/a.md": approvedPolicy("1.1", "v2") }, "Revise: MFA for all", "2026-03-01");
    const ws = await load(root, { today: TODAY });
    expect(ws.history("policies/a.md")).toEqual([
      { hash: second, date: "2026-03-01", timestamp: "2026-03-01T10:00:00+00:00", author: "Ada Admin", email: "ada@example.org", subject: "Revise: MFA for all", change: "M" },
      { hash: first, date: "2026-02-01", timestamp: "2026-02-01T10:00:00+00:00", author: "Ada Admin", email: "ada@example.org", subject: "Add access policy", change: "A" },
    ]);
    expect(ws.git?.head).toBe(second);
  });
});
