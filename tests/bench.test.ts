/**
 * The benchmark harness (bench/, run by `npm run bench`, not by `npm test`) is honest:
 * its floor does exactly the work it claims, peers are credited only for defects in their
 * scope with a matching class of message, and a run leaves the corpus as generated, with no
 * cache behind. Performance itself is measured by `npm run bench`, never asserted here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { GEN_CORPUS, PROJECT, tempDir, writeRepo } from "./helpers/repo.js";

const BENCH = join(PROJECT, "bench");
const load = (file: string) => import(pathToFileURL(join(BENCH, file)).href);
const node = (args: string[], cwd?: string) => spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 1 << 28 });

const FRONT = (id: string) => `---\nid: ${id}\ntitle: T\nversion: "1.0"\nstatus: active\nowner: IT\n---\n`;

describe("bench floor", () => {
  it("the floor tokenizes only the bodies the engine tokenizes (folders given by --always, and bodies holding `[` or `<`), and reads no file at the top level", () => {
    const { dir, cleanup } = tempDir("policyops-bench-floor-");
    try {
      writeRepo(dir, {
        "README.md": "# Not governed [link](x.md)\n",
        "policyops.yaml": "paths: {}\n",
        "policies/p.md": `${FRONT("POL-001")}\n# P\n\n## Purpose\n\nNo link here.\n`,
        "manuals/plain.md": `${FRONT("MAN-001")}\n# Plain\n\nNo link, no HTML: the engine does not tokenize this body.\n`,
        "manuals/linked.md": `${FRONT("MAN-002")}\n# Linked\n\nSee [the policy](../policies/p.md).\n`,
        "licences/l.yaml": "id: LIC-001\n",
      });
      const floor = node([join(BENCH, "floor.mjs"), "floor", dir, "--always", "policies"]);
      expect(floor.stderr).toBe("");
      const out = JSON.parse(floor.stdout.trim());
      expect(out).toMatchObject({ mode: "floor", files: 4, bodies: 2 });
      // The baseline does more: every body.
      const baseline = JSON.parse(node([join(BENCH, "floor.mjs"), "micromark", dir, "--always", "policies"]).stdout.trim());
      expect(baseline).toMatchObject({ mode: "micromark", files: 4, bodies: 3 });
      // The warm run's floor stats the same files and reads none of them.
      expect(JSON.parse(node([join(BENCH, "floor.mjs"), "stat", dir]).stdout.trim())).toMatchObject({ mode: "stat", files: 4, bodies: 0, bytes: out.bytes });
      const usage = node([join(BENCH, "floor.mjs"), "everything", dir]);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toContain("usage: node bench/floor.mjs <start|stat|read|floor|micromark|unified> ROOT");
    } finally {
      cleanup();
    }
  });
});

describe("bench peers", () => {
  it("ajv-cli's `must be string` on dates read as YAML 1.1 timestamps is not credited as finding a licence defect", async () => {
    const { standaloneSchemas, ajvMessages, credit } = await load("peers.mjs");
    const { dir, cleanup } = tempDir("policyops-bench-peers-");
    try {
      writeRepo(dir, {
        "licences/licence-00001.yaml": "id: LIC-00001\nproduct: Office\nvendor: VEN-001\nseats: 10\nstart_date: 2025-01-01\nexpiry_date: 2026-01-01\nowner: IT\n",
      });
      const schemas = standaloneSchemas(join(dir, ".peer-schemas"));
      const r = node([join(PROJECT, "node_modules", "ajv-cli", "dist", "index.js"), "validate", "-s", schemas.licence, "-d", "licences/*.yaml", "-c", "ajv-formats", "--all-errors", "--errors=line", "--strict=false"], dir);
      const messages = ajvMessages(r.stdout + r.stderr);
      // ajv-cli does flag the file (the old harness credited it with the expired licence)…
      expect(messages).toContainEqual(expect.objectContaining({ file: "licences/licence-00001.yaml", class: "schema/type", text: "/expiry_date must be string" }));
      const expected = [
        { code: "licence/expired", file: "licences/licence-00001.yaml", line: 6 },
        { code: "schema/enum", file: "policies/policy-00001.md", line: 5 },
      ];
      const inScope = (e: { code: string; file: string }) => e.file.startsWith("licences/") && (e.code.startsWith("schema/") || e.code === "parse/yaml");
      // …but no defect of its scope and class is there: found 0 of 0, every message "other".
      expect(credit(messages, expected, inScope)).toEqual({ found: 0, of: 0, other: messages.length });
    } finally {
      cleanup();
    }
  });

  it("a peer is credited with an in-scope defect only for a message of the same class on the same file and line", async () => {
    const { remarkMessages, credit } = await load("peers.mjs");
    const remark = [
      "policies/policy-00207.md",
      "5:9-5:18 warning Must be equal to one of the allowed values: `draft`, `review` • /x/.peer-schemas/policy.schema.json • #/properties/status/enum frontmatter-schema remark-lint",
      "",
      "policies/policy-00300.md",
      "2:1-2:9 warning Must match pattern • /x/.peer-schemas/policy.schema.json • #/properties/id/pattern frontmatter-schema remark-lint",
    ].join("\n");
    const messages = remarkMessages(remark);
    expect(messages.map((m: { file: string; line: number; class: string }) => [m.file, m.line, m.class])).toEqual([
      ["policies/policy-00207.md", 5, "schema/enum"],
      ["policies/policy-00300.md", 2, "schema/pattern"],
    ]);
    const expected = [
      { code: "schema/enum", file: "policies/policy-00207.md", line: 5 },
      { code: "schema/enum", file: "policies/policy-00300.md", line: 5 }, // same file, other class and line: not found
      { code: "link/broken", file: "policies/policy-00207.md", line: 20 }, // out of scope
    ];
    const inScope = (e: { code: string }) => e.code.startsWith("schema/");
    expect(credit(messages, expected, inScope)).toEqual({ found: 1, of: 2, other: 1 });
  });
});

describe("bench expected findings", () => {
  it("the benchmark expects SPEC §2's renewal model on an auto-renewing licence the generator labels `licence/expired`, exactly as policyops reports it", async () => {
    const { applyRenewalModel } = await load("expected.mjs");
    const { dir, cleanup } = tempDir("policyops-bench-expected-");
    try {
      const licence = (id: string, autoRenew: boolean) =>
        `id: ${id}\nproduct: suite ${id}\ntype: subscription\nowner: IT Director\nseats: 10\nassigned: 4\nstart_date: 2025-06-14\nexpiry_date: 2026-06-14\nrenewal_notice_days: 60\nauto_renew: ${autoRenew}\n`;
      writeRepo(dir, { "licences/licence-00280.yaml": licence("LIC-00280", true), "licences/licence-00281.yaml": licence("LIC-00281", false) });
      const generated = [
        { code: "licence/expired", file: "licences/licence-00280.yaml", line: 8 },
        { code: "licence/expired", file: "licences/licence-00281.yaml", line: 8 },
      ];
      const expected = await applyRenewalModel(dir, "2026-06-30", generated);
      expect(expected).toEqual([
        { code: "licence/renewed", file: "licences/licence-00280.yaml", line: 8 },
        { code: "licence/expired", file: "licences/licence-00281.yaml", line: 8 },
      ]);
      const r = node([join(PROJECT, "bin", "policyops.js"), "validate", dir, "--format", "json", "--today", "2026-06-30"]);
      const reported = (JSON.parse(r.stdout).findings as { code: string; file: string; line: number; message: string }[]).filter((f) => f.code.startsWith("licence/"));
      expect(reported.map((f) => ({ code: f.code, file: f.file, line: f.line }))).toEqual(expected);
      expect(reported[0]!.message).toContain("renewed automatically on `2026-06-14`");
    } finally {
      cleanup();
    }
  });
});

describe("bench run", () => {
  it("a benchmark run leaves the corpus byte-identical to a fresh one, creates no cache in it, regenerates a corpus left dirty, and shows min / median / max with the load average", async () => {
    const { fingerprint } = await load("run.mjs");
    const { dir, cleanup } = tempDir("policyops-bench-run-");
    try {
      const fresh = join(dir, "fresh");
      node([GEN_CORPUS, "--out", fresh, "--docs", "40", "--seed", "7", "--today", "2026-06-30"]);
      const out = join(dir, "results.md");
      const r = node([join(BENCH, "run.mjs"), "--docs", "40", "--runs", "2", "--corpus-root", join(dir, "corpus"), "--out", out, "--no-peers", "--no-curve", "--no-pathological", "--no-incremental", "--no-site"]);
      expect(r.stderr).not.toMatch(/Error|at .+:\d+:\d+/);
      expect(r.status).toBe(0);
      const corpus = join(dir, "corpus", "40-seed7");
      expect(fingerprint(corpus)).toBe(fingerprint(fresh));
      expect(readdirSync(corpus).filter((n) => n.startsWith(".") || n === "node_modules")).toEqual([]);
      const md = readFileSync(out, "utf8");
      expect(md).toMatch(/\*\*Load average\*\* \(1, 5, 15 min\) [\d.]+, [\d.]+, [\d.]+ at the start/);
      expect(md).toContain("Times are **min / median / max** of 2 runs");
      expect(md).toMatch(/\| \*\*floor\*\*: read \+ tokenize the bodies the engine tokenizes \(\d+ of them\)/);
      expect(md).toContain("## Baselines (more work than policyops: reference only, not floors)");
      expect(md).toMatch(/\| cold, default [^|]*\| [\d.]+ \/ \*\*[\d.]+\*\* \/ [\d.]+ s \|/);
      expect(md).toMatch(/cache\n\(`\.policyops-cache` inside the copy\)/);
      // Served warm runs went to a daemon of the bench's own (servedRuns checks its count) and gave the uncached output.
      expect(md).toMatch(/\| warm `--cache`, one file changed, served by `policyops daemon` \(CPU: client \+ daemon; peak RSS: the client\) \| [\d.]+ \/ \*\*[\d.]+\*\* \/ [\d.]+ s \| [\d.]+ \/ \*\*[\d.]+\*\*/);
      expect(md).toContain("the last served run's JSON equals an uncached run's");
      expect(md).toMatch(/since the previous run \|[^\n]*\n\| warm `--cache`, one file changed, served/); // one table
      expect(existsSync(join(BENCH, ".corpus", "40-seed7"))).toBe(false);

      // A corpus an older harness left dirty (an appended SOP, a cache) is regenerated first.
      const sop = join(corpus, "sops", readdirSync(join(corpus, "sops")).sort()[0]!);
      writeFileSync(sop, readFileSync(sop, "utf8") + "\nEdited for the warm benchmark, run 0.\n");
      mkdirSync(join(corpus, ".policyops-cache"));
      const again = node([join(BENCH, "run.mjs"), "--docs", "40", "--runs", "1", "--corpus-root", join(dir, "corpus"), "--out", out, "--no-peers", "--no-curve", "--no-pathological", "--no-incremental", "--no-site"]);
      expect(again.status).toBe(0);
      expect(again.stderr).toContain(`corpus ${corpus} is not as the generator wrote it: regenerating`);
      expect(fingerprint(corpus)).toBe(fingerprint(fresh));
    } finally {
      cleanup();
    }
  }, 300_000);
});
