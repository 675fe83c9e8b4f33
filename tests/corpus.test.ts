import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GEN_CORPUS, runCli, tempDir } from "./helpers/repo.js";
import { applyRenewalModel } from "./helpers/corpus-renewal.js";

interface Expected {
  today: string;
  documents: number;
  findings: { code: string; file: string; line: number | null }[];
}

/**
 * Matches reported findings against the corpus's injected defects: each expected
 * finding must be reported (on its line, where one is given), and nothing else may be.
 */
export function compareWithExpected(reported: { code: string; file: string; line: number }[], expected: Expected["findings"]) {
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
  const tmp = tempDir("policyops-corpus-");
  const root = join(tmp.dir, "repo");
  const expectFile = join(tmp.dir, "expected.json");
  let expected: Expected;
  beforeAll(() => {
    execFileSync(process.execPath, [GEN_CORPUS, "--out", root, "--docs", "2000", "--seed", "7", "--expect", expectFile]);
    expected = JSON.parse(readFileSync(expectFile, "utf8"));
    expected.findings = applyRenewalModel(root, expected.today, expected.findings);
  });
  afterAll(() => tmp.cleanup());

  it("reports exactly the injected defects, nothing else, and exits 1", () => {
    const run = runCli(["validate", root, "--format", "json", "--today", expected.today]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.summary.documents).toBe(expected.documents);
    const { missing, extra } = compareWithExpected(result.findings, expected.findings);
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    expect(result.findings).toHaveLength(expected.findings.length);
  });

  it("gives the same findings single-threaded as across worker threads", () => {
    const parallel = JSON.parse(runCli(["validate", root, "--format", "json", "--today", expected.today], { env: { POLICYOPS_WORKERS: "2" } }).stdout);
    const single = JSON.parse(runCli(["validate", root, "--format", "json", "--today", expected.today], { env: { POLICYOPS_WORKERS: "1" } }).stdout);
    expect(single).toEqual(parallel);
  });
});
