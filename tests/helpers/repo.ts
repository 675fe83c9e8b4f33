import { afterEach } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import * as TEMPLATE_KINDS from "../../src/engine/model/kinds.js";

export const PROJECT = fileURLToPath(new URL("../..", import.meta.url));
export const CLI = join(PROJECT, "bin", "policyops.js");
export const GEN_CORPUS = join(PROJECT, "..", "shared", "tools", "gen-corpus.mjs");

/** A fresh temp dir, removed by the returned cleanup. */
export function tempDir(prefix = "policyops-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `files` (path → content) under `root`. */
export function writeRepo(root: string, files: Record<string, string | Uint8Array>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would: a real process, real exit code. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, POLICYOPS_TODAY: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT, env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A minimal valid policy document, with overrides for front-matter lines. */
export function policy(id: string, extra = "", body = "## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n"): string {
  return `---\nid: ${id}\ntitle: Policy ${id}\nversion: "1.0"\nstatus: active\nowner: IT Director\napproved_by: IT Director\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\n${extra}---\n\n# Policy ${id}\n\n${body}`;
}

/**
 * Temp repositories for one test file, removed after each test:
 * `const { repo, dir } = useTempRepos();` then `repo({ "policies/a.md": … })`.
 */
export function useTempRepos(prefix = "policyops-"): { repo: (files: Record<string, string | Uint8Array>) => string; dir: () => string } {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const dir = () => {
    const t = tempDir(prefix);
    cleanups.push(t.cleanup);
    return t.dir;
  };
  return { dir, repo: (files) => writeRepo(dir(), files) };
}

/**
 * How many documents policies-template/ holds: its Markdown and YAML files in the built-in
 * kinds' folders. Derived, never written down: engineers add kinds to the template in parallel.
 */
export function templateDocumentCount(): number {
  const { BUILTIN_KINDS } = TEMPLATE_KINDS;
  const root = join(PROJECT, "policies-template");
  let n = 0;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.(md|ya?ml)$/.test(e.name)) n++;
    }
  };
  for (const def of BUILTIN_KINDS.defs) walk(join(root, def.folder));
  return n;
}
