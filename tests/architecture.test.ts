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
