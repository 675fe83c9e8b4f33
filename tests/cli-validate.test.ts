import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { policy, runCli, useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos();

const licence = (extra: string) => `id: LIC-001\nproduct: Office\ntype: subscription\nowner: IT\nexpiry_date: 2026-07-10\nrenewal_notice_days: 30\n${extra}`;

describe("policyops validate: exit codes (SPEC §3)", () => {
  it("exits 0 on a clean repository and prints a summary", async () => {
    const root = repo({ "policies/a.md": policy("POL-001") });
    const r = runCli(["validate", root, "--today", "2026-06-30"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("1 document checked, no problems");
  });

  it("exits 1 on an error, and prints file:line:col severity message code", async () => {
    const root = repo({ "licences/a.yaml": licence("").replace("2026-07-10", "2026-06-01") });
    const r = runCli(["validate", root, "--today", "2026-06-30"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^licences\/a\.yaml:5:14 error Licence for `Office` expired on `2026-06-01` \(29 days ago\).* licence\/expired$/m);
  });

  it("--fail-on decides which severity fails; --max-warnings caps warnings", async () => {
    const root = repo({ "licences/a.yaml": licence("") }); // 10 days left: renewal-due warning
    expect((await cli(["validate", root, "--today", "2026-06-30"])).status).toBe(0);
    expect((await cli(["validate", root, "--today", "2026-06-30", "--fail-on", "warning"])).status).toBe(1);
    expect((await cli(["validate", root, "--today", "2026-06-30", "--max-warnings", "0"])).status).toBe(1);
    expect((await cli(["validate", root, "--today", "2026-06-30", "--max-warnings", "1"])).status).toBe(0);
    // info (expiring) only fails with --fail-on info
    expect((await cli(["validate", root, "--today", "2026-05-30", "--fail-on", "warning"])).status).toBe(0);
    expect((await cli(["validate", root, "--today", "2026-05-30", "--fail-on", "info"])).status).toBe(1);
  });

  it("takes today from POLICYOPS_TODAY when --today is absent", async () => {
    const root = repo({ "licences/a.yaml": licence("") });
    const r = await cli(["validate", root, "--format", "json"], { env: { POLICYOPS_TODAY: "2026-08-01" } });
    const out = JSON.parse(r.stdout);
    expect(out.today).toBe("2026-08-01");
    expect(out.findings.map((f: { code: string }) => f.code)).toEqual(["licence/expired"]);
  });

  it.each([
    [["validate", "--format", "xml"], /format/],
    [["validate", "--bogus"], /unknown option/],
    [["validate", "--today", "2026-02-30"], /today/],
    [["validate", "--fail-on", "fatal"], /fail-on/],
    [["validate", "--max-warnings", "many"], /max-warnings/],
    [["validate", "/no/such/dir"], /does not exist/],
    [["frobnicate"], /unknown command/],
  ])("usage error %j exits 2 with one clear line", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe("");
  });

  it("an invalid policyops.yaml is a usage error naming file, line and reason", async () => {
    const root = repo({ "policyops.yaml": "version: 1\nreviews:\n  default_cycle_months: 99\n", "policies/a.md": policy("POL-001") });
    const r = await cli(["validate", root]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^policyops: policyops\.yaml:3:25: `reviews\.default_cycle_months` must be <= 60; got `99`\. \(schema\/maximum\)$/);
  });

  it("a policyops.yaml that does not parse, or is a directory, or names an unknown rule, exits 2", async () => {
    expect((await cli(["validate", repo({ "policyops.yaml": "rules: [unclosed\n" })])).stderr).toMatch(/policyops\.yaml:\d+:\d+: YAML syntax error/);
    const dirRoot = repo({ "policies/a.md": policy("POL-001") });
    mkdirSync(join(dirRoot, "policyops.yaml"));
    const r = await cli(["validate", dirRoot]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/policyops\.yaml:1:1: is a directory/);
    const unknown = await cli(["validate", repo({ "policyops.yaml": "rules:\n  review/overdo: off\n" })]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/policyops\.yaml:2:3: unknown rule `review\/overdo`/);
  });

  it("--config points at another config file", async () => {
    const root = repo({ "licences/a.yaml": licence(""), "ci/strict.yaml": "rules:\n  licence/renewal-due: error\n" });
    expect((await cli(["validate", root, "--today", "2026-06-30"])).status).toBe(0);
    expect((await cli(["validate", root, "--today", "2026-06-30", "--config", join(root, "ci/strict.yaml")])).status).toBe(1);
  });

  it("severity overrides in policyops.yaml change or silence a rule", async () => {
    const root = repo({ "licences/a.yaml": licence(""), "policyops.yaml": "rules:\n  licence/renewal-due: off\n" });
    const out = JSON.parse((await cli(["validate", root, "--today", "2026-06-30", "--format", "json"])).stdout);
    expect(out.findings).toEqual([]);
  });
});

describe("policyops validate: output", () => {
  it("--format json has exactly SPEC §3's shape", async () => {
    const root = repo({ "policies/a.md": policy("POL-001", "", "## Purpose\n\nx\n"), "licences/m365.yaml": licence("").replace("2026-07-10", "2026-01-01") });
    const r = await cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["version", "today", "summary", "documents", "findings"]);
    expect(out.version).toBe(1);
    expect(out.summary).toEqual({ documents: 2, errors: 3, warnings: 0, infos: 0 });
    expect(out.documents).toEqual([
      { id: "LIC-001", kind: "licence", file: "licences/m365.yaml", title: "Office" },
      { id: "POL-001", kind: "policy", file: "policies/a.md", title: "Policy POL-001" },
    ]);
    for (const f of out.findings) expect(Object.keys(f)).toEqual(["code", "severity", "message", "file", "line", "column", "endLine", "endColumn", "docId"]);
    expect(out.findings[0]).toEqual({ code: "licence/expired", severity: "error", message: expect.stringContaining("expired on `2026-01-01`"), file: "licences/m365.yaml", line: 5, column: 14, endLine: 5, endColumn: 24, docId: "LIC-001" });
    expect(out.findings.slice(1).map((f: { code: string; line: number }) => `${f.code}@${f.line}`)).toEqual(["sections/missing@11", "sections/missing@11"]);
  });

  it("colours only on a TTY: never when piped, never with NO_COLOR", async () => {
    const root = repo({ "licences/a.yaml": licence("") });
    const piped = runCli(["validate", root, "--today", "2026-06-30"]);
    expect(piped.stdout).not.toMatch(/\u001b\[/);
    const noColor = runCli(["validate", root, "--today", "2026-06-30"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(noColor.stdout).not.toMatch(/\u001b\[/);
  });

  it("--help lists the rule codes and exits 0", async () => {
    const r = await cli(["validate", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("review/overdue");
    expect(r.stdout).toContain("--fail-on");
  });
});

describe("policyops validate --cache", () => {
  it("reuses parse results, notices edits, survives a moved checkout and ignores a corrupt cache", async () => {
    const root = repo({ "policies/a.md": policy("POL-001"), "licences/a.yaml": licence("") });
    const first = await cli(["validate", root, "--today", "2026-06-30", "--format", "json", "--cache"]);
    const cacheFile = join(root, ".policyops-cache", "cache.v8");
    expect(readFileSync(cacheFile).length).toBeGreaterThan(0);
    const warm = await cli(["validate", root, "--today", "2026-06-30", "--format", "json", "--cache"]);
    expect(warm.stdout).toBe(first.stdout);
    // An edit that adds an error must show up despite the cache.
    writeFileSync(join(root, "licences/a.yaml"), licence("seats: 1\nassigned: 5\n"));
    const edited = JSON.parse((await cli(["validate", root, "--today", "2026-06-30", "--format", "json", "--cache"])).stdout);
    expect(edited.findings.map((f: { code: string }) => f.code)).toContain("licence/over-allocated");
    // A corrupt cache is ignored, not trusted.
    writeFileSync(cacheFile, "garbage");
    const afterCorrupt = await cli(["validate", root, "--today", "2026-06-30", "--format", "json", "--cache"]);
    expect(afterCorrupt.status).toBe(1);
    expect(JSON.parse(afterCorrupt.stdout)).toEqual(edited);
  });
});

describe("policyops validate: hostile files give findings, never a crash", () => {
  it("symlink loops, links out of the repo and unreadable files", async () => {
    const root = repo({ "policies/a.md": policy("POL-001") });
    symlinkSync("loop.md", join(root, "policies/loop.md"));
    symlinkSync("/etc/hostname", join(root, "policies/outside.md"));
    symlinkSync("../policies", join(root, "policies/self"));
    writeFileSync(join(root, "policies/secret.md"), policy("POL-002"));
    chmodSync(join(root, "policies/secret.md"), 0o000);
    const r = await cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    const codes = out.findings.map((f: { file: string; code: string }) => `${f.file} ${f.code}`);
    expect(codes).toContain("policies/loop.md file/unreadable");
    expect(codes).toContain("policies/outside.md file/unreadable");
    // root can read anything, so only check the permission case when not root
    if (process.getuid?.() !== 0) expect(codes).toContain("policies/secret.md file/unreadable");
  });
});

describe("policyops.yaml entries that name frameworks and controls (SPEC §1)", () => {
  const CONFIG = 'frameworks: [NIST-CSF-2]\nnot_applicable:\n  - { control: "NIST-CSF-2.0:PR.PS-6", reason: "no platform of our own" }\n';
  const controls = 'controls:\n  - "NIST-CSF-2.0:PR.PS-06"\n';

  it("an unknown framework or not_applicable control is control/unknown on policyops.yaml at the entry, with did-you-mean, in text, json and sarif", () => {
    const root = repo({ "policyops.yaml": CONFIG, "policies/a.md": policy("POL-001", controls) });
    const text = runCli(["validate", root, "--today", "2026-06-30"]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("policyops.yaml:1:14 error `frameworks` lists `NIST-CSF-2`, which is not a known framework (did you mean `NIST-CSF-2.0`?); correct it, add `frameworks/NIST-CSF-2.yaml`, or remove the entry. control/unknown");
    expect(text.stdout).toContain("policyops.yaml:3:16 error `not_applicable` names control `PR.PS-6`, which is not in `NIST-CSF-2.0` (did you mean `PR.PS-06`?); use an id from the catalogue or remove the entry. control/unknown");
    const json = JSON.parse(runCli(["validate", root, "--today", "2026-06-30", "--format", "json"]).stdout);
    const onConfig = json.findings.filter((f: { file: string }) => f.file === "policyops.yaml");
    expect(onConfig.map(({ message, ...rest }: { message: string }) => rest)).toEqual([
      { code: "control/unknown", severity: "error", file: "policyops.yaml", line: 1, column: 14, endLine: 1, endColumn: 24, docId: null },
      { code: "control/unknown", severity: "error", file: "policyops.yaml", line: 3, column: 16, endLine: 3, endColumn: 38, docId: null },
    ]);
    const sarif = JSON.parse(runCli(["validate", root, "--today", "2026-06-30", "--format", "sarif"]).stdout);
    const locations = sarif.runs[0].results.map((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }) =>
      `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}:${r.locations[0]!.physicalLocation.region.startColumn}`);
    expect(locations).toEqual(["control/unknown policyops.yaml:1:14", "control/unknown policyops.yaml:3:16"]);
  });

  it("a repository catalogue makes a configured framework known; `rules: {control/unknown: off}` silences the config findings too", () => {
    const fw = "id: NIST-CSF-2\ntitle: Local copy\nowner: IT\ncontrols:\n  - { id: PR.PS-06, title: x }\n";
    const known = repo({ "policyops.yaml": "frameworks: [NIST-CSF-2]\n", "frameworks/local.yaml": fw, "policies/a.md": policy("POL-001") });
    expect(runCli(["validate", known, "--today", "2026-06-30"]).status).toBe(0);
    const off = repo({ "policyops.yaml": CONFIG + "rules: { control/unknown: off }\n", "policies/a.md": policy("POL-001") });
    expect(runCli(["validate", off, "--today", "2026-06-30"]).status).toBe(0);
  });

  it("compliance with an unknown configured framework exits 0, reports the known ones and names the unknown one on stderr", () => {
    const root = repo({ "policyops.yaml": "frameworks: [NIST-CSF-2.0, NIST-CSF-2]\n", "policies/a.md": policy("POL-001", controls) });
    const r = runCli(["compliance", root, "--today", "2026-06-30", "--format", "json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).map((f: { framework: string }) => f.framework)).toEqual(["NIST-CSF-2.0"]);
    expect(r.stderr).toContain("framework `NIST-CSF-2` under `frameworks` in policyops.yaml is not a known catalogue, so it is left out; known frameworks: `NIST-CSF-2.0`.");
    // An unknown --framework is still a usage error.
    expect(runCli(["compliance", root, "--framework", "NOPE-1"]).status).toBe(2);
  });

  it("a config key typo gets did-you-mean; the `x-` advice only where `x-` keys are allowed, and top-level `x-` keys are allowed", () => {
    const top = runCli(["validate", repo({ "policyops.yaml": "framework: [NIST-CSF-2.0]\n" })]);
    expect(top.status).toBe(2);
    expect(top.stderr).toContain("policyops.yaml:1:1: Unknown field `framework` (did you mean `frameworks`?); correct its spelling or remove it, or prefix it with `x-` to keep your own data.");
    const nested = runCli(["validate", repo({ "policyops.yaml": "licences:\n  horizon_dys: 30\n" })]);
    expect(nested.status).toBe(2);
    expect(nested.stderr).toContain("policyops.yaml:2:3: Unknown field `licences.horizon_dys` (did you mean `horizon_days`?); correct its spelling or remove it. (schema/additional-properties)");
    expect(nested.stderr).not.toContain("x-");
    const rule = runCli(["validate", repo({ "policyops.yaml": "rules:\n  link/broke: off\n" })]);
    expect(rule.stderr).toContain("unknown rule `link/broke` under `rules` (did you mean `link/broken`?)");
    expect(runCli(["validate", repo({ "policyops.yaml": "x-team: infrastructure\n", "policies/a.md": policy("POL-001") }), "--today", "2026-06-30"]).status).toBe(0);
  });
});
