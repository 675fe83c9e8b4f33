import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT } from "./helpers/repo.js";

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
