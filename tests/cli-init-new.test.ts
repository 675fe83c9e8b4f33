import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import { cli } from "./helpers/cli.js";
import { PROJECT, tempDir, writeRepo } from "./helpers/repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir("policyops-init-");
  cleanups.push(t.cleanup);
  return t.dir;
};

describe("policyops init", () => {
  it("copies the whole template, dotfiles included, and the result validates clean", async () => {
    const target = join(dir(), "governance");
    const r = await cli(["init", target]);
    expect(r.status).toBe(0);
    for (const f of ["policyops.yaml", ".github/workflows/policyops.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml", ".vscode/extensions.json", "policies", "sops"]) expect(existsSync(join(target, f)), f).toBe(true);
    expect((await load(target, { today: "2026-11-22" })).findings()).toEqual([]);
  });

  it("refuses a non-empty folder without --force, and with --force keeps existing files", async () => {
    const target = dir();
    writeFileSync(join(target, "policyops.yaml"), "# mine\nversion: 1\n");
    const refused = await cli(["init", target]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/not empty; use --force/);
    const forced = await cli(["init", target, "--force"]);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(target, "policyops.yaml"), "utf8")).toBe("# mine\nversion: 1\n");
    expect(forced.stdout).toMatch(/kept 1 existing: policyops\.yaml/);
    expect(existsSync(join(target, "policies"))).toBe(true);
  });
});

describe("policyops new", () => {
  it("writes each kind with the next free id, as a draft that validates", async () => {
    const root = writeRepo(dir(), {
      "policies/a.md": "---\nid: POL-007\n---\n",
      "systems/s.yaml": "id: SYS-0042\nname: ERP\nowner: IT\n",
    });
    const made: string[] = [];
    for (const [kind, title] of [["policy", "Remote Working: Home & Travel"], ["sop", "Laptop rebuild"], ["manual", "ERP admin guide"], ["licence", "Zoom Pro"], ["vendor", "Zoom Inc"], ["system", "Video conferencing"]]) {
      const r = await cli(["new", kind!, "--title", title!, root, "--today", "2026-11-22"]);
      expect(r.status, r.stderr).toBe(0);
      made.push(r.stdout.trim());
    }
    expect(made).toEqual([
      "Created policies/remote-working-home-travel.md (POL-008).",
      "Created sops/laptop-rebuild.md (SOP-001).",
      "Created manuals/erp-admin-guide.md (MAN-001).",
      "Created licences/zoom-pro.yaml (LIC-001).",
      "Created vendors/zoom-inc.yaml (VEN-001).",
      "Created systems/video-conferencing.yaml (SYS-0043).",
    ]);
    expect(readFileSync(join(root, "policies/remote-working-home-travel.md"), "utf8")).toContain('title: "Remote Working: Home & Travel"');
    expect(readFileSync(join(root, "manuals/erp-admin-guide.md"), "utf8")).toContain("system: SYS-0042");
    const fresh = (await load(root, { today: "2026-11-22" })).findings().filter((f) => !f.file.endsWith("a.md") && !f.file.endsWith("s.yaml"));
    expect(fresh).toEqual([]);
  });

  it("never overwrites: a second document with the same title gets its own file and id", async () => {
    const root = writeRepo(dir(), { "policies/x.md": "---\nid: POL-001\n---\n" });
    expect((await cli(["new", "policy", "--title", "Backup", root])).stdout.trim()).toBe("Created policies/backup.md (POL-002).");
    expect((await cli(["new", "policy", "--title", "Backup", root])).stdout.trim()).toBe("Created policies/backup-2.md (POL-003).");
  });

  it("rejects an unknown kind, an empty title and a manual without any system", async () => {
    const root = dir();
    mkdirSync(join(root, "policies"));
    expect((await cli(["new", "memo", "--title", "x", root])).status).toBe(2);
    expect((await cli(["new", "policy", "--title", "  ", root])).status).toBe(2);
    const manual = await cli(["new", "manual", "--title", "Guide", root]);
    expect(manual.status).toBe(2);
    expect(manual.stderr).toMatch(/--system/);
  });
});

describe("policyops import-catalog", () => {
  const OSCAL = join(PROJECT, "src", "engine", "catalogs", "source", "nist-csf-2.0-catalog.oscal.json");

  it("turns an OSCAL catalogue into frameworks/<ID>.yaml that documents can reference", async () => {
    const root = writeRepo(dir(), {
      "policies/a.md": `---\nid: POL-001\ntitle: A\nversion: "1.0"\nstatus: draft\nowner: IT\ncontrols: [CSF-LOCAL:PR.AA-01, CSF-LOCAL:PR.AC-01]\n---\n## Purpose\n## Scope\n## Policy\n`,
    });
    const r = await cli(["import-catalog", OSCAL, "--id", "CSF-LOCAL", root]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("Wrote frameworks/CSF-LOCAL.yaml: 106 controls.");
    const findings = (await load(root, { today: "2026-11-22" })).findings();
    // PR.AC-01 is a withdrawn CSF 1.1 id: not imported, so it is unknown
    expect(findings.map((f) => `${f.code} ${f.line}`)).toEqual(["control/unknown 7"]);
    expect((await cli(["import-catalog", OSCAL, "--id", "CSF-LOCAL", root])).status).toBe(2);
    expect((await cli(["import-catalog", OSCAL, "--id", "CSF-LOCAL", root, "--force"])).status).toBe(0);
  });

  it("rejects a bad id, a file that is not JSON and JSON that is not a catalogue", async () => {
    const root = writeRepo(dir(), { "x.json": "{ nope", "y.json": '{"profile": {}}' });
    expect((await cli(["import-catalog", OSCAL, "--id", "lower-case", root])).status).toBe(2);
    expect((await cli(["import-catalog", join(root, "x.json"), "--id", "X-1", root])).stderr).toMatch(/cannot read .* as JSON/);
    expect((await cli(["import-catalog", join(root, "y.json"), "--id", "X-1", root])).stderr).toMatch(/not an OSCAL catalogue/);
  });
});
