import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GEN_CORPUS } from "./repo.js";

export interface CorpusExpectation {
  today: string;
  documents: number;
  findings: { code: string; file: string; line: number | null }[];
}

/**
 * Where generated corpora are kept between test files and runs: outside any git checkout,
 * as a user's repository would be (inside this one, git would see the corpus as a subfolder).
 */
export const CORPUS_CACHE = join(tmpdir(), "policyops-test-corpora");

/**
 * A corpus from the shared generator (gen-corpus.mjs), generated once and then reused by every
 * test file and run: it is kept under a key made of the generator's source and its arguments,
 * so a changed generator or other arguments give a fresh one. It is written beside its final
 * place and renamed into it, so a file running at the same time never sees half a corpus.
 * Tests must only read it.
 */
export function corpus(options: { docs: number; seed: number }): { root: string; expected: CorpusExpectation } {
  const args = ["--docs", String(options.docs), "--seed", String(options.seed)];
  const key = createHash("sha256").update(readFileSync(GEN_CORPUS)).update(JSON.stringify(args)).digest("hex").slice(0, 16);
  const dir = join(CORPUS_CACHE, `corpus-${options.docs}-${options.seed}-${key}`);
  if (!existsSync(join(dir, "expected.json"))) {
    mkdirSync(CORPUS_CACHE, { recursive: true });
    const temp = `${dir}.${process.pid}.tmp`;
    rmSync(temp, { recursive: true, force: true });
    execFileSync(process.execPath, [GEN_CORPUS, "--out", join(temp, "repo"), ...args, "--expect", join(temp, "expected.json")]);
    try {
      renameSync(temp, dir);
    } catch (e) {
      // Another test file got there first: use its copy.
      rmSync(temp, { recursive: true, force: true });
      if (!existsSync(join(dir, "expected.json"))) throw e;
    }
  }
  return { root: join(dir, "repo"), expected: JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as CorpusExpectation };
}
