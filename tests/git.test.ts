import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { load } from "../src/engine/index.js";
import { mayBeInGit } from "../src/engine/io/git-history.js";
import { parseSequentially } from "../src/engine/facts/read.js";
import { nodeHost } from "../src/engine/io/node-host.js";
import { gitRepo } from "./helpers/git.js";
import { cli } from "./helpers/cli.js";
import { policy, PROJECT, runCli, tempDir } from "./helpers/repo.js";

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
    // SPEC §2: the finding points at the `approved_on` value
    expect(findings.map((f) => [f.code, f.line, f.column, f.endColumn, f.severity])).toEqual([["approval/stale", 8, 14, 24, "warning"]]);
    expect(findings[0]!.message).toBe(
      `The document changed after its approval on \`2026-03-01\` (1 commit since, latest \`${changed.slice(0, 7)}\` on \`2026-04-15\`: "Tweak wording"); have the change approved and record the new \`approved_on\` and \`approved_by\`, or revert it.`,
    );
  });

  it("a version bump alone does not clear a change; only a newer approved_on does", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-02-01");
    await commit({ "policies/a.md": approvedPolicy("1.0", "Rewritten.") }, "Rewrite", "2026-04-15");
    const bump = await commit({ "policies/a.md": approvedPolicy("1.1", "Rewritten.") }, "Bump version", "2026-04-16");
    const stale = (await load(root, { today: TODAY })).findings();
    expect(stale.map((f) => f.code)).toEqual(["approval/stale"]);
    // the bump is itself a change to the approved document (its version), so it counts and is the latest
    expect(stale[0]!.message).toContain(`(2 commits since, latest \`${bump.slice(0, 7)}\` on \`2026-04-16\``);
    await commit({ "policies/a.md": approvedPolicy("1.1", "Rewritten.").replace("approved_on: 2026-03-01", "approved_on: 2026-04-20") }, "Record approval of 1.1", "2026-04-20");
    expect((await load(root, { today: TODAY })).findings()).toEqual([]);
  });

  it("a rename after an unapproved change does not launder it (git mv in a second commit, or a move with a rewrite)", async () => {
    const root = dir();
    const { commit, git } = await gitRepo(root);
    await commit({ "policies/old-name.md": approvedPolicy("1.0") }, "Add", "2026-02-01");
    const edit = await commit({ "policies/old-name.md": approvedPolicy("1.0", "Unapproved rewrite.") }, "Edit", "2026-04-15");
    await git.mv("policies/old-name.md", "policies/a.md");
    await commit({}, "Rename", "2026-04-16");
    const ws = await load(root, { today: TODAY });
    expect(ws.history("policies/a.md").map((c) => [c.subject, c.status])).toEqual([["Rename", "R"], ["Edit", "M"], ["Add", "A"]]);
    const findings = ws.findings();
    expect(findings.map((f) => [f.code, f.file, f.line])).toEqual([["approval/stale", "policies/a.md", 8]]);
    expect(findings[0]!.message).toContain(`(1 commit since, latest \`${edit.slice(0, 7)}\` on \`2026-04-15\`: "Edit")`);
    // a move whose content changed too much for git to call it a rename is paired by id
    const body = Array.from({ length: 40 }, (_, i) => `Completely new line ${i}.`).join("\n\n");
    await commit({ "policies/a.md": null, "policies/moved/elsewhere.md": approvedPolicy("1.0", body) }, "Move and rewrite", "2026-05-01");
    const moved = await load(root, { today: TODAY });
    expect(moved.history("policies/moved/elsewhere.md").map((c) => c.subject)).toEqual(["Move and rewrite", "Rename", "Edit", "Add"]);
    expect(moved.findings().map((f) => [f.code, f.file])).toEqual([["approval/stale", "policies/moved/elsewhere.md"]]);
    expect(moved.findings()[0]!.message).toContain("(2 commits since, latest");
  });

  it("compares the front matter of both revisions, not diff lines: body lines `version:` and `approved_by:` are body text", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    const sample = (v: string, by: string) => `Example record:\n\n\`\`\`yaml\nversion: ${v}\napproved_by: ${by}\n\`\`\``;
    await commit({ "policies/a.md": approvedPolicy("1.0", sample("1", "a")) }, "Add", "2026-02-01");
    await commit({ "policies/a.md": approvedPolicy("1.0", sample("2", "b")) }, "Change the sample", "2026-04-15");
    expect((await load(root, { today: TODAY })).findings().map((f) => f.code)).toEqual(["approval/stale"]);
    // front-matter bookkeeping rewritten (reordered, re-quoted) is still only bookkeeping
    const root2 = dir();
    const second = await gitRepo(root2);
    await second.commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-02-01");
    const rewritten = approvedPolicy("1.0").replace("approved_by: IT Director\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\n", "last_reviewed: '2026-05-01'\napproved_on: 2026-03-01\napproved_by: \"CIO\"\n");
    await second.commit({ "policies/a.md": rewritten }, "Annual review", "2026-05-01");
    expect((await load(root2, { today: TODAY })).findings()).toEqual([]);
  });

  it("says that a shallow clone's history was not checked instead of silently dropping approval/stale (real git clone --depth 1)", async () => {
    const origin = dir();
    const { commit } = await gitRepo(origin);
    await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-02-01");
    await commit({ "policies/a.md": approvedPolicy("1.0", "Unapproved.") }, "Edit", "2026-04-15");
    const full = runCli(["validate", origin, "--format", "json", "--today", TODAY]);
    expect(JSON.parse(full.stdout).findings.map((f: { code: string }) => f.code)).toEqual(["approval/stale"]);
    expect(full.stderr).toBe("");
    const clone = join(dir(), "clone");
    const cloned = spawnSync("git", ["clone", "-q", "--depth", "1", `file://${origin}`, clone], { encoding: "utf8" });
    expect(cloned.status, cloned.stderr).toBe(0);
    const note = "policyops: note: git history is shallow; approval/stale was not checked (fetch full history, e.g. `fetch-depth: 0`)\n";
    for (const format of ["text", "json", "sarif", "github", "junit"]) {
      const r = runCli(["validate", clone, "--format", format, "--today", TODAY]);
      expect(r.stderr, format).toBe(note);
      expect(r.status, format).toBe(0);
    }
    expect((await load(clone, { today: TODAY })).notices()).toEqual([note.slice("policyops: note: ".length, -1)]);
    // --cache, then the full history is fetched (HEAD does not move): the rule now runs
    expect(runCli(["validate", clone, "--cache", "--today", TODAY]).stderr).toBe(note);
    const unshallow = spawnSync("git", ["fetch", "-q", "--unshallow"], { cwd: clone, encoding: "utf8" });
    expect(unshallow.status, unshallow.stderr).toBe(0);
    const after = runCli(["validate", clone, "--cache", "--format", "json", "--today", TODAY]);
    expect([after.stderr, JSON.parse(after.stdout).findings.map((f: { code: string }) => f.code)]).toEqual(["", ["approval/stale"]]);
    // turned off in the config: nothing to say
    writeFileSync(join(clone, "policyops.yaml"), "rules: { approval/stale: off }\n");
    spawnSync("git", ["fetch", "-q", "--depth", "1"], { cwd: clone }); // shallow again
    expect(spawnSync("git", ["rev-parse", "--is-shallow-repository"], { cwd: clone, encoding: "utf8" }).stdout.trim()).toBe("true");
    expect(runCli(["validate", clone, "--today", TODAY]).stderr).toBe("");
    // the template's CI fetches full history, so the note never shows there
    const workflow = readFileSync(join(PROJECT, "policies-template/.github/workflows/policyops.yml"), "utf8");
    const checkouts = workflow.split("- uses: ").filter((step) => step.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const step of checkouts) expect(step).toMatch(/^\s+fetch-depth: 0\b/m);
    expect(readFileSync(join(PROJECT, "policies-template/.gitlab-ci.yml"), "utf8")).toMatch(/GIT_DEPTH: "0"/);
  });

  it("is quiet after a new approval, when only review dates changed, for the commit adding the file, and for retired documents", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    // added after approval: not a change to an approved text
    await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-03-05");
    // recording a review is bookkeeping, not a content change
    await commit({ "policies/a.md": approvedPolicy("1.0").replace("last_reviewed: 2026-03-01", "last_reviewed: 2026-04-01") }, "Annual review", "2026-04-01");
    expect((await load(root, { today: TODAY })).findings()).toEqual([]);
    // a content change with a version bump and a new approval
    await commit({ "policies/a.md": approvedPolicy("1.1", "New text.").replace("last_reviewed: 2026-03-01", "last_reviewed: 2026-04-01").replace("approved_on: 2026-03-01", "approved_on: 2026-05-01") }, "Revise", "2026-05-01");
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
    expect(ws.history("policies/a.md").map((c) => [c.subject, c.status])).toEqual([["Change", "M"], ["Rename", "R"], ["Add", "A"]]);
    expect(ws.findings().map((f) => f.code)).toEqual(["approval/stale"]);
    const plain = dir();
    mkdirSync(join(plain, "policies"));
    writeFileSync(join(plain, "policies/a.md"), approvedPolicy("1.0"));
    const outside = await load(plain, { today: TODAY });
    expect(outside.git).toBeNull();
    expect(outside.history("policies/a.md")).toEqual([]);
  });

  it("starts git only where it could find a repository: a .git in the folder or above it, or GIT_DIR", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    const hash = await commit({ "handbook/policies/a.md": approvedPolicy("1.0") }, "Add", "2026-02-01");
    const inner = join(root, "handbook");
    expect(mayBeInGit(inner)).toBe(true);
    // A policy repository in a subfolder of a checkout still gets its history.
    expect((await load(inner, { today: TODAY })).history("policies/a.md").map((c) => c.hash)).toEqual([hash]);
    const plain = dir();
    expect(mayBeInGit(plain)).toBe(false);
    const saved = process.env.GIT_DIR;
    process.env.GIT_DIR = join(root, ".git");
    try {
      expect(mayBeInGit(plain)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.GIT_DIR;
      else process.env.GIT_DIR = saved;
    }
  });

  it("lets git's processes run while files are parsed on this thread: the parse turns the event loop", async () => {
    const root = dir();
    const files = Array.from({ length: 400 }, (_, i) => ({ file: `policies/p${i}.md`, kind: "policy" as const }));
    mkdirSync(join(root, "policies"));
    for (const [i, f] of files.entries()) writeFileSync(join(root, f.file), policy(`POL-${String(i).padStart(3, "0")}`));
    let turns = 0;
    let parsing = true;
    const tick = () => {
      turns++;
      if (parsing) setImmediate(tick);
    };
    setImmediate(tick);
    const started = performance.now();
    const results = await parseSequentially(root, files, nodeHost);
    const took = performance.now() - started;
    parsing = false;
    expect(results).toHaveLength(400);
    // A turn about every 20 ms of parsing (at least one every 40 ms, whatever the machine's
    // load); a parse that never yields would end before the first turn.
    expect(turns).toBeGreaterThanOrEqual(Math.max(1, Math.floor(took / 40)));
  });

  it("exposes per-document history (commits, authors, dates, messages) for the site", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    const first = await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add access policy", "2026-02-01");
    const second = await commit({ "policies/a.md": approvedPolicy("1.1", "v2") }, "Revise: MFA for all", "2026-03-01");
    const ws = await load(root, { today: TODAY });
    expect(ws.history("policies/a.md")).toEqual([
      { hash: second, date: "2026-03-01", timestamp: "2026-03-01T10:00:00+00:00", author: "Ada Admin", email: "ada@example.org", subject: "Revise: MFA for all", status: "M" },
      { hash: first, date: "2026-02-01", timestamp: "2026-02-01T10:00:00+00:00", author: "Ada Admin", email: "ada@example.org", subject: "Add access policy", status: "A" },
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

  it("reports findings elsewhere only when the change made them appear (not an id/duplicate that existed at REF), and counts cleared ones in the text summary", async () => {
    const root = dir();
    const { commit, git } = await gitRepo(root);
    await commit({
      "policies/a.md": approvedPolicy("1.0"),
      "policies/b.md": approvedPolicy("1.0"), // POL-001 twice: id/duplicate on b.md, already on main
      "sops/s.md": sop("SOP-001", "POL-009"), // names a policy that does not exist yet: ref/unknown
    }, "Baseline", "2026-03-05");
    await git.checkoutLocalBranch("feature");
    // the pull request edits a.md (still POL-001) and adds POL-009, which clears the SOP's ref/unknown
    await commit({
      "policies/a.md": approvedPolicy("1.0", "Edited on the branch.").replace("approved_on: 2026-03-01", "approved_on: 2026-03-06"),
      "policies/new.md": approvedPolicy("1.0").replace("POL-001", "POL-009").replace("## Scope", "## Skope"),
    }, "PR", "2026-03-06");
    const json = runCli(["validate", root, "--format", "json", "--today", TODAY, "--changed-since", "main"]);
    const out = JSON.parse(json.stdout);
    expect(out.findings.map((f: { file: string; code: string; message: string }) => [f.file, f.code, f.message])).toEqual([
      ["policies/new.md", "sections/missing", "The required section `## Scope` is missing; add it to the document body."],
    ]);
    expect(Object.keys(out)).toEqual(["version", "today", "summary", "documents", "findings"]); // SPEC §3's shape, nothing added
    expect(out.summary).toMatchObject({ errors: 1, warnings: 0, infos: 0 });
    const text = runCli(["validate", root, "--today", TODAY, "--changed-since", "main"]);
    expect(text.stdout).not.toMatch(/id\/duplicate/);
    expect(text.stdout).toContain("policyops: 1 finding elsewhere cleared by this change (compared with `main`).\n");
    // a change that makes a finding appear in an unchanged file is reported there
    await git.checkout(["-q", "-b", "third"]);
    await commit({ "policies/new.md": null }, "Drop POL-009 again", "2026-03-07");
    const broke = runCli(["validate", root, "--format", "json", "--today", TODAY, "--changed-since", "feature"]);
    expect(JSON.parse(broke.stdout).findings.map((f: { file: string; code: string; message: string }) => [f.file, f.code, f.message])).toEqual([
      ["sops/s.md", "ref/unknown", "`policies` names `POL-009`, but no document has that id; correct the id or add the document."],
    ]);
    expect(runCli(["validate", root, "--today", TODAY, "--changed-since", "feature"]).stdout).not.toMatch(/cleared/);
  });

  it("an unknown or empty ref is a one-line usage error (exit 2); outside git everything is reported", async () => {
    const root = dir();
    writeFileSync(join(root, "x.txt"), "");
    const outside = await cli(["validate", root, "--changed-since", "main"]);
    expect(outside.status).toBe(0);
    return gitRepo(root).then(async ({ commit }) => {
      await commit({ "policies/a.md": approvedPolicy("1.0") }, "Add", "2026-03-05");
      const bad = await cli(["validate", root, "--changed-since", "no-such-ref"]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe("policyops: --changed-since: unknown git ref `no-such-ref`; name a branch, tag or commit of this repository (fetch it first in a shallow or single-branch clone)\n");
      expect(bad.stdout).toBe("");
      const empty = runCli(["validate", root, "--changed-since", ""]);
      expect([empty.status, empty.stdout, empty.stderr]).toEqual([2, "", "policyops: --changed-since needs a git ref, e.g. `origin/main`; it was empty\n"]);
    });
  });

  it("reports every finding, with a note on stderr, when the repository at REF cannot be validated (its policyops.yaml is invalid)", async () => {
    const root = dir();
    const { commit, git } = await gitRepo(root);
    await commit({ "policyops.yaml": "version: 1\nbogus: true\n", "policies/a.md": approvedPolicy("1.0"), "policies/b.md": approvedPolicy("1.0") }, "Baseline", "2026-03-05");
    await git.checkoutLocalBranch("fix");
    await commit({ "policyops.yaml": "version: 1\n" }, "Fix the config", "2026-03-06");
    const r = runCli(["validate", root, "--format", "json", "--today", TODAY, "--changed-since", "main"]);
    expect(JSON.parse(r.stdout).findings.map((f: { file: string; code: string }) => `${f.file} ${f.code}`)).toEqual(["policies/b.md id/duplicate"]);
    expect(r.stderr).toMatch(/^policyops: note: the repository at `main` could not be validated \(.*bogus.*\), so every finding is reported\n$/);
  });

  it("compares with REF when the policy root is a folder inside the repository", async () => {
    const top = dir();
    const { commit, git } = await gitRepo(top);
    await commit({ "governance/policies/a.md": approvedPolicy("1.0"), "governance/policies/b.md": approvedPolicy("1.0") }, "Baseline", "2026-03-05");
    await git.checkoutLocalBranch("feature");
    await commit({ "governance/policies/a.md": approvedPolicy("1.0", "Edited.").replace("approved_on: 2026-03-01", "approved_on: 2026-03-06") }, "Edit", "2026-03-06");
    const r = runCli(["validate", join(top, "governance"), "--format", "json", "--today", TODAY, "--changed-since", "main"]);
    // b.md's id/duplicate was there at REF: not reported; a.md has nothing to report
    expect([r.status, JSON.parse(r.stdout).findings]).toEqual([0, []]);
  });

  it("reports files with non-ASCII names (café.md), which git would C-quote", async () => {
    const root = dir();
    const { commit, git } = await gitRepo(root);
    await commit({ "policies/a.md": approvedPolicy("1.0") }, "Baseline", "2026-03-05");
    await git.checkoutLocalBranch("feature");
    await commit({ "policies/café.md": approvedPolicy("1.0").replace("POL-001", "POL-002").replace("## Scope", "## Skope") }, "Add the café policy", "2026-03-06");
    writeFileSync(join(root, "policies/naïve.md"), approvedPolicy("1.0").replace("POL-001", "POL-003").replace("## Policy\n", "## Poliicy\n")); // untracked
    const r = runCli(["validate", root, "--format", "json", "--today", TODAY, "--changed-since", "main"]);
    expect(JSON.parse(r.stdout).findings.map((f: { file: string; code: string; message: string }) => [f.file, f.code, f.message])).toEqual([
      ["policies/café.md", "sections/missing", "The required section `## Scope` is missing; add it to the document body."],
      ["policies/naïve.md", "sections/missing", "The required section `## Policy` is missing; add it to the document body."],
    ]);
  });

  it("in a submodule, GitHub and SARIF paths are relative to the superproject's checkout (real git submodule add)", async () => {
    const policies = dir();
    const sub = await gitRepo(policies);
    const licence = "id: LIC-001\nproduct: X\ntype: subscription\nowner: IT\nexpiry_date: 2026-01-01\n";
    await sub.commit({ "licences/a.yaml": licence, "governance/licences/a.yaml": licence }, "Add", "2026-03-05");
    const top = dir();
    const sup = await gitRepo(top);
    await sup.commit({ "README.md": "superproject\n" }, "Init", "2026-03-05");
    const added = spawnSync("git", ["-c", "protocol.file.allow=always", "submodule", "add", "-q", policies, "vendor/policies"], { cwd: top, encoding: "utf8" });
    expect(added.status, added.stderr).toBe(0);
    await sup.commit({}, "Add policies as a submodule", "2026-03-06");
    const root = join(top, "vendor/policies/governance");
    const gh = runCli(["validate", root, "--format", "github", "--today", TODAY]);
    expect(gh.stdout).toMatch(/^::error file=vendor\/policies\/governance\/licences\/a\.yaml,line=5,/m);
    const sarif = JSON.parse(runCli(["validate", root, "--format", "sarif", "--today", TODAY]).stdout);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("vendor/policies/governance/licences/a.yaml");
    // the submodule's own root as the policy root
    const own = runCli(["validate", join(top, "vendor/policies"), "--format", "github", "--today", TODAY]);
    expect(own.stdout).toMatch(/^::error file=vendor\/policies\/licences\/a\.yaml,line=5,/m);
    // text and JSON stay relative to the policy root
    expect(JSON.parse(runCli(["validate", root, "--format", "json", "--today", TODAY]).stdout).findings[0].file).toBe("licences/a.yaml");
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
