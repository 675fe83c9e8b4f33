import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { load } from "../src/engine/index.js";
import { gitRepo } from "./helpers/git.js";
import { cli } from "./helpers/cli.js";
import { policy, tempDir } from "./helpers/repo.js";

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

describe("validate --changed-since (real git repositories)", () => {
  const sop = (id: string, policies: string) =>
    `---\nid: ${id}\ntitle: S\nversion: "1.0"\nstatus: active\nowner: IT\napproved_by: IT\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\npolicies: [${policies}]\n---\n## Purpose\n## Scope\n## Procedure\n`;

  it("reports changed documents and those their change breaks, not the rest", async () => {
    const root = dir();
    const { commit, git } = await gitRepo(root);
    await commit({
      "policies/a.md": approvedPolicy("1.0"),
      "policies/b.md": approvedPolicy("1.0").replace("POL-001", "POL-002"),
      "sops/s.md": sop("SOP-001", "POL-002"),
      "licences/old.yaml": "id: LIC-001\nproduct: Old\ntype: subscription\nowner: IT\nexpiry_date: 2026-01-01\n", // already broken on main
    }, "Baseline", "2026-03-05");
    await git.checkoutLocalBranch("feature");
    // the pull request: deletes POL-002 (breaking SOP-001) and adds a policy with a missing section
    // (approved the day it is committed: git may see it as b.md renamed, and that is no stale change)
    await commit({ "policies/b.md": null, "policies/c.md": approvedPolicy("1.0", "x").replace("POL-001", "POL-003").replace("approved_on: 2026-03-01", "approved_on: 2026-03-06").replace("## Policy\n\nRules.\n", "") }, "PR", "2026-03-06");
    const all = await cli(["validate", root, "--format", "json", "--today", TODAY]);
    expect(JSON.parse(all.stdout).findings.map((f: { file: string }) => f.file)).toContain("licences/old.yaml");
    const r = await cli(["validate", root, "--format", "json", "--today", TODAY, "--changed-since", "main"]);
    expect(r.status).toBe(1);
    const got = JSON.parse(r.stdout).findings.map((f: { file: string; code: string }) => `${f.file} ${f.code}`);
    expect(got).toEqual(["policies/c.md sections/missing", "sops/s.md ref/unknown"]);
    // uncommitted edits count too
    writeFileSync(join(root, "licences/old.yaml"), "id: LIC-001\nproduct: Old\ntype: subscription\nowner: IT\nexpiry_date: 2026-02-01\n");
    const dirty = await cli(["validate", root, "--format", "json", "--today", TODAY, "--changed-since", "main"]);
    expect(JSON.parse(dirty.stdout).findings.map((f: { file: string }) => f.file)).toContain("licences/old.yaml");
  });

  it("an unknown ref is a usage error; outside git everything is reported", async () => {
    const root = dir();
    writeFileSync(join(root, "x.txt"), "");
    const outside = await cli(["validate", root, "--changed-since", "main"]);
    expect(outside.status).toBe(0);
    return gitRepo(root).then(async ({ commit }) => {
      await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-03-05");
      const bad = await cli(["validate", root, "--changed-since", "no-such-ref"]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/unknown git ref `no-such-ref`/);
    });
  });

  it("prefixes GitHub and SARIF paths with the policy folder's place in the checkout", async () => {
    const top = dir();
    const { commit } = await gitRepo(top);
    await commit({ "governance/licences/a.yaml": "id: LIC-001\nproduct: X\ntype: subscription\nowner: IT\nexpiry_date: 2026-01-01\n" }, "Add", "2026-03-05");
    const gh = await cli(["validate", join(top, "governance"), "--format", "github", "--today", TODAY]);
    expect(gh.stdout).toMatch(/^::error file=governance\/licences\/a\.yaml,line=5,/m);
    const sarif = JSON.parse((await cli(["validate", join(top, "governance"), "--format", "sarif", "--today", TODAY])).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("governance/licences/a.yaml");
    // text and JSON stay relative to the policy root, as SPEC §2 says
    expect(JSON.parse((await cli(["validate", join(top, "governance"), "--format", "json", "--today", TODAY])).stdout).findings[0].file).toBe("licences/a.yaml");
  });
});
