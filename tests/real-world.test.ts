/**
 * PolicyOps on content shaped like real documentation sites (bench/real-world.md ran the
 * same checks on nodejs.org, gohugoio/hugoDocs and jekyll/jekyll): a hand-made repository
 * in tests/fixtures/real-world/ whose `content/` folder is governed as manuals through its
 * policyops.yaml, with Hugo TOML and JSON front matter, Jekyll front matter and Liquid,
 * Docusaurus MDX-ish Markdown, HTML blocks, a 20,000-character line, emoji and right-to-left
 * text, Windows line endings, a UTF-8 BOM, an empty file, a `---\n---` file, YAML anchors and
 * aliases, and links of every shape; README.md and docs/ sit outside the governed folders.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { PROJECT, runCli, tempDir, type CliRun } from "./helpers/repo.js";
import type { Finding as EngineFinding } from "../src/engine/index.js";

const FIXTURE = join(PROJECT, "tests", "fixtures", "real-world");
const TODAY = "2026-11-22";

/** A finding as `--format json` prints it (SPEC §3). */
type Finding = Omit<EngineFinding, "related" | "data">;
interface Report {
  version: number;
  today: string;
  summary: { documents: number; errors: number; warnings: number; infos: number };
  documents: { id: string | null; kind: string; file: string }[];
  findings: Finding[];
}

/** A file's lines as the engine counts them: split at \n, a trailing \r and a UTF-8 BOM not counted, UTF-16 code units. */
function linesOf(path: string): string[] {
  const text = new TextDecoder("utf-8").decode(readFileSync(path)); // drops a UTF-8 BOM
  return text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

/** Why a finding's range is not inside its file, or null when it is (same logic as bench/real-world.mjs). */
function positionProblem(f: Finding, lines: string[]): string | null {
  if (![f.line, f.column, f.endLine, f.endColumn].every(Number.isInteger)) return "non-integer position";
  if (f.line < 1 || f.line > lines.length) return `line ${f.line} not in 1..${lines.length}`;
  if (f.column < 1 || f.column > lines[f.line - 1]!.length + 1) return `column ${f.column} not in 1..${lines[f.line - 1]!.length + 1}`;
  if (f.endLine < f.line || f.endLine > lines.length) return `endLine ${f.endLine} not in ${f.line}..${lines.length}`;
  if (f.endColumn < 1 || f.endColumn > lines[f.endLine - 1]!.length + 1) return `endColumn ${f.endColumn} not in 1..${lines[f.endLine - 1]!.length + 1}`;
  if (f.endLine === f.line && f.endColumn < f.column) return `endColumn ${f.endColumn} < column ${f.column}`;
  return null;
}

/** The text a single-line range covers. */
const covered = (f: Finding, lines: string[]): string => lines[f.line - 1]!.slice(f.column - 1, f.endLine === f.line ? f.endColumn - 1 : undefined);

let root: string;
let cleanup: () => void;
let first: CliRun;
let second: CliRun;
let report: Report;

beforeAll(async () => {
  // A copy outside the project's git checkout, so git history plays no part.
  ({ dir: root, cleanup } = tempDir("policyops-real-world-"));
  cpSync(FIXTURE, root, { recursive: true });
  first = await cli(["validate", root, "--format", "json", "--today", TODAY]);
  // The second run is a separate process: the in-process runs must match what a user gets.
  second = runCli(["validate", root, "--format", "json", "--today", TODAY]);
  report = JSON.parse(first.stdout) as Report;
});
afterAll(() => cleanup?.());

describe("real-world fixture: the position checker itself", () => {
  const f = (line: number, column: number, endLine: number, endColumn: number): Finding =>
    ({ code: "x", severity: "error", message: "", file: "f", line, column, endLine, endColumn, docId: null });
  const lines = ["abc", "", "😀"]; // "😀" is two UTF-16 code units
  it("accepts ranges inside the file, up to one past the end of a line", async () => {
    for (const ok of [f(1, 1, 1, 4), f(2, 1, 2, 1), f(1, 2, 3, 3), f(3, 3, 3, 3)]) expect(positionProblem(ok, lines)).toBeNull();
  });
  it("rejects ranges outside it", async () => {
    for (const bad of [f(0, 1, 1, 1), f(4, 1, 4, 1), f(1, 5, 1, 5), f(2, 2, 2, 2), f(1, 3, 1, 2), f(2, 1, 1, 1), f(3, 1, 3, 4), f(1.5, 1, 2, 1)])
      expect(positionProblem(bad, lines), JSON.stringify(bad)).not.toBeNull();
  });
});

describe("real-world fixture: the fixture is what it claims (guards against line-ending normalisation)", () => {
  it("keeps its Windows line endings, BOM, long line, empty and fences-only files byte for byte", async () => {
    const bytes = (p: string) => readFileSync(join(FIXTURE, p));
    expect(bytes("content/edge/crlf.md").toString("utf8")).toMatch(/^---\r\nid: MAN-CRLF\r\n/);
    expect(bytes("content/edge/crlf.md").toString("utf8").replace(/\r\n/g, "")).not.toContain("\n");
    expect([...bytes("content/edge/bom-crlf.md").subarray(0, 5)]).toEqual([0xef, 0xbb, 0xbf, 0x2d, 0x2d]);
    expect(bytes("content/edge/bom-crlf.md").toString("utf8")).toContain("\r\n");
    expect(bytes("content/edge/empty.md").length).toBe(0);
    expect(bytes("content/edge/only-fences.md").toString("utf8")).toBe("---\n---\n");
    expect(Math.max(...linesOf(join(FIXTURE, "content/edge/long-line.md")).map((l) => l.length))).toBe(20_000);
    expect(bytes("content/hugo/toml-front-matter.md").toString("utf8")).toMatch(/^\+\+\+\n/);
  });
});

describe("real-world fixture: policyops validate --format json", () => {
  it("exits 1 (findings), writes nothing to stderr and prints one JSON report", async () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(1);
    expect(report.version).toBe(1);
    expect(report.today).toBe(TODAY);
    expect(report.summary.documents).toBe(report.documents.length);
    expect(report.summary.errors).toBe(report.findings.filter((f) => f.severity === "error").length);
    expect(report.summary.warnings).toBe(report.findings.filter((f) => f.severity === "warning").length);
  });

  it("governs content/ (through policyops.yaml) and the default folders, nothing else", async () => {
    const files = new Set([...report.documents.map((d) => d.file), ...report.findings.map((f) => f.file)]);
    for (const file of files) expect(file, file).toMatch(/^(content\/.+\.md|systems\/.+\.ya?ml)$/);
    expect([...files].filter((f) => f === "README.md" || f.startsWith("docs/"))).toEqual([]);
    expect(report.documents.filter((d) => d.file.startsWith("content/")).every((d) => d.kind === "manual")).toBe(true);
    expect(report.documents).toHaveLength(19);
  });

  it("puts every finding inside its file, on what it is about", async () => {
    const problems: string[] = [];
    for (const f of report.findings) {
      const lines = linesOf(join(root, f.file));
      const where = `${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code}`;
      const p = positionProblem(f, lines);
      if (p) {
        problems.push(`${where}: ${p}`);
        continue;
      }
      const text = covered(f, lines);
      if (f.code === "schema/additional-properties") {
        const key = /`([^`]*)`/.exec(f.message)?.[1];
        if (text !== key) problems.push(`${where}: covers ${JSON.stringify(text)}, not the key ${key}`);
      }
      if (f.code === "link/broken" && !/^!?\[/.test(text)) problems.push(`${where}: covers ${JSON.stringify(text)}, not a link`);
      if (f.code === "parse/front-matter" && f.line !== 1) problems.push(`${where}: not on line 1`);
    }
    expect(problems).toEqual([]);
  });

  it("never reports an engine failure (engine/rule-error, engine/parse-error)", async () => {
    expect(report.findings.filter((f) => f.code.startsWith("engine/"))).toEqual([]);
  });

  it("gives byte-identical JSON on a second run, in a separate process", async () => {
    expect(second.status).toBe(first.status);
    expect(second.stderr).toBe("");
    expect(second.stdout).toBe(first.stdout);
  });
});

describe("real-world fixture: findings per file", () => {
  const at = (file: string) =>
    report.findings.filter((f) => f.file === file).map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code}`);
  const codes = (file: string) => report.findings.filter((f) => f.file === file).map((f) => f.code);

  it("Hugo TOML (+++) and JSON front matter: parse/front-matter at 1:1, nothing else", async () => {
    expect(at("content/hugo/toml-front-matter.md")).toEqual(["1:1-1:4 parse/front-matter"]);
    expect(at("content/hugo/json-front-matter.md")).toEqual(["1:1-1:2 parse/front-matter"]);
  });

  it("Hugo _index.md: required fields at its first key, its own keys, a root-relative site link", async () => {
    expect(at("content/hugo/_index.md")).toEqual([
      ...Array(5).fill("2:1-2:6 schema/required"),
      "3:1-3:8 schema/additional-properties", // cascade
      "6:1-6:7 schema/additional-properties", // weight
      "7:1-7:8 schema/additional-properties", // aliases
      "12:1-12:56 link/broken", // /functions/strings/contains/: a Hugo route, not a file
    ]);
  });

  it("Jekyll front matter with Liquid in the body: schema findings only (Liquid is not a link)", async () => {
    expect(at("content/jekyll/liquid.md")).toEqual([
      "2:1-2:7 schema/additional-properties", // layout
      ...Array(5).fill("2:1-2:7 schema/required"),
      "4:1-4:10 schema/additional-properties", // permalink
      "5:1-5:14 schema/additional-properties", // redirect_from
    ]);
    expect(at("content/jekyll/bad-yaml.md")).toEqual(["3:8-3:9 parse/yaml"]); // title: Jekyll 4.0: a colon…
  });

  it("Docusaurus MDX-ish Markdown (import/export, JSX, admonitions): its own findings, no crash", async () => {
    expect(at("content/docusaurus/intro.md")).toEqual([
      ...Array(4).fill("2:1-2:3 schema/required"),
      "2:5-2:10 schema/pattern", // id: intro
      "4:1-4:17 schema/additional-properties", // sidebar_position
      "5:1-5:5 schema/additional-properties", // slug
      "14:27-14:47 link/broken", // a link inside {/* an MDX comment */}: CommonMark sees a link
      "35:1-35:39 link/broken", // @site/docs/other.md
      "35:44-35:68 link/broken", // a Docusaurus doc id
    ]);
  });

  it("a `---\\n---` file: schema/required at the opening fence; an empty file: parse/front-matter at 1:1", async () => {
    expect(at("content/edge/only-fences.md")).toEqual(Array(6).fill("1:1-1:4 schema/required"));
    expect(at("content/edge/empty.md")).toEqual(["1:1-1:1 parse/front-matter"]);
    expect(at("content/edge/unclosed.md")).toEqual(["1:1-1:4 parse/front-matter"]);
  });

  it("YAML anchors, aliases, merge keys and nested maps: only the unknown top-level key", async () => {
    expect(at("content/edge/anchors-aliases.md")).toEqual(["17:1-17:7 schema/additional-properties"]); // params
  });

  it("Windows line endings and a BOM: the same columns as LF, anchors in those files resolve", async () => {
    expect(at("content/edge/crlf.md")).toEqual(["4:1-4:7 schema/additional-properties", "13:3-13:30 link/broken"]);
    expect(at("content/edge/bom-crlf.md")).toEqual(["8:1-8:10 schema/additional-properties", "13:1-13:23 link/broken"]);
  });

  it("a 20,000-character line: the link at its end, column 19,981", async () => {
    expect(at("content/edge/long-line.md")).toEqual(["12:19981-12:20001 link/broken"]);
  });

  it("emoji and right-to-left text: UTF-16 columns, emoji and Hebrew keys, Arabic anchors", async () => {
    expect(at("content/edge/unicode.md")).toEqual([
      "8:1-8:3 schema/additional-properties", // 🔑
      "9:1-9:5 schema/additional-properties", // מפתח
      "16:34-16:57 link/broken", // after a 4-person ZWJ family emoji (11 code units)
      "18:36-18:62 link/broken", // inside an Arabic sentence
      "20:44-20:65 link/broken", // #وداعا; #مرحبا and #-launch resolve
    ]);
  });

  it("HTML blocks: links inside them are not links; Markdown after them is checked", async () => {
    expect(at("content/edge/html-blocks.md")).toEqual(["20:17-20:51 link/broken"]); // inside <details>, after a blank line
  });

  it("links: query strings, anchors, angle brackets, percent-encoding, titles and references resolve; the broken ones do not", async () => {
    expect(codes("content/edge/links.md").every((c) => c === "link/broken")).toBe(true);
    const broken = report.findings
      .filter((f) => f.file === "content/edge/links.md")
      .map((f) => `${f.line}:${f.column} ${covered(f, linesOf(join(root, f.file)))}`);
    expect(broken).toEqual([
      "44:19 [na](../target.md#section-three)",
      "45:28 [mq](./missing.md?x=1)",
      "46:28 [mp](./missing%20file.md)",
      "47:30 [ma](<./missing file.md>)",
      "48:18 ![img](./img/missing.png)",
      "49:33 [ns](#not-here)",
      "51:27 [rn](/README.md#nope)",
      "52:28 [pp](./a_(b).md)",
      "53:26 [out](../../../outside.md)",
      "55:1 [bad-ref]: ./nowhere.md",
    ]);
  });

  it("clean documents stay clean", async () => {
    for (const file of ["content/target.md", "content/file with spaces.md"]) expect(at(file), file).toEqual([]);
    // A high-criticality system and no DR test in the repository: SPEC §2's continuity/test-overdue, at its criticality, and nothing else.
    expect(at("systems/erp.yaml")).toEqual(["4:14-4:18 continuity/test-overdue"]);
  });
});

describe("real-world fixture: without the content mapping", () => {
  it("governs only the default folders: one system, no findings but the info that content/ is ungoverned and the system's missing DR test, exit 0", async () => {
    const other = tempDir("policyops-real-world-config-");
    try {
      const config = join(other.dir, "defaults.policyops.yaml");
      writeFileSync(config, "version: 1\n");
      const r = await cli(["validate", root, "--format", "json", "--today", TODAY, "--config", config]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const rep = JSON.parse(r.stdout) as Report;
      expect(rep.documents.map((d) => d.file)).toEqual(["systems/erp.yaml"]);
      // Issue 13: manuals left in a folder no kind governs are pointed out, once, as info.
      // The high-criticality system without a DR test is a warning (exit 0 still: --fail-on error).
      expect(rep.findings.map((f) => `${f.severity} ${f.code} ${f.file}`)).toEqual(["info folder/ungoverned content/file with spaces.md", "warning continuity/test-overdue systems/erp.yaml"]);
    } finally {
      other.cleanup();
    }
  });

  it("prints the text report without a crash", async () => {
    const r = await cli(["validate", root, "--today", TODAY], { env: { NO_COLOR: "1" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✖ \d+ problems/);
  });
});
