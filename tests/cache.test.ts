import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { load, type FileResult } from "../src/engine/index.js";
import { ParseCache } from "../src/engine/io/run-cache.js";
import { parseSequentially } from "../src/engine/facts/read.js";
import { gitRepo } from "./helpers/git.js";
import { SCENARIO, SCENARIO_EDITS, type Edit } from "./helpers/scenario.js";
import { policy, tempDir, writeRepo } from "./helpers/repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir("policyops-cache-");
  cleanups.push(t.cleanup);
  return t.dir;
};

const FILES = {
  "policies/a.md": policy("POL-001"),
  "policies/b.md": policy("POL-002", "", "## Purpose\n"),
  "licences/l.yaml": "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\n",
};

async function run(root: string, cacheFile: string, engine = "test-engine") {
  const cache = new ParseCache(cacheFile, engine);
  let parsed = 0;
  const counting = async (...args: Parameters<typeof parseSequentially>): Promise<FileResult[]> => {
    parsed += args[1].length;
    return parseSequentially(...args);
  };
  const ws = await load(root, { today: "2026-06-30", parseAll: cache.parser(counting), previousGit: cache.git });
  const findings = ws.findings();
  cache.git = ws.git;
  cache.save();
  return { findings, parsed, stats: cache.stats };
}

describe("parse cache", () => {
  it("hits on size+mtime, on content hash after a copy (new mtimes), and re-parses what changed", async () => {
    const root = writeRepo(dir(), FILES);
    const cacheFile = join(dir(), "cache.v8");
    const cold = await run(root, cacheFile);
    expect(cold.parsed).toBe(3);
    const warm = await run(root, cacheFile);
    expect(warm.parsed).toBe(0);
    expect(warm.findings).toEqual(cold.findings);
    // A moved checkout: every mtime is new, the content is not.
    const moved = join(dir(), "moved");
    cpSync(root, moved, { recursive: true });
    const now = new Date(Date.now() + 60_000);
    for (const f of Object.keys(FILES)) utimesSync(join(moved, f), now, now);
    const afterMove = await run(moved, cacheFile);
    expect(afterMove.parsed).toBe(0);
    expect(afterMove.findings).toEqual(cold.findings);
    // One edit: one file parsed again, its new finding reported.
    writeFileSync(join(moved, "licences/l.yaml"), "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nseats: 1\nassigned: 2\n");
    const edited = await run(moved, cacheFile);
    expect(edited.parsed).toBe(1);
    expect(edited.findings.map((f) => f.code)).toContain("licence/over-allocated");
  });

  it("after a small change writes only a delta beside the base, and reads both back", async () => {
    const root = writeRepo(dir(), FILES);
    const cacheFile = join(dir(), "cache.v8");
    await run(root, cacheFile);
    const base = readFileSync(cacheFile);
    writeFileSync(join(root, "policies/b.md"), policy("POL-002"));
    const edited = await run(root, cacheFile);
    expect(edited.parsed).toBe(1);
    expect(readFileSync(cacheFile)).toEqual(base); // the base is untouched
    expect(existsSync(cacheFile.replace(/\.v8$/, ".delta.v8"))).toBe(true);
    const again = await run(root, cacheFile);
    expect(again.parsed).toBe(0); // the delta's entry is used
    expect(again.findings).toEqual(edited.findings);
    // A delta that belongs to another base is ignored.
    rmSync(cacheFile);
    const fresh = await run(root, cacheFile);
    expect(fresh.parsed).toBe(3);
  });

  it("ignores a cache from another build, and a corrupt or foreign file", async () => {
    const root = writeRepo(dir(), FILES);
    const cacheFile = join(dir(), "cache.v8");
    await run(root, cacheFile, "build-1");
    expect((await run(root, cacheFile, "build-2")).parsed).toBe(3);
    writeFileSync(cacheFile, "not a cache");
    expect((await run(root, cacheFile, "build-2")).parsed).toBe(3);
    writeFileSync(cacheFile, JSON.stringify({ magic: "policyops-cache", entries: {} }));
    expect((await run(root, cacheFile, "build-2")).parsed).toBe(3);
  });

  it("keeps git facts while HEAD stays, and reads them again after a commit", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    await commit(FILES, "Add", "2026-02-01");
    const cacheFile = join(dir(), "cache.v8");
    await run(root, cacheFile);
    const cached = new ParseCache(cacheFile, "test-engine").git!;
    expect(cached.history.get("policies/a.md")!.map((c) => c.subject)).toEqual(["Add"]);
    await commit({ "policies/a.md": policy("POL-001", "", "## Purpose\n\nNew.\n\n## Scope\n\n## Policy\n") }, "Quiet change", "2026-05-01");
    const after = await run(root, cacheFile);
    expect(after.findings.map((f) => `${f.file} ${f.code}`)).toContain("policies/a.md approval/stale");
  });
});

describe("rule results kept in the cache", () => {
  const BASE = SCENARIO;
  const EDITS: Edit[] = [
    ...SCENARIO_EDITS,
    // dates and config change what rules say without any document changing
    { file: "licences/l.yaml", content: "id: LIC-001\nproduct: X\ntype: subscription\nowner: IT\nexpiry_date: 2026-08-01\nagreement: agreements/x.md\n" },
    { file: "policyops.yaml", content: "licences:\n  horizon_days: 10\n" },
    { file: "policyops.yaml", content: "version: 1\n" },
    // config entries checked against catalogues that come and go (control/unknown on policyops.yaml)
    { file: "policyops.yaml", content: 'frameworks: [NIST-CSF-2.0, LOCAL-FW]\nnot_applicable:\n  - { control: "LOCAL-FW:C2", reason: "not here" }\n' },
    { file: "frameworks/local.yaml", content: "id: LOCAL-FW\ntitle: Local\nowner: IT\ncontrols:\n  - { id: C1, title: One }\n" },
    { file: "frameworks/local.yaml", content: "id: LOCAL-FW\ntitle: Local\nowner: IT\ncontrols:\n  - { id: C2, title: Two }\n" },
    { file: "frameworks/local.yaml", content: null },
  ];

  it("give exactly the findings of an uncached run, after any sequence of edits and days", async () => {
    const { default: fc } = await import("fast-check");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(EDITS.length - 1), fc.constantFrom("2026-06-30", "2026-07-20")), { minLength: 1, maxLength: 6 }), async (steps) => {
        const root = writeRepo(dir(), BASE);
        const cacheFile = join(dir(), "cache.v8");
        const cachedRun = async (today: string) => {
          const cache = new ParseCache(cacheFile, "test-engine");
          const ws = await load(root, { today, parseAll: cache.parser(parseSequentially), ruleMemos: cache, previousGit: () => cache.git, incremental: false });
          const findings = ws.findings();
          cache.save();
          return findings;
        };
        await cachedRun("2026-06-30");
        for (const [i, today] of steps) {
          const edit = EDITS[i]!;
          if (edit.content === null) rmSync(join(root, edit.file), { force: true });
          else writeRepo(root, { [edit.file]: edit.content });
          // mtimes can be equal within a test: the content hash must still catch the change
          const cached = await cachedRun(today);
          const fresh = (await load(root, { today, git: false })).findings();
          expect(cached).toEqual(fresh);
        }
      }),
      { numRuns: 40 },
    );
  });
});
