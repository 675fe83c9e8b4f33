import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { PROJECT, runCli } from "./helpers/repo.js";

const read = (p: string) => readFileSync(join(PROJECT, p), "utf8");

/** The commands `policyops --help` lists: the only ones a README or a help text may name. */
const commands = (): string[] => {
  const help = runCli(["--help"]).stdout;
  return [...help.split("Commands:")[1]!.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!);
};

describe("documentation", () => {
  it("docs/fields.md is generated from schemas/ and up to date (node scripts/gen-fields.mjs --check)", () => {
    const r = spawnSync(process.execPath, [join(PROJECT, "scripts", "gen-fields.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const fields = read("docs/fields.md");
    for (const f of readdirSync(join(PROJECT, "schemas")).filter((n) => n.endsWith(".schema.json"))) {
      const schema = JSON.parse(read(`schemas/${f}`)) as { properties?: Record<string, unknown> };
      for (const key of Object.keys(schema.properties ?? {})) expect(fields, `${f} ${key}`).toContain(`| \`${key}\` |`);
    }
    expect(fields).toContain("| `controls[].parent` | string |");
  });

  it("the README's field reference is in the repository (docs/fields.md), not in ../shared", () => {
    const readme = read("README.md");
    expect(readme).toContain("[`docs/fields.md`](docs/fields.md)");
    expect(readme).not.toMatch(/\]\(\.\.\/shared\/[^)]*field/i);
  });

  it("no README or help text names a command that does not exist", () => {
    const known = new Set([...commands(), "help"]);
    expect([...known].sort()).toEqual(["actions", "budget", "calendar", "compliance", "contracts", "daemon", "help", "import-catalog", "init", "licences", "list", "lsp", "new", "reviews", "site", "validate", "verify-site"]);
    const texts: Record<string, string> = { "README.md": read("README.md"), "policies-template/README.md": read("policies-template/README.md") };
    texts["policyops --help"] = runCli(["--help"]).stdout;
    for (const c of known) if (c !== "help") texts[`policyops ${c} --help`] = runCli([c, "--help"]).stdout;
    for (const [where, text] of Object.entries(texts)) {
      for (const m of text.matchAll(/\bpolicyops(?:@[\w.-]+)? ([a-z][a-z-]+)/g)) {
        if (["is", "and", "or", "the", "in", "to", "on", "as", "for", "with", "writes", "was", "init's"].includes(m[1]!)) continue;
        expect(known.has(m[1]!), `${where}: \`${m[0]}\``).toBe(true);
      }
    }
  });

  it("an unknown command is a usage error, --help or not: exit 2 and one line", () => {
    for (const args of [["frob", "--help"], ["frob"], ["publish", "--out", "x", "--help"]]) {
      const r = runCli(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe(`policyops: unknown command \`${args[0]}\`; run \`policyops --help\` to see the commands.\n`);
    }
  });
});
