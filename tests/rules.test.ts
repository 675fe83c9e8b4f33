/**
 * Per-rule fixtures (STYLE §9). Every folder under `src/engine/rules/<category>/<name>/fixtures/`
 * and `src/engine/facts/fixtures/<code with / as __>/` holds `valid/<case>/` and `invalid/<case>/`,
 * each a tiny policy repository. This file loads each case with today = 2026-06-30 and
 * compares the findings of the case's code with `expected.txt`, one line per finding,
 * sorted, that pins the range, the message id and the rendered message (so the data
 * filled into it too):
 *
 *     policies/a.md:9:16-9:26 review/overdue overdue | Review is overdue: last reviewed …
 *     file:line:col-endLine:endCol code messageId | message   (`-` when a finding has no messageId)
 *
 * A valid case has no `expected.txt` and must produce no finding of its code; an invalid
 * case has one and must produce at least one. For `schema/<keyword>` folders every
 * `schema/*` finding counts. Cases load with `strictReports`: a rule that reports a range
 * outside its file, or throws, fails the case naming the rule (the CLI would clamp the
 * range, or report `engine/rule-error`).
 *
 * `npm run fixtures:update` (vitest's `--update`: expected.txt is a file snapshot) rewrites
 * every invalid case's expected.txt from the engine's current output; review the diff.
 * A new invalid case needs an `expected.txt` (empty will do) before it is filled in.
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
const LOAD_DIR = join(ROOT, "src/engine/facts/fixtures");
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

/** One finding as an expected.txt line; the message is one line, never empty. */
const LINE = /^\S+:\d+:\d+-\d+:\d+ [a-z-]+\/[a-z-]+ (-|[A-Za-z][A-Za-z0-9]*) \| \S[^\n]*$/;

function formatFinding(f: Finding): string {
  const messageId = f.messageId ?? "-";
  return `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code} ${messageId} | ${f.message}`;
}

/** expected.txt's text for these findings: one sorted line each. */
const expectedText = (findings: Finding[]): string => findings.map(formatFinding).sort().join("\n") + "\n";

const cases = discoverCases();

describe("rule fixtures", () => {
  it("finds fixture cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    const title = `${c.code} ${c.kind} ${c.name}`;
    const known = KNOWN_BUGS[title];
    (known ? it.fails : it)(known ? `${title} (known bug: ${known})` : title, async () => {
      const file = join(c.dir, "expected.txt");
      expect(existsSync(file), c.kind === "valid" ? `a valid case has no expected.txt: ${file}` : `an invalid case needs expected.txt: ${file}`).toBe(c.kind === "invalid");
      let all: Finding[];
      if (isDir(join(c.dir, "commits"))) {
        const repo = await replayHistory(c.dir);
        try {
          all = (await load(repo.dir, { today: TODAY, strictReports: true })).findings();
        } finally {
          repo.cleanup();
        }
      } else {
        all = (await load(c.dir, { today: TODAY, git: false, strictReports: true })).findings();
      }
      const crashes = all.filter((f) => f.code === "engine/rule-error");
      expect(crashes.map((f) => `${f.file}: ${f.message}`), "a rule threw").toEqual([]);
      const mine = all.filter((f) => (c.code.startsWith("schema/") ? f.code.startsWith("schema/") : f.code === c.code));
      if (c.kind === "valid") return expect(mine.map(formatFinding)).toEqual([]);
      expect(mine.length, `an invalid case must produce a \`${c.code}\` finding`).toBeGreaterThan(0);
      for (const line of mine.map(formatFinding)) expect(line, "a finding expected.txt cannot hold").toMatch(LINE);
      if (known) {
        // Never let --update overwrite the contract a known bug does not meet yet.
        return expect(expectedText(mine)).toBe(readFileSync(file, "utf8").replace(/\r\n/g, "\n"));
      }
      await expect(expectedText(mine), `${relative(ROOT, file)} (npm run fixtures:update rewrites it; review the diff)`).toMatchFileSnapshot(file);
    });
  }

  it("has no stale KNOWN_BUGS entry", () => {
    const titles = new Set(cases.map((c) => `${c.code} ${c.kind} ${c.name}`));
    expect(Object.keys(KNOWN_BUGS).filter((k) => !titles.has(k))).toEqual([]);
  });
});
