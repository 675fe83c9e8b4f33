import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT, tempDir, writeRepo } from "./helpers/repo.js";

/** Every .ts file under a folder, fixtures aside. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === "fixtures") return [];
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("architecture: the engine knows no front end", () => {
  const engine = sources(join(PROJECT, "src", "engine"));

  it.each(engine.map((f) => [relative(PROJECT, f), f]))("%s prints nothing, exits nothing, imports no front end", (_, file) => {
    const text = readFileSync(file, "utf8");
    expect(text).not.toMatch(/\bconsole\.(log|error|warn|info)\b/);
    expect(text).not.toMatch(/process\.(exit|stdout|stderr)\b/);
    expect(text).not.toMatch(/from\s+["'](vscode|vscode-languageserver[^"']*)["']/);
    expect(text).not.toMatch(/from\s+["'][./]*\/cli\//);
  });

  it("every rule module lives in the folder named by its code", async () => {
    const { RULES } = await import("../src/engine/index.js");
    for (const rule of RULES) {
      const file = join(PROJECT, "src", "engine", "rules", rule.meta.code, "rule.ts");
      expect(statSync(file).isFile(), rule.meta.code).toBe(true);
    }
  });
});

/** A violation as dependency-cruiser's JSON output gives it. */
interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** Runs dependency-cruiser with the project's config (.dependency-cruiser.cjs) over `dirs`, in `cwd`. */
function cruise(cwd: string, dirs: string[]): { errors: number; violations: Violation[]; modules: number } {
  const bin = join(PROJECT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
  const r = spawnSync(process.execPath, [bin, ...dirs, "--config", join(PROJECT, ".dependency-cruiser.cjs"), "--output-type", "json"], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (!r.stdout) throw new Error(`dependency-cruiser printed nothing (status ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[]; error: number; totalCruised: number } };
  return { errors: out.summary.error, violations: out.summary.violations, modules: out.summary.totalCruised };
}

describe("architecture: the layer rule (STYLE §14), held by dependency-cruiser", () => {
  it("src/ has no layer, io, front-end or cycle violations (model ← facts ← domain ← rules ← workspace ← reports ← open/index)", () => {
    const dirs = ["src", ...["extension"].filter((d) => statSync(join(PROJECT, d), { throwIfNoEntry: false })?.isDirectory())];
    const r = cruise(PROJECT, dirs);
    expect(r.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(r.errors).toBe(0);
    // It did resolve the `.js` specifiers to the `.ts` sources: the whole engine was cruised.
    expect(r.modules).toBeGreaterThan(100);
  }, 120_000);

  it("fails on a tree that imports across a layer, reaches the disk from a rule, bypasses index.ts from the CLI, or has a cycle", () => {
    const { dir, cleanup } = tempDir("policyops-arch-");
    try {
      writeRepo(dir, {
        "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
        "package.json": JSON.stringify({ type: "module" }),
        // model importing facts: upward across a layer
        "src/engine/model/kinds.ts": 'import { parse } from "../facts/parse-file.js";\nexport const kinds = () => parse;\n',
        "src/engine/facts/parse-file.ts": 'import type { Host } from "../io/host.js";\nexport const parse = (h?: Host) => h;\n',
        "src/engine/io/host.ts": "export interface Host { cwd(): string }\n",
        // a rule reaching the real disk
        "src/engine/rules/review/overdue/rule.ts": 'import { nodeHost } from "../../../io/node-host.js";\nexport default nodeHost;\n',
        "src/engine/io/node-host.ts": 'import type { Host } from "./host.js";\nexport const nodeHost: Host = { cwd: () => "/" };\n',
        // a front end past index.ts
        "src/engine/index.ts": 'export { kinds } from "./model/kinds.js";\n',
        "src/cli/main.ts": 'import { kinds } from "../engine/model/kinds.js";\nimport { load } from "../engine/index.js";\nexport { kinds, load };\n',
        // a cycle inside one layer
        "src/engine/domain/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
        "src/engine/domain/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
      });
      const r = cruise(dir, ["src"]);
      const seen = r.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
      expect(seen).toEqual([
        "front-ends-use-the-public-api: src/cli/main.ts → src/engine/model/kinds.ts",
        "io-is-injected: src/engine/rules/review/overdue/rule.ts → src/engine/io/node-host.ts",
        "layer-model: src/engine/model/kinds.ts → src/engine/facts/parse-file.ts",
        "no-circular: src/engine/domain/a.ts → src/engine/domain/b.ts",
      ]);
      expect(r.errors).toBe(4);
    } finally {
      cleanup();
    }
  }, 120_000);
});

/** The built-in kinds' names, read from their schemas (kinds are data). */
const KIND_NAMES: string[] = readdirSync(join(PROJECT, "schemas"))
  .filter((f) => f.endsWith(".schema.json"))
  .flatMap((f) => {
    const kind = (JSON.parse(readFileSync(join(PROJECT, "schemas", f), "utf8")) as { "x-policyops"?: { kind?: string } })["x-policyops"]?.kind;
    return kind ? [kind] : [];
  });

/**
 * Where a source selects documents or kinds by a kind's name: a comparison with something
 * called `kind`, a lookup of a kind by name (`kindDef`, `ofKind`, `registerReport`, a
 * registry's `get`/`has`), or a list of names a kind is checked against. Comments are left
 * out. Strings that only spell a name (a field `system`, the `budget` command, the renewal
 * value `manual`, a CSV column `vendor`) are not selections (README, "Kinds are data").
 */
function selectionsByKindName(text: string, names: readonly string[]): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const name = `["'\`](?:${names.map((n) => n.replace(/[-]/g, "\\-")).join("|")})["'\`]`;
  const patterns = [
    new RegExp(`\\b\\w*[kK]inds?\\s*[!=]==?\\s*${name}`),
    new RegExp(`${name}\\s*[!=]==?\\s*[\\w.]*[kK]inds?\\b`),
    new RegExp(`\\b(?:kindDef|ofKind|idsOfKind|registerReport|get|has)\\(\\s*${name}\\s*\\)`),
    new RegExp(`\\b\\w*[kK]inds?\\w*\\s*[:=]\\s*\\[\\s*${name}`),
    new RegExp(`\\[\\s*${name}[^\\]]*\\]\\.includes\\(\\s*[\\w.]*[kK]ind\\b`),
  ];
  return code.split("\n").flatMap((line, i) => (patterns.some((p) => p.test(line)) ? [`${i + 1}: ${line.trim()}`] : []));
}

describe("architecture: kinds are data (SPEC §1)", () => {
  it("the kinds' names come from the schemas", () => {
    expect(KIND_NAMES).toEqual(expect.arrayContaining(["policy", "sop", "licence", "contract", "system", "dr-test"]));
  });

  it("no source under src/ selects documents or kinds by a kind's name: rules and reports select by trait", () => {
    const found = sources(join(PROJECT, "src")).flatMap((file) => selectionsByKindName(readFileSync(file, "utf8"), KIND_NAMES).map((hit) => `${relative(PROJECT, file)}:${hit}`));
    expect(found).toEqual([]);
  });

  it("the check catches each form of selection by name, and passes field, value, command and column names", () => {
    for (const bad of [
      'if (doc.kind === "licence") return;',
      "const ok = 'system' !== d.kind;",
      'const def = kindDef("contract");',
      'for (const d of ws.ofKind("dr-test")) {}',
      'const kinds = ["policy", "sop"];',
      'if (["asset", "risk"].includes(doc.kind)) {}',
      'registry.get("vendor")',
    ]) expect(selectionsByKindName(bad, KIND_NAMES), bad).toHaveLength(1);
    for (const fine of [
      'if (r.field === "system") {}',
      'const renewal = doc.values.renewal === "manual" ? "manual" : "none";',
      'new Command("budget")',
      'toCsv(["id", "vendor", "vendor_name"], rows)',
      'report({ messageId: "framework", at })',
      '// doc.kind === "licence" in a comment',
      '/* kindDef("contract") */',
    ]) expect(selectionsByKindName(fine, KIND_NAMES), fine).toEqual([]);
  });
});
