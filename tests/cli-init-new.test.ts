import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { controlsFromOscal, load, type OscalCatalog } from "../src/engine/index.js";
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
    const r = await cli(["init", target, "--today", "2026-11-22"]);
    expect(r.status).toBe(0);
    for (const f of ["policyops.yaml", ".gitignore", ".github/workflows/policyops.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml", ".vscode/extensions.json", "policies", "sops"]) expect(existsSync(join(target, f)), f).toBe(true);
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

describe("policyops new checks what it writes", () => {
  it("refuses a manual for a system that does not exist (--system SYS-NOPE): exit 2, the reason, nothing written", async () => {
    const root = writeRepo(dir(), { "systems/s.yaml": "id: SYS-001\nname: ERP\nowner: IT\n" });
    const r = await cli(["new", "manual", "--title", "ERP guide", "--system", "SYS-NOPE", root, "--today", "2026-11-22"]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      "policyops: the new manual would not validate (ref/unknown at line 7: `system` names `SYS-NOPE`, but no document has that id; correct the id or add the document); change the options, nothing was written",
    );
    expect(existsSync(join(root, "manuals"))).toBe(false);
  });

  it("refuses an empty --owner instead of writing an invalid draft", async () => {
    const root = writeRepo(dir(), { "policies/x.md": "---\nid: POL-001\n---\n" });
    const r = await cli(["new", "policy", "--title", "Backup", "--owner", "", root]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("policyops: the new policy would not validate (schema/min-length at line 6: `owner` must not be empty); change the options, nothing was written");
    expect(readdirSync(join(root, "policies"))).toEqual(["x.md"]);
  });
});

describe("policyops import-catalog", () => {
  const OSCAL = join(PROJECT, "src", "engine", "domain", "frameworks", "catalogs", "source", "nist-csf-2.0-catalog.oscal.json");

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

  it("imports every control at any depth with its parent: enhancements and nested controls kept, withdrawn ones skipped", async () => {
    const prop = (value: string) => [{ name: "status", value }];
    const catalogue = {
      catalog: {
        uuid: "0000-test",
        metadata: { title: "Mini 800-53", version: "5.1" },
        groups: [
          {
            id: "ac",
            class: "family",
            title: "Access Control",
            controls: [
              { id: "ac-1", class: "SP800-53", title: "Policy and Procedures" },
              {
                id: "ac-2",
                class: "SP800-53",
                title: "Account Management",
                controls: [
                  { id: "ac-2.1", class: "SP800-53-enhancement", title: "Automated System Account Management" },
                  { id: "ac-2.2", class: "SP800-53-enhancement", title: "Withdrawn enhancement", props: prop("withdrawn") },
                  { id: "ac-2.3", class: "SP800-53-enhancement", title: "Disable Accounts", controls: [{ id: "ac-2.3.a", title: "Deeper still" }] },
                ],
              },
              { id: "ac-13", class: "SP800-53", title: "Supervision and Review", props: prop("withdrawn"), controls: [{ id: "ac-13.1", title: "Under a withdrawn control" }] },
            ],
          },
        ],
      },
    };
    const root = writeRepo(dir(), {
      "mini.json": JSON.stringify(catalogue),
      "policies/a.md": `---\nid: POL-001\ntitle: A\nversion: "1.0"\nstatus: draft\nowner: IT\ncontrols: [MINI-53:ac-2, MINI-53:ac-2.1, MINI-53:ac-2.3.a, MINI-53:ac-2.2]\n---\n## Purpose\n## Scope\n## Policy\n`,
    });
    const r = await cli(["import-catalog", join(root, "mini.json"), "--id", "MINI-53", root]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe("Wrote frameworks/MINI-53.yaml: 5 controls.");
    const written = parse(readFileSync(join(root, "frameworks/MINI-53.yaml"), "utf8")) as { controls: { id: string; title: string; parent?: string }[] };
    expect(written.controls).toEqual([
      { id: "ac-1", title: "Policy and Procedures" },
      { id: "ac-2", title: "Account Management" },
      { id: "ac-2.1", title: "Automated System Account Management", parent: "ac-2" },
      { id: "ac-2.3", title: "Disable Accounts", parent: "ac-2" },
      { id: "ac-2.3.a", title: "Deeper still", parent: "ac-2.3" },
    ]);
    // Only the withdrawn enhancement is unknown: the base control and the nested ones are controls.
    const findings = (await load(root, { today: "2026-11-22" })).findings();
    expect(findings.map((f) => `${f.code} ${f.message}`)).toEqual(["control/unknown Control `ac-2.2` is not in `MINI-53` (did you mean `ac-2.1`?); use an id from the catalogue."]);
  });

  it("keeps CSF 2.0's categories out: the built-in NIST catalogue still gives its 106 subcategories, each under no parent control", () => {
    const controls = controlsFromOscal(JSON.parse(readFileSync(OSCAL, "utf8")) as OscalCatalog);
    expect(controls).toHaveLength(106);
    expect(controls.some((c) => c.id === "GV.OC" || c.id === "PR.AA")).toBe(false);
    expect(controls.every((c) => c.parent === undefined)).toBe(true);
    expect(controls[0]).toMatchObject({ id: "GV.OC-01", path: ["GV", "GV.OC"] });
  });

  it("rejects a bad id, a file that is not JSON and JSON that is not a catalogue", async () => {
    const root = writeRepo(dir(), { "x.json": "{ nope", "y.json": '{"profile": {}}' });
    expect((await cli(["import-catalog", OSCAL, "--id", "lower-case", root])).status).toBe(2);
    expect((await cli(["import-catalog", join(root, "x.json"), "--id", "X-1", root])).stderr).toMatch(/cannot read .* as JSON/);
    expect((await cli(["import-catalog", join(root, "y.json"), "--id", "X-1", root])).stderr).toMatch(/not an OSCAL catalogue/);
  });
});
