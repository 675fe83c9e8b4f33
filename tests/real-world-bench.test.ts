/**
 * The real-world half of the benchmark (bench/real-world-speed.mjs) and the differential
 * run (bench/differential.mjs), on small synthetic stand-ins: CI has no network, and nothing
 * of the real repositories may be committed. The real figures are in bench/real-world.md.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT, runCli, tempDir, writeRepo } from "./helpers/repo.js";

const SPEED = join(PROJECT, "bench", "real-world-speed.mjs");
const DIFFERENTIAL = join(PROJECT, "bench", "differential.mjs");

function node(args: string[], env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A page of about 90 KB: front matter of a docs site (not a manual's), sections with links. */
function bigPage(): string {
  let s = "---\ntitle: Big page\n---\n\n# Big page\n\n";
  for (let i = 0; s.length < 90 * 1024; i++) s += `## Parameter ${i}\n\nThe parameter ${i} sets [the value](#parameter-${i}) as [described](sub/small.md). ${"Words of the description. ".repeat(8)}\n\n`;
  return s;
}

describe("real-world speed bench (bench/real-world-speed.mjs)", () => {
  it("without POLICYOPS_REAL_WORLD it says plainly that it skipped the repositories, and still times editor-sized edits of a generated 100 KB page", () => {
    const { dir, cleanup } = tempDir("policyops-rw-skip-");
    try {
      writeRepo(dir, { "manuals/.keep": "" });
      const r = node([SPEED, "--runs", "1", "--edits", "5", "--corpus", dir], { POLICYOPS_REAL_WORLD: undefined });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain("real-world section SKIPPED: `POLICYOPS_REAL_WORLD` is not set");
      expect(r.stdout).toContain("**Skipped**: `POLICYOPS_REAL_WORLD` is not set. Only the editor-sized step ran, on a generated 100 KB manual added in memory to the corpus");
      expect(r.stdout).toMatch(/5 edits, `Workspace.update` \+ `findingsFor` p50 \*\*[\d.]+ ms\*\*, p95 \*\*[\d.]+ ms\*\*/);
      // Nothing is written to the corpus: the page lives in the workspace only.
      expect(runCli(["validate", dir, "--format", "json", "--today", "2026-06-30"]).stdout).not.toContain("generated-100kb");
    } finally {
      cleanup();
    }
  });

  it("names the missing repositories when POLICYOPS_REAL_WORLD holds none of them", () => {
    const { dir, cleanup } = tempDir("policyops-rw-none-");
    try {
      const r = node([SPEED, "--runs", "1"], { POLICYOPS_REAL_WORLD: dir });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`**Skipped**: none of \`nodejs.org/apps/site/pages\`, \`hugodocs/content/en\`, \`office-docs-powershell/exchange\` is under \`${dir}\`; the editor-sized step on a generated page skipped too (no corpus given).`);
    } finally {
      cleanup();
    }
  });

  it("with a repository present: floor, validate (default and one worker) with files, MiB, findings and ratios, and the editor-sized step on its 85–100 KB page", () => {
    const { dir, cleanup } = tempDir("policyops-rw-present-");
    try {
      writeRepo(dir, {
        "hugodocs/content/en/big.md": bigPage(),
        "hugodocs/content/en/sub/small.md": "---\ntitle: Small\n---\n\n## Small\n\nSee [nowhere](#nowhere) and [big](../big.md).\n",
        "hugodocs/content/en/image.png": "not Markdown",
      });
      const r = node([SPEED, "--runs", "1", "--edits", "5"], { POLICYOPS_REAL_WORLD: dir });
      expect(r.status, r.stderr).toBe(0);
      const rows = r.stdout.split("\n").filter((l) => l.startsWith("| gohugoio/hugoDocs"));
      // Each manual lacks id, owner, version, status and system (schema/required ×5); small.md's #nowhere is broken;
      // an edit adds a link to a missing `#notes-N`: 6 findings on the edited page.
      const validate = runCli(["validate", join(dir, "hugodocs"), "--format", "json", "--today", "2026-11-22", "--config", writeConfig(dir)]);
      const findings = (JSON.parse(validate.stdout) as { findings: unknown[] }).findings.length;
      expect(findings).toBe(11);
      expect(rows[0]).toMatch(/^\| gohugoio\/hugoDocs \| floor: read \+ markdown-it parse \| 2 \| 0\.1 \|  \| [\d.]+ \/ \*\*[\d.]+\*\* \/ [\d.]+ s \|/);
      expect(rows[1]).toMatch(new RegExp(`^\\| gohugoio/hugoDocs \\| validate, default workers \\| 2 \\| 0\\.1 \\| ${findings} \\| .* \\| \\d+ MiB \\| [\\d.]+ \\| [\\d.]+ \\([\\d.]+–[\\d.]+\\) \\|`));
      expect(rows[2]).toMatch(new RegExp(`^\\| gohugoio/hugoDocs \\| validate, \`POLICYOPS_WORKERS=1\` \\| 2 \\| 0\\.1 \\| ${findings} \\|`));
      expect(rows[3]).toMatch(/^\| gohugoio\/hugoDocs \| `content\/en\/big\.md` \| 90 \| sentence \| [\d.]+ ms \| \*\*[\d.]+ ms\*\* \| [\d.]+ ms \| [\d.]+ \/ [\d.]+ ms \| 6 \|$/);
      // A typed character adds no link: the five schema findings, or a sixth if it lands in an anchor.
      expect(rows[4]).toMatch(/^\| gohugoio\/hugoDocs \| `content\/en\/big\.md` \| 90 \| typing \| [\d.]+ ms \| \*\*[\d.]+ ms\*\* \| [\d.]+ ms \| [\d.]+ \/ [\d.]+ ms \| [56] \|$/);
      expect(r.stdout).toContain("5 edits of each kind");
      expect(r.stdout).not.toContain("Skipped");
    } finally {
      cleanup();
    }
  });
});

function writeConfig(dir: string): string {
  writeRepo(dir, { "hugodocs.policyops.yaml": "paths:\n  manual: content/en\n" });
  return join(dir, "hugodocs.policyops.yaml");
}

describe("differential run (bench/differential.mjs)", () => {
  it("prints each differing file's first differences and the count of files that differ, by class", () => {
    const { dir, cleanup } = tempDir("policyops-differential-");
    try {
      writeRepo(dir, {
        "docs/same.md": "---\ntitle: x\n---\n\n# Same\n\n[a](a.md) ![i](i.png) <a id=\"top\"></a>\n\n[d]: d.md\n",
        // A CRLF soft break in a heading: the engine's text has "\n", mdast keeps "\r\n" (a known difference).
        "docs/differs.md": "# Heading\n\nTwo\r\nlines\n---\n",
        "other/ignored.md": "Two\r\nlines\n---\n",
      });
      const r = node([DIFFERENTIAL, dir, "docs"], {});
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).toContain('docs/differs.md: 1 difference(s)\n  [headings.text] engine h2 "Two\\nlines" #twolines @3:1-5:4 ≠ oracle h2 "Two\\r\\nlines" #twolines @3:1-5:4\n');
      expect(r.stdout).not.toContain("same.md:");
      expect(r.stdout).toMatch(/: 2 Markdown files, 0\.0 MiB, 1 differ from the oracle \(3 headings, 3 links and definitions, 1 HTML anchors compared\)/);
      expect(r.stdout).toContain('  headings.text: 1 in 1 file(s), e.g. docs/differs.md: engine h2 "Two\\nlines" #twolines @3:1-5:4 ≠ oracle h2 "Two\\r\\nlines" #twolines @3:1-5:4');
    } finally {
      cleanup();
    }
  });

  it("`--real-world` refuses to run, rather than skip, when POLICYOPS_REAL_WORLD is not set", () => {
    const r = node([DIFFERENTIAL, "--real-world"], { POLICYOPS_REAL_WORLD: undefined });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("POLICYOPS_REAL_WORLD is not set; extract the repositories as bench/real-world.md says and set POLICYOPS_REAL_WORLD to their folder.\n");
  });
});
