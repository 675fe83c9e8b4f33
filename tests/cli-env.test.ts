/**
 * The CLI reads its environment and working directory only through `main(argv, io)`'s io,
 * and the engine never reads process.env: what lets tests run the CLI in-process.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import { cli } from "./helpers/cli.js";
import { policy, useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos();
const licence = "id: LIC-001\nproduct: Office\ntype: subscription\nowner: IT\nexpiry_date: 2026-07-10\nrenewal_notice_days: 30\n";

describe("the CLI in-process: env and cwd come from main's io", () => {
  it("resolves a relative root and a relative --config against io.cwd, not the process's", async () => {
    const root = repo({ "licences/a.yaml": licence, "ci/strict.yaml": "rules:\n  licence/renewal-due: error\n" });
    const r = await cli(["validate", ".", "--today", "2026-06-30", "--config", "ci/strict.yaml", "--format", "json"], { cwd: root });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { file: string; severity: string; code: string }) => `${f.file} ${f.severity} ${f.code}`)).toEqual(["licences/a.yaml error licence/renewal-due"]);
  });

  it("writes `new` and `init` relative to io.cwd", async () => {
    const root = repo({ "policies/a.md": policy("POL-001") });
    const made = await cli(["new", "policy", "--title", "Backup", "--today", "2026-06-30"], { cwd: root });
    expect(made.stdout).toBe("Created policies/backup.md (POL-002).\n");
    expect(existsSync(join(root, "policies/backup.md"))).toBe(true);
    const init = await cli(["init", "governance"], { cwd: root });
    expect(init.status, init.stderr).toBe(0);
    expect(existsSync(join(root, "governance/policyops.yaml"))).toBe(true);
  });

  it("takes POLICYOPS_TODAY from io.env for the reports too", async () => {
    const r = await cli(["licences", repo({ "licences/a.yaml": licence }), "--format", "json"], { env: { POLICYOPS_TODAY: "2026-07-20" } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ id: "LIC-001", status: "expired", days_left: -10 }]);
  });

  it("rejects a POLICYOPS_WORKERS that is not a number of threads with a one-line usage error, before reading anything", async () => {
    const r = await cli(["validate", repo({ "policies/a.md": policy("POL-001") }), "--today", "2026-06-30"], { env: { POLICYOPS_WORKERS: "two" } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("policyops: invalid `POLICYOPS_WORKERS` value `two`: use a whole number of threads from 1 to 1024, or unset it\n");
  });
});

describe("the engine does not read process.env", () => {
  const saved = process.env.POLICYOPS_TODAY;
  afterEach(() => {
    if (saved === undefined) delete process.env.POLICYOPS_TODAY;
    else process.env.POLICYOPS_TODAY = saved;
  });

  it("load() ignores POLICYOPS_TODAY: only its today option or the local date count", async () => {
    const root = repo({ "policies/a.md": policy("POL-001") });
    process.env.POLICYOPS_TODAY = "1999-01-01";
    expect((await load(root, { today: "2026-06-30", git: false })).today).toBe("2026-06-30");
    expect((await load(root, { git: false })).today).not.toBe("1999-01-01");
  });
});
