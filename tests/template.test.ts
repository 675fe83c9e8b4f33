import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";
import { parse } from "yaml";
import { BUILTIN_KINDS, formatDay, load, parseDay } from "../src/engine/index.js";
import { localToday } from "../src/engine/model/dates.js";
import { TEMPLATE_AS_OF } from "../src/cli/commands/init.js";
import pkg from "../package.json" with { type: "json" };
import { PROJECT, runCli, templateDocumentCount, useTempRepos } from "./helpers/repo.js";

const TEMPLATE = join(PROJECT, "policies-template");
const { dir } = useTempRepos("policyops-template-");

const files = (root: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(root, p));
    }
  };
  walk(root);
  return out;
};
const shift = (day: string, days: number) => formatDay(parseDay(day)! + days);

describe("policies-template", () => {
  it("validates with no finding at all today and for the next three months", async () => {
    expect(TEMPLATE_AS_OF).toBe("2026-11-22");
    for (const today of ["2026-11-22", "2027-01-31", "2027-02-15"]) {
      const ws = await load(TEMPLATE, { today });
      expect(ws.findings(), today).toEqual([]);
    }
  });

  it("has at least one document of every built-in kind (catalogues are built in: NIST CSF 2.0)", async () => {
    const ws = await load(TEMPLATE, { today: "2026-11-22" });
    const kinds = new Set(ws.documents().map((d) => d.kind));
    // Every built-in kind but the catalogues (NIST-CSF-2.0 is built in, so the template needs no framework record).
    expect([...kinds].sort()).toEqual(BUILTIN_KINDS.defs.filter((d) => !d.traits.includes("catalogue")).map((d) => d.kind).sort());
  });

  it("the README's main command works: validate exits 0", async () => {
    const r = runCli(["validate", TEMPLATE, "--today", "2026-11-22"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${templateDocumentCount()} documents checked, no problems`);
  });

  it("the CI workflow, the GitLab job and the pre-commit hook run the pinned package version, never a bare `npx policyops`", () => {
    for (const f of [".github/workflows/policyops.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"]) {
      const text = readFileSync(join(TEMPLATE, f), "utf8");
      const runs = text.split("\n").filter((l) => /npx /.test(l) && !l.trimStart().startsWith("#"));
      expect(runs.length, f).toBeGreaterThan(0);
      for (const l of runs) expect(l, f).toContain(`npx --yes policyops@${pkg.version} validate`);
    }
  });

  it("the pre-commit hook runs on every commit, with the cache (a daemon, when one runs, serves it)", () => {
    const config = parseYaml(readFileSync(join(TEMPLATE, ".pre-commit-config.yaml"), "utf8")) as { repos: { hooks: { entry: string; always_run?: boolean; files?: string }[] }[] };
    const hook = config.repos[0]!.hooks[0]!;
    expect(hook.entry).toMatch(/ validate --cache /);
    expect(hook.always_run).toBe(true);
    expect(hook.files).toBeUndefined();
  });
});

describe("policyops init dates the repository for the day it is made", () => {
  it("is clean on the day it is made and 60 days later, whatever the day: leap days, month ends, years ahead", async () => {
    const in3Years = shift(localToday(), 3 * 365 + 1);
    for (const today of ["2027-06-15", "2028-02-29", "2030-12-31", in3Years]) {
      const target = join(dir(), "gov");
      const r = runCli(["init", target, "--today", today]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`dated for ${today}`);
      for (const day of [today, shift(today, 60)]) expect((await load(target, { today: day })).findings(), `${today} → ${day}`).toEqual([]);
      // Approvals and reviews are in the past, expiries ahead: what a real repository looks like.
      const ws = await load(target, { today });
      for (const d of ws.allFacts()) {
        for (const key of ["approved_on", "last_reviewed", "effective_date"]) {
          const v = d.values[key];
          if (typeof v === "string") expect(v <= today, `${d.file} ${key} ${v} ≤ ${today}`).toBe(true);
        }
      }
    }
  }, 120_000);

  it("POLICYOPS_TODAY dates it when --today is absent; only the dates move, every comment and quote stays", () => {
    const target = join(dir(), "gov");
    const r = runCli(["init", target], { env: { POLICYOPS_TODAY: "2027-12-01" } });
    expect(r.status, r.stderr).toBe(0);
    const days = parseDay("2027-12-01")! - parseDay(TEMPLATE_AS_OF)!;
    const template = readFileSync(join(TEMPLATE, "licences/microsoft-365-e3.yaml"), "utf8");
    const made = readFileSync(join(target, "licences/microsoft-365-e3.yaml"), "utf8");
    expect(made).toBe(template.replace(/\d{4}-\d{2}-\d{2}/g, (d) => shift(d, days)));
    expect(made).not.toBe(template);
    expect(parse(made).expiry_date).toBe(shift(parse(template).expiry_date as string, days));
    // A date-time's day moves too (an incident's detected_at), its time and offset stay.
    const incident = readdirSync(join(TEMPLATE, "incidents")).find((f) => f.endsWith(".md"))!;
    const front = (text: string) => parse(text.split("---\n")[1]!) as Record<string, string>;
    const was = front(readFileSync(join(TEMPLATE, "incidents", incident), "utf8"));
    const now = front(readFileSync(join(target, "incidents", incident), "utf8"));
    expect(was.detected_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(now.detected_at).toBe(shift(was.detected_at!.slice(0, 10), days) + was.detected_at!.slice(10));
    // On the template's own day nothing changes at all.
    const same = join(dir(), "same");
    runCli(["init", same, "--today", TEMPLATE_AS_OF]);
    expect(readFileSync(join(same, "licences/microsoft-365-e3.yaml"), "utf8")).toBe(template);
  });

  it("--org puts the organisation's name in place of Example Org everywhere, and the result validates", async () => {
    const target = join(dir(), "gov");
    const r = runCli(["init", target, "--org", "Acme Widgets Ltd", "--today", "2027-03-01"]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(target, "README.md"), "utf8").split("\n")[0]).toBe("# Acme Widgets Ltd IT governance repository");
    expect(readFileSync(join(target, "policyops.yaml"), "utf8")).toContain("Acme Widgets Ltd does not develop software in-house.");
    for (const f of files(target)) expect(readFileSync(join(target, f), "utf8"), f).not.toContain("Example Org");
    expect((await load(target, { today: "2027-03-01" })).findings()).toEqual([]);
    const bad = runCli(["init", join(dir(), "x"), "--org", "Acme\nLtd"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('policyops: --org `Acme?Ltd` is not a usable name; give one line of 1 to 100 characters, e.g. --org "Acme Ltd"');
  });

  it("writes a .gitignore that keeps the cache, node_modules and CI reports out of git", () => {
    const target = join(dir(), "gov");
    expect(runCli(["init", target]).status).toBe(0);
    const ignore = readFileSync(join(target, ".gitignore"), "utf8");
    for (const line of [".policyops-cache/", "node_modules/", "policyops.sarif", "policyops-junit.xml"]) expect(ignore.split("\n")).toContain(line);
    expect(spawnSync("git", ["init", "-q"], { cwd: target }).status).toBe(0);
    expect(spawnSync("git", ["check-ignore", "-q", ".policyops-cache/x.json"], { cwd: target }).status).toBe(0);
  });

  it("npm run demo cannot break with the calendar: it exits 0 three years from today", async () => {
    const today = shift(localToday(), 3 * 365);
    const count = (await load(TEMPLATE, { today: TEMPLATE_AS_OF })).documents().length;
    const r = spawnSync(process.execPath, [join(PROJECT, "scripts", "demo.mjs")], { cwd: PROJECT, encoding: "utf8", env: { ...process.env, POLICYOPS_TODAY: today, NO_COLOR: "1" } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${templateDocumentCount()} documents checked, no problems (today is ${today}).`);
    expect(r.stdout).toMatch(/0 expired, 0 renewal-due/);
    // The demo keeps the site it built for the user to open; the test removes it.
    const site = /The auditors' site: open (file:\S+)\/index\.html/.exec(r.stdout)?.[1];
    expect(site).toBeDefined();
    const siteDir = fileURLToPath(site!);
    expect(readFileSync(join(siteDir, "index.html"), "utf8")).toContain("<h1>Governance documents</h1>");
    rmSync(siteDir, { recursive: true, force: true });
    expect(readFileSync(join(PROJECT, "package.json"), "utf8")).toContain('"demo": "npm run build && node scripts/demo.mjs"');
  });
});
