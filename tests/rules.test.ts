/**
 * Per-rule fixtures (STYLE §9). Every folder under `src/engine/rules/<category>/<name>/fixtures/`
 * and `src/engine/load/fixtures/<code with / as __>/` holds `valid/<case>/` and `invalid/<case>/`,
 * each a tiny policy repository. This file loads each case with today = 2026-06-30 and
 * compares the findings of the case's code with `expected.txt`, one line per finding:
 *
 *     policies/a.md:9:16-9:26 review/overdue overdue
 *     file:line:col-endLine:endCol code messageId        (`-` when a finding has no messageId)
 *
 * A valid case has no `expected.txt` and must produce no finding of its code. For
 * `schema/<keyword>` folders every `schema/*` finding counts. Any `engine/rule-error` fails.
 *
 * Cases are loaded without git (`git: false`), so the history of this project's own
 * repository never leaks into them. A rule that reads history (`approval/stale`) describes
 * it instead: `commits/<n>-<YYYY-MM-DD>-<subject-words>/` folders, each a full snapshot of
 * the repository, are replayed in order as commits on those dates into a fresh temporary
 * git repository, which is then loaded with git.
 */
import { describe, it, expect } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { load, type Finding } from "../src/engine/index.js";
import { gitRepo } from "./helpers/git.js";
import { tempDir } from "./helpers/repo.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RULES_DIR = join(ROOT, "src/engine/rules");
const LOAD_DIR = join(ROOT, "src/engine/load/fixtures");
const TODAY = "2026-06-30";

/**
 * Cases whose `expected.txt` states the contract but the engine does not meet it yet:
 * they run as `it.fails`, so the suite stays green and turns red the day the bug is
 * fixed (then delete the entry). Key: `<code> <valid|invalid> <case>`.
 */
const KNOWN_BUGS: Record<string, string> = {};

interface Case {
  code: string;
  kind: "valid" | "invalid";
  name: string;
  dir: string;
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const subdirs = (p: string): string[] =>
  isDir(p) ? readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort() : [];

function casesIn(code: string, fixtures: string): Case[] {
  return (["valid", "invalid"] as const).flatMap((kind) => subdirs(join(fixtures, kind)).map((name) => ({ code, kind, name, dir: join(fixtures, kind, name) })));
}

/** Every fixture case in the repository, rules first, then loader codes. */
function discoverCases(): Case[] {
  const out: Case[] = [];
  for (const category of subdirs(RULES_DIR)) {
    for (const name of subdirs(join(RULES_DIR, category))) {
      const fixtures = join(RULES_DIR, category, name, "fixtures");
      if (isDir(fixtures)) out.push(...casesIn(`${category}/${name}`, fixtures));
    }
  }
  for (const folder of subdirs(LOAD_DIR)) out.push(...casesIn(folder.replace(/__/g, "/"), join(LOAD_DIR, folder)));
  return out;
}

/** Every file under `dir`, repo-relative with `/`. */
function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), base) : [relative(base, join(dir, e.name)).split("\\").join("/")],
  );
}

const COMMIT = /^(\d+)-(\d{4}-\d{2}-\d{2})-(.+)$/;

/** Replays `commits/*` snapshots into a temporary git repository; returns its path and cleanup. */
async function replayHistory(caseDir: string): Promise<{ dir: string; cleanup: () => void }> {
  const commitsDir = join(caseDir, "commits");
  const snapshots = subdirs(commitsDir)
    .map((name) => ({ name, m: COMMIT.exec(name) }))
    .map(({ name, m }) => {
      if (!m) throw new Error(`${commitsDir}/${name}: name a commit snapshot <n>-<YYYY-MM-DD>-<subject-words>`);
      return { n: Number(m[1]), date: m[2]!, subject: m[3]!.replace(/-/g, " "), dir: join(commitsDir, name) };
    })
    .sort((a, b) => a.n - b.n);
  const temp = tempDir("policyops-fixture-");
  try {
    const { commit } = await gitRepo(temp.dir);
    let previous = new Set<string>();
    for (const s of snapshots) {
      const files = filesUnder(s.dir);
      const change: Record<string, string | null> = {};
      for (const f of previous) if (!files.includes(f)) change[f] = null;
      for (const f of files) change[f] = readFileSync(join(s.dir, f), "utf8");
      await commit(change, s.subject, s.date);
      previous = new Set(files);
    }
  } catch (e) {
    temp.cleanup();
    throw e;
  }
  return temp;
}

const LINE = /^\S+:\d+:\d+-\d+:\d+ [a-z-]+\/[a-z-]+ (-|[A-Za-z][A-Za-z0-9]*)$/;

function formatFinding(f: Finding): string {
  const messageId = typeof f.data?.messageId === "string" ? f.data.messageId : "-";
  return `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code} ${messageId}`;
}

function readExpected(c: Case): string[] {
  const file = join(c.dir, "expected.txt");
  if (c.kind === "valid") {
    expect(existsSync(file), `a valid case has no expected.txt: ${file}`).toBe(false);
    return [];
  }
  expect(existsSync(file), `an invalid case needs expected.txt: ${file}`).toBe(true);
  const lines = readFileSync(file, "utf8").split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  expect(lines.length, `${file} lists no finding`).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line, `${file}: malformed line`).toMatch(LINE);
    const code = line.split(" ")[1]!;
    const belongs = c.code.startsWith("schema/") ? code.startsWith("schema/") : code === c.code;
    expect(belongs, `${file}: \`${code}\` is not this fixture's code \`${c.code}\``).toBe(true);
  }
  return lines.sort();
}

const cases = discoverCases();

describe("rule fixtures", () => {
  it("finds fixture cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    const title = `${c.code} ${c.kind} ${c.name}`;
    const known = KNOWN_BUGS[title];
    (known ? it.fails : it)(known ? `${title} (known bug: ${known})` : title, async () => {
      const expected = readExpected(c);
      let all: Finding[];
      if (isDir(join(c.dir, "commits"))) {
        const repo = await replayHistory(c.dir);
        try {
          all = (await load(repo.dir, { today: TODAY })).findings();
        } finally {
          repo.cleanup();
        }
      } else {
        all = (await load(c.dir, { today: TODAY, git: false })).findings();
      }
      const crashes = all.filter((f) => f.code === "engine/rule-error");
      expect(crashes.map((f) => `${f.file}: ${f.message}`), "a rule threw").toEqual([]);
      const mine = all.filter((f) => (c.code.startsWith("schema/") ? f.code.startsWith("schema/") : f.code === c.code));
      expect(mine.map(formatFinding).sort()).toEqual(expected);
    });
  }

  it("has no stale KNOWN_BUGS entry", () => {
    const titles = new Set(cases.map((c) => `${c.code} ${c.kind} ${c.name}`));
    expect(Object.keys(KNOWN_BUGS).filter((k) => !titles.has(k))).toEqual([]);
  });
});
