/**
 * Checks the rule modules against their folders, docs and fixtures (STYLE §1, §2, §9):
 * the folder is the code, README and both kinds of fixture exist, every message is
 * exercised by some `expected.txt`, descriptions and messages follow the house style,
 * and no two fixture cases of one code are the same repository.
 */
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { RULES, ruleDocsUrl, type Rule } from "../src/engine/index.js";
import { interpolate } from "../src/engine/rules/rule.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RULES_DIR = join(ROOT, "src/engine/rules");
const LOAD_DIR = join(ROOT, "src/engine/facts/fixtures");

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();
const subdirs = (p: string): string[] =>
  isDir(p) ? readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort() : [];

/** Files of a case, recursively, as repo-relative paths (dotfiles included: they are part of the repository). */
function filesOf(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesOf(p, base) : [relative(base, p).split("\\").join("/")];
  });
}

/** `{kind, name, dir}` of every case under a fixtures folder. */
function casesIn(fixtures: string): { kind: string; name: string; dir: string }[] {
  return ["valid", "invalid"].flatMap((kind) => subdirs(join(fixtures, kind)).map((name) => ({ kind, name, dir: join(fixtures, kind, name) })));
}

/** The repository a case is: every file but expected.txt, with its content hash. */
function signature(dir: string): string {
  return filesOf(dir)
    .filter((f) => f !== "expected.txt")
    .sort()
    .map((f) => `${f}\0${createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")}`)
    .join("\n");
}

function expectNoDuplicateCases(fixtures: string): void {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  for (const c of casesIn(fixtures)) {
    const sig = signature(c.dir);
    const first = seen.get(sig);
    if (first) duplicates.push(`${c.kind}/${c.name} repeats ${first}`);
    else seen.set(sig, `${c.kind}/${c.name}`);
  }
  expect(duplicates, `identical fixture cases under ${relative(ROOT, fixtures)}`).toEqual([]);
}

/** Message ids named in the rule's expected.txt files. */
function expectedMessageIds(fixtures: string): Set<string> {
  const ids = new Set<string>();
  for (const c of casesIn(fixtures)) {
    const file = join(c.dir, "expected.txt");
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
      // `file:range code messageId | message`: the id is the third word before the message.
      const id = line.split(" | ")[0]!.trim().split(" ")[2];
      if (id) ids.add(id);
    }
  }
  return ids;
}

/** A template with each plural block replaced by its `other` branch (`{n, plural, … other {# days}}` → `# days`). */
function otherBranches(template: string): string {
  let out = template;
  for (let guard = 0; guard < 20 && /\{\w+\s*,\s*plural\s*,/.test(out); guard++) {
    out = out.replace(/\{\w+\s*,\s*plural\s*,(?:[^{}]|\{[^{}]*\})*?other\s*\{([^{}]*)\}(?:[^{}]|\{[^{}]*\})*\}/, "$1");
  }
  return out;
}

/** Sentences in a template, ignoring `code spans` and {placeholders} (`NIST-CSF-2.0`, `{framework}.yaml`). */
function sentences(template: string): number {
  const prose = otherBranches(template).replace(/`[^`]*`/g, "CODE").replace(/\{\w+\}/g, "");
  return (prose.match(/[.!?](\s|$)/g) ?? []).length;
}

/** Every placeholder name a template uses, plural ones included. */
const placeholders = (template: string): string[] => [...new Set([...template.matchAll(/\{(\w+)\s*[,}]/g)].map((m) => m[1]!))];

describe("rule modules", () => {
  it("the registry lists every rule folder", () => {
    const folders = subdirs(RULES_DIR).flatMap((cat) => subdirs(join(RULES_DIR, cat)).filter((n) => existsSync(join(RULES_DIR, cat, n, "rule.ts"))).map((n) => `${cat}/${n}`));
    expect(RULES.map((r) => r.meta.code).sort()).toEqual(folders.sort());
  });

  for (const rule of RULES as readonly Rule[]) {
    const { code } = rule.meta;
    const folder = join(RULES_DIR, code);
    const fixtures = join(folder, "fixtures");

    describe(code, () => {
      it("lives in the folder named by its code", async () => {
        expect(existsSync(join(folder, "rule.ts")), `${relative(ROOT, folder)}/rule.ts`).toBe(true);
        const mod = (await import(pathToFileURL(join(folder, "rule.ts")).href)) as { default: Rule };
        expect(mod.default).toBe(rule);
      });

      it("has a README", () => {
        const readme = join(folder, "README.md");
        expect(existsSync(readme), relative(ROOT, readme)).toBe(true);
        const text = readFileSync(readme, "utf8");
        expect(text.split("\n")[0]).toBe(`# ${code}`);
        expect(text).toContain(rule.meta.severity);
        expect(text).toContain(`${code}:`);
      });

      it("has valid and invalid fixtures", () => {
        const cases = casesIn(fixtures);
        expect(cases.filter((c) => c.kind === "valid").length, "valid cases").toBeGreaterThan(0);
        expect(cases.filter((c) => c.kind === "invalid").length, "invalid cases").toBeGreaterThan(0);
      });

      it("has every message id used by some expected.txt, and no other", () => {
        const used = expectedMessageIds(fixtures);
        const declared = Object.keys(rule.meta.messages);
        expect(declared.filter((id) => !used.has(id)), "message ids no fixture expects").toEqual([]);
        expect([...used].filter((id) => !declared.includes(id)), "ids in expected.txt the rule does not declare").toEqual([]);
      });

      it("describes itself with Require/Disallow/Warn/Announce", () => {
        expect(rule.meta.description).toMatch(/^(Require|Disallow|Warn|Announce)\b/);
      });

      it("phrases each message as what is wrong; what to do.", () => {
        for (const [id, template] of Object.entries(rule.meta.messages)) {
          expect(template, `${code} ${id}`).toMatch(/\.$/);
          expect(template, `${code} ${id}: say what to do after "; "`).toContain("; ");
          const n = sentences(template);
          expect(n >= 1 && n <= 2, `${code} ${id}: ${n} sentences`).toBe(true);
        }
      });

      it("writes plurals with {n, plural, one {…} other {…}} (Intl.PluralRules), never a {s} glued to a word", () => {
        for (const [id, template] of Object.entries(rule.meta.messages)) {
          expect(template, `${code} ${id}: use {n, plural, one {# day} other {# days}}`).not.toMatch(/[A-Za-z]\{(s|es|ies)\}/);
          const names = placeholders(template);
          expect(names, `${code} ${id}: no helper value named s`).not.toContain("s");
          for (const n of [0, 1, 2, 21]) {
            // Every placeholder gets the number n: the template must render, leaving no braces or `#`.
            const text = interpolate(template, Object.fromEntries(names.map((k) => [k, n])), code);
            expect(text, `${code} ${id} with ${n}`).not.toMatch(/[{}]/);
            if (/plural/.test(template)) expect(text.replace(/`[^`]*`/g, ""), `${code} ${id} with ${n}`).not.toContain("#");
          }
        }
      });

      it("has meta.docs.url stamped by the registry: its README in the repository", () => {
        expect(rule.meta.docs?.url).toBe(ruleDocsUrl(code));
        expect(rule.meta.docs!.url.endsWith(`/src/engine/rules/${code}/README.md`)).toBe(true);
        expect(existsSync(join(folder, "README.md"))).toBe(true);
      });

      it("has a README header generated from meta (code, severity, description, every message)", () => {
        const text = readFileSync(join(folder, "README.md"), "utf8");
        const header = text.slice(0, text.indexOf("<!-- END generated header -->"));
        expect(header, "run node scripts/gen-rule-docs.mjs").toContain("<!-- BEGIN header generated from the rule's meta");
        expect(header).toContain(`Severity: \`${rule.meta.severity}\``);
        expect(header).toContain(rule.meta.description);
        for (const [id, template] of Object.entries(rule.meta.messages)) expect(header).toContain(`| \`${id}\` | ${template.replace(/\|/g, "\\|")} |`);
      });

      it("has no duplicate fixture cases", () => {
        expectNoDuplicateCases(fixtures);
      });
    });
  }
});

describe("rule READMEs", () => {
  it("every header is what node scripts/gen-rule-docs.mjs --check expects (from the built engine's meta)", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "gen-rule-docs.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("loader fixtures", () => {
  for (const folder of subdirs(LOAD_DIR)) {
    it(`${folder.replace(/__/g, "/")} has valid and invalid cases, none duplicated`, () => {
      const cases = casesIn(join(LOAD_DIR, folder));
      expect(cases.some((c) => c.kind === "valid")).toBe(true);
      expect(cases.some((c) => c.kind === "invalid")).toBe(true);
      expectNoDuplicateCases(join(LOAD_DIR, folder));
    });
  }
});
