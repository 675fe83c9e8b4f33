import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, realpathSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import pkg from "../package.json" with { type: "json" };
import { PROJECT, runCli, templateDocumentCount, useTempRepos } from "./helpers/repo.js";

const { dir } = useTempRepos("policyops-package-");

/** Every file under `root` with its content, for comparing two trees exactly. */
const tree = (root: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, "utf8");
    }
  };
  walk(root);
  return out;
};

const npm = (args: string[], cwd: string) => {
  const r = spawnSync("npm", args, { cwd, encoding: "utf8", timeout: 300_000, env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

describe("the npm package", () => {
  it("is publishable and builds itself when packed: not private, a prepack build, the files the CLI needs", () => {
    expect((pkg as { private?: boolean }).private).toBeUndefined();
    expect(pkg.scripts.prepack).toBe("npm run build");
    expect(pkg.bin.policyops).toBe("bin/policyops.js");
    const dry = npm(["pack", "--dry-run", "--json", "--ignore-scripts"], PROJECT);
    expect(dry.status, dry.stderr).toBe(0);
    const paths = (JSON.parse(dry.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const p of ["bin/policyops.js", "dist/cli.js", "dist/engine.js", "dist/parse-worker.js", "dist/site-worker.js", "dist/site-search-worker.js", "dist/site-write-worker.js", "schemas/policy.schema.json", "policies-template/gitignore", "policies-template/.github/workflows/policyops.yml", "docs/fields.md"]) expect(paths, p).toContain(p);
    expect(paths.filter((p) => p.startsWith("src/") || p.startsWith("tests/"))).toEqual([]);
  });

  it("`npm pack` gives a tarball that installs into a fresh governance repository and runs there with nothing from the clone; its init writes exactly what the clone's writes", () => {
    const work = dir();
    const packed = npm(["pack", "--ignore-scripts", "--pack-destination", work, "--silent"], PROJECT);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = join(work, `policyops-${pkg.version}.tgz`);
    expect(statSync(tarball).isFile()).toBe(true);

    const repo = join(work, "governance");
    mkdirSync(repo);
    writeFileSync(join(repo, "package.json"), JSON.stringify({ name: "governance", private: true }) + "\n");
    const installed = npm(["install", "--save-dev", tarball, "--prefer-offline", "--no-audit", "--no-fund"], repo);
    expect(installed.status, installed.stderr).toBe(0);
    const pkgDir = realpathSync(join(repo, "node_modules", "policyops"));
    expect(relative(work, pkgDir).startsWith("..")).toBe(false);
    expect(JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version).toBe(pkg.version);

    // The installed binary, from the repository, as a department runs it.
    const bin = join(repo, "node_modules", ".bin", "policyops");
    const run = (args: string[]) => spawnSync(bin, args, { cwd: repo, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", POLICYOPS_TODAY: undefined } });
    const init = run(["init", "policies", "--today", "2026-11-22", "--org", "Acme Ltd"]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain(`npm install --save-dev policyops@${pkg.version}`);
    const validate = run(["validate", "policies", "--today", "2026-11-22"]);
    expect(validate.status, validate.stderr + validate.stdout).toBe(0);
    expect(validate.stdout).toContain(`${templateDocumentCount()} documents checked, no problems`);
    expect(run(["--version"]).stdout.trim()).toBe(pkg.version);
    const npx = spawnSync("npx", ["--no-install", "policyops", "compliance", "policies", "--format", "json", "--today", "2026-11-22"], { cwd: repo, encoding: "utf8" });
    expect(npx.status, npx.stderr).toBe(0);
    expect(JSON.parse(npx.stdout)[0].framework).toBe("NIST-CSF-2.0");

    // Same files, same bytes, as an init from this clone (the .gitignore included).
    const fromClone = join(work, "from-clone");
    expect(runCli(["init", fromClone, "--today", "2026-11-22", "--org", "Acme Ltd"]).status).toBe(0);
    const a = tree(join(repo, "policies"));
    expect(Object.keys(a)).toContain(".gitignore");
    expect(a).toEqual(tree(fromClone));
    expect(a[".github/workflows/policyops.yml"]).toContain(`npx --yes policyops@${pkg.version} validate --format sarif`);
  }, 300_000);
});
