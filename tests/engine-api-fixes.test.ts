import { describe, expect, it } from "vitest";
import { load, type Finding, type TextEdit, type Workspace } from "../src/engine/index.js";
import { policy, useTempRepos } from "./helpers/repo.js";

const today = "2026-06-01";
const { repo } = useTempRepos("policyops-api-fix-");

/** Applies edits computed on one text (as an editor does: from the end backwards). */
function apply(text: string, edits: TextEdit[]): string {
  for (const e of [...edits].sort((a, b) => b.range.offset - a.range.offset)) text = text.slice(0, e.range.offset) + e.newText + text.slice(e.range.endOffset);
  return text;
}

/** The finding of `code` on `file` with its suggestions; applies the one named `messageId`, re-validates, returns the new text and findings. */
async function fix(ws: Workspace, file: string, code: string, messageId: string): Promise<{ finding: Finding; text: string; after: Finding[] }> {
  const finding = ws.findingsFor(file, { suggest: true }).find((f) => f.code === code);
  expect(finding, `${code} on ${file}`).toBeDefined();
  const suggestion = finding!.suggest?.find((s) => s.messageId === messageId);
  expect(suggestion, `${messageId} offered for ${code}: ${JSON.stringify(finding!.suggest)}`).toBeDefined();
  for (const e of suggestion!.edits) {
    expect(e.file).toBe(file);
    // Line/column and offsets describe the same span.
    const before = ws.text(file)!.slice(0, e.range.offset).split("\n");
    expect([e.range.line, e.range.column]).toEqual([before.length, before[before.length - 1]!.length + 1]);
  }
  const text = apply(ws.text(file)!, suggestion!.edits);
  ws.update(file, text);
  return { finding: finding!, text, after: ws.findingsFor(file) };
}

const withComment = (doc: string) => doc.replace("owner: IT Director\n", "owner: IT Director # the CIO's deputy\n");

describe("engine API: quick fixes as data (apply the edits, re-validate, the finding is gone, comments intact)", () => {
  it("review/overdue offers markReviewed: last_reviewed becomes today", async () => {
    const doc = withComment(policy("POL-001").replace("last_reviewed: 2026-03-01", "last_reviewed: 2024-01-01").replace("approved_on: 2026-03-01", "approved_on: 2024-01-01"));
    const ws = await load(repo({ "policies/a.md": doc }), { today, git: false });
    const { finding, text, after } = await fix(ws, "policies/a.md", "review/overdue", "markReviewed");
    expect(finding.suggest![0]!.title).toBe("Mark as reviewed today (`2026-06-01`)");
    expect(text).toContain("last_reviewed: 2026-06-01\n");
    expect(text).toContain("# the CIO's deputy");
    expect(after.map((f) => f.code)).not.toContain("review/overdue");
  });

  it("approval/missing offers recordApproval: approved_on today and approved_by the owner, added as new lines", async () => {
    const doc = withComment(policy("POL-001").replace("approved_by: IT Director\n", "").replace("approved_on: 2026-03-01\n", ""));
    const ws = await load(repo({ "policies/a.md": doc }), { today, git: false });
    const { text, after } = await fix(ws, "policies/a.md", "approval/missing", "recordApproval");
    expect(text).toMatch(/\napproved_on: 2026-06-01\n/);
    expect(text).toMatch(/\napproved_by: IT Director\n/);
    expect(text).toContain("owner: IT Director # the CIO's deputy\n");
    expect(after).toEqual([]);
  });

  it("approval/stale offers recordApproval and bumpVersion (version 1.0 → 1.1 with approval today)", async () => {
    const { execFileSync } = await import("node:child_process");
    const root = repo({ "policies/a.md": withComment(policy("POL-001")) });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, env: { ...process.env, GIT_AUTHOR_DATE: "2026-04-01T12:00:00Z", GIT_COMMITTER_DATE: "2026-04-01T12:00:00Z" } });
    git("init", "-q");
    git("-c", "user.name=t", "-c", "user.email=t@x", "add", "-A");
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "add"], { cwd: root, env: { ...process.env, GIT_AUTHOR_DATE: "2026-02-01T12:00:00Z", GIT_COMMITTER_DATE: "2026-02-01T12:00:00Z" } });
    const { writeFileSync } = await import("node:fs");
    writeFileSync(`${root}/policies/a.md`, withComment(policy("POL-001")).replace("What.", "What changed."));
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "change"], { cwd: root, env: { ...process.env, GIT_AUTHOR_DATE: "2026-04-01T12:00:00Z", GIT_COMMITTER_DATE: "2026-04-01T12:00:00Z" } });
    const ws = await load(root, { today });
    const stale = ws.findingsFor("policies/a.md", { suggest: true }).find((f) => f.code === "approval/stale");
    expect(stale?.suggest?.map((s) => [s.messageId, s.title])).toEqual([
      ["recordApproval", "Record approval today (`2026-06-01`)"],
      ["bumpVersion", "Bump version to `1.1` and record approval today"],
    ]);
    const { text, after } = await fix(ws, "policies/a.md", "approval/stale", "bumpVersion");
    expect(text).toContain('version: "1.1"\n');
    expect(text).toContain("approved_on: 2026-06-01\n");
    expect(text).toContain("# the CIO's deputy");
    expect(after.map((f) => f.code)).not.toContain("approval/stale");
  });

  it("schema/required offers addRequired with the schema's example, keeping the other lines", async () => {
    const lic = "# Microsoft 365\nid: LIC-001\nproduct: M365 # E3 plan\nowner: IT\ntype: subscription\nexpiry_date: 2027-01-31\n";
    const ws = await load(repo({ "licences/m365.yaml": lic.replace("type: subscription\n", "") }), { today, git: false });
    const { finding, text, after } = await fix(ws, "licences/m365.yaml", "schema/required", "addRequired");
    expect(finding.suggest![0]!.title).toBe("Add the missing field `type`");
    expect(text).toBe("# Microsoft 365\nid: LIC-001\nproduct: M365 # E3 plan\nowner: IT\nexpiry_date: 2027-01-31\ntype: subscription\n");
    expect(after.map((f) => f.code)).not.toContain("schema/required");
  });

  it("schema/pattern on `version: 1` offers quoteVersion: `\"1.0\"`", async () => {
    const ws = await load(repo({ "policies/a.md": withComment(policy("POL-001").replace('version: "1.0"', "version: 1 # first")) }), { today, git: false });
    const { text, after } = await fix(ws, "policies/a.md", "schema/pattern", "quoteVersion");
    expect(text).toContain('version: "1.0" # first\n');
    expect(after).toEqual([]);
  });

  it("id/duplicate offers nextFreeId: the id after the highest in use with the same prefix", async () => {
    const ws = await load(repo({ "policies/a.md": policy("POL-001"), "policies/b.md": withComment(policy("POL-001")), "policies/c.md": policy("POL-007") }), { today, git: false });
    const { finding, text, after } = await fix(ws, "policies/b.md", "id/duplicate", "nextFreeId");
    expect(finding.suggest![0]!.title).toBe("Use the next free id `POL-008`");
    expect(text).toContain("id: POL-008\n");
    expect(text).toContain("# the CIO's deputy");
    expect(after).toEqual([]);
  });

  it("a misspelt key (schema/additional-properties) offers didYouMean, renaming the key and keeping its value and comment", async () => {
    const ws = await load(repo({ "policies/a.md": withComment(policy("POL-001", "tagz: [a] # mine\n")) }), { today, git: false });
    const { text, after } = await fix(ws, "policies/a.md", "schema/additional-properties", "didYouMean");
    expect(text).toContain("tags: [a] # mine\n");
    expect(after).toEqual([]);
  });

  it("a misspelt control (control/unknown) offers didYouMean, replacing only the control part of the value", async () => {
    const ws = await load(repo({ "policies/a.md": policy("POL-001", "controls:\n  - NIST-CSF-2.0:GV.OC-1 # context\n") }), { today, git: false });
    const found = ws.findingsFor("policies/a.md").find((f) => f.code === "control/unknown");
    expect(found?.message).toContain("did you mean");
    const { text, after } = await fix(ws, "policies/a.md", "control/unknown", "didYouMean");
    expect(text).toMatch(/- NIST-CSF-2\.0:GV\.OC-0?1\S* # context\n/);
    expect(after.map((f) => f.code)).not.toContain("control/unknown");
  });

  it("a misspelt anchor (link/broken) offers didYouMean, replacing only the fragment of the link", async () => {
    const body = "## Purpose\n\nSee [scope](#scop \"the scope\") and [b](b.md).\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n";
    const ws = await load(repo({ "policies/a.md": withComment(policy("POL-001", "", body)), "policies/b.md": "x" }), { today, git: false });
    const { text, after } = await fix(ws, "policies/a.md", "link/broken", "didYouMean");
    expect(text).toContain('See [scope](#scope "the scope") and [b](b.md).');
    expect(text).toContain("# the CIO's deputy");
    expect(after.map((f) => f.code)).not.toContain("link/broken");
  });

  it("findings carry no suggest unless asked, so SPEC §3's JSON is unchanged", async () => {
    const ws = await load(repo({ "policies/a.md": policy("POL-001", "tagz: [a]\n") }), { today, git: false });
    expect(ws.findings().some((f) => "suggest" in f)).toBe(false);
    expect(ws.findingsFor("policies/a.md", { suggest: true })[0]!.suggest?.[0]?.messageId).toBe("didYouMean");
  });
});
