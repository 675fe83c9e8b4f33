import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ParseStats } from "../src/engine/index.js";
import { cli } from "./helpers/cli.js";
import { corpus, type CorpusExpectation } from "./helpers/corpus.js";
import { PROJECT } from "./helpers/repo.js";
import { applySpecModels } from "./helpers/corpus-renewal.js";

/**
 * Matches reported findings against the corpus's injected defects: each expected
 * finding must be reported (on its line, where one is given), and nothing else may be.
 */
export function compareWithExpected(reported: { code: string; file: string; line: number }[], expected: CorpusExpectation["findings"]) {
  const pool = new Map<string, number[]>();
  for (const f of reported) {
    const k = `${f.code} ${f.file}`;
    pool.set(k, [...(pool.get(k) ?? []), f.line]);
  }
  const missing: string[] = [];
  for (const e of expected) {
    const k = `${e.code} ${e.file}`;
    const lines = pool.get(k) ?? [];
    const i = lines.findIndex((l) => e.line === null || l === e.line);
    if (i === -1) missing.push(`${k}${e.line === null ? "" : `:${e.line}`}`);
    else lines.splice(i, 1);
  }
  const extra = [...pool].flatMap(([k, lines]) => lines.map((l) => `${k}:${l}`));
  return { missing, extra };
}

describe("generated corpus (gen-corpus.mjs, 2,000 documents, seed 7)", () => {
  let root: string;
  let expected: CorpusExpectation;
  let singleThreaded: string | undefined;
  beforeAll(async () => {
    ({ root, expected } = corpus({ docs: 2000, seed: 7 }));
    // The shared generator predates SPEC §2's renewal model and the continuity records: bench/expected.mjs applies both.
    expected = { ...expected, findings: await applySpecModels(root, expected.today, expected.findings) };
  });

  it("reports exactly the injected defects, nothing else, and exits 1", async () => {
    const run = await cli(["validate", root, "--format", "json", "--today", expected.today], { env: { POLICYOPS_WORKERS: "1" } });
    singleThreaded = run.stdout;
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.summary.documents).toBe(expected.documents);
    const { missing, extra } = compareWithExpected(result.findings, expected.findings);
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(result.findings).toHaveLength(expected.findings.length);
  });

  it("parses in two worker threads (the built engine's stats prove it) and gives the same findings, related and data included, as one thread", async () => {
    // The built bundle: worker threads need dist/parse-worker.js, and from source they fall back.
    const engine = (await import(pathToFileURL(join(PROJECT, "dist", "engine.js")).href)) as typeof import("../src/engine/index.js");
    const findingsWith = async (workers: number, host?: import("../src/engine/index.js").Host) => {
      const stats: ParseStats[] = [];
      const ws = await engine.load(root, { today: expected.today, git: false, host, parseAll: engine.parallelParser({ workers, onStats: (s) => stats.push(s) }) });
      return { findings: ws.findings(), stats };
    };
    const parallel = await findingsWith(2);
    const single = await findingsWith(1);
    // The site's host (it remembers what it read) is still the disk: the threads may read it themselves.
    const readOnce = await findingsWith(2, engine.readOnceHost(engine.nodeHost));
    expect(parallel.stats).toEqual([{ files: expected.documents, workerThreads: 2, inWorkers: expected.documents }]);
    expect(readOnce.stats).toEqual(parallel.stats);
    expect(readOnce.findings).toEqual(parallel.findings);
    expect(single.stats).toEqual([{ files: expected.documents, workerThreads: 0, inWorkers: 0 }]);
    expect(parallel.findings.length).toBeGreaterThan(0);
    expect(single.findings).toEqual(parallel.findings);
  });

  it("POLICYOPS_WORKERS=1 and =2 give the same validate --format json, byte for byte", async () => {
    const args = ["validate", root, "--format", "json", "--today", expected.today];
    const parallel = await cli(args, { env: { POLICYOPS_WORKERS: "2" } });
    // The first test's run, with POLICYOPS_WORKERS=1 (run it again if this one runs alone).
    const single = singleThreaded ?? (await cli(args, { env: { POLICYOPS_WORKERS: "1" } })).stdout;
    expect(parallel.stderr).toBe("");
    expect(single).toBe(parallel.stdout);
  });
});
