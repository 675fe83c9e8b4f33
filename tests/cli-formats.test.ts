/**
 * `policyops validate --format sarif|github|junit` (SPEC §3): the CI formats, run through
 * the built CLI. SARIF is checked against the official OASIS schema (tests/schemas/),
 * JUnit is read back with fast-xml-parser, and every format must say the same thing as
 * `--format json`: the same codes, severities and 1-based positions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { corpus, type CorpusExpectation } from "./helpers/corpus.js";
import { PROJECT, policy, tempDir, writeRepo } from "./helpers/repo.js";
import { applySpecModels } from "./helpers/corpus-renewal.js";
import type { Finding } from "../src/engine/index.js";

/** A finding as `--format json` prints it (SPEC §3): the engine's, without the editor extras. */
type JsonFinding = Omit<Finding, "related" | "data">;

// --- the official SARIF 2.1.0 schema (draft-04) --------------------------------------

// Both are CommonJS with a `default` export; Node's types and vitest's loader disagree on where it lands.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<typeof AjvDraft04>) => unknown;
const sarifSchema = JSON.parse(readFileSync(join(PROJECT, "tests/schemas/sarif-schema-2.1.0.json"), "utf8"));
// strict: false: ajv's strict mode rejects the official schema's `anyOf` branches that `require` undeclared properties.
const ajv = new AjvDraft04({ strict: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

function expectValidSarif(log: unknown): void {
  const ok = validateSarif(log);
  expect(validateSarif.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

// --- fixtures -----------------------------------------------------------------------

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function repo(files: Record<string, string | Uint8Array>): string {
  const t = tempDir("policyops-formats-");
  cleanups.push(t.cleanup);
  return writeRepo(t.dir, files);
}

const TODAY = "2026-06-30";
/** A file name that needs escaping in a GitHub property (`,` `:` `%`) and in a URI. */
const AWKWARD = "licences/a,b:c%d.yaml";
/** A product name that needs escaping everywhere: XML markup, `%,:`, CR, LF and a control character. */
const PRODUCT = 'A <&"> %,: b\nc\rd\u0001e';

/**
 * One finding of each severity and source: an expired licence whose message embeds the
 * awkward product name (error), a licence in its notice period (warning), a review due
 * soon (info), schema errors (`additional-properties`, `required`), two missing sections
 * at one position, a duplicate id with a related location, and one clean document.
 */
function mixedRepo(): string {
  return repo({
    [AWKWARD]: `id: LIC-001\nproduct: "A <&\\"> %,: b\\nc\\rd\\x01e"\ntype: subscription\nowner: IT\nexpiry_date: 2026-06-01\n`,
    "licences/w.yaml": "id: LIC-002\nproduct: Office\ntype: subscription\nowner: IT\nexpiry_date: 2026-07-10\nrenewal_notice_days: 30\n",
    "licences/r.yaml": "id: LIC-003\ntype: perpetual\nowner: IT\n",
    "policies/a.md": policy("POL-001", "bogus: 1\n", "## Purpose\n\nWhy.\n").replace("last_reviewed: 2026-03-01", "last_reviewed: 2025-07-15").replace("approved_on: 2026-03-01", "approved_on: 2025-07-01"), // review baseline 2025-07-15: due soon
    "policies/b.md": policy("POL-002"),
    "policies/c.md": policy("POL-001"),
  });
}

async function run(root: string, format: string, ...flags: string[]) {
  const r = await cli(["validate", root, "--today", TODAY, "--format", format, ...flags]);
  expect(r.stderr).toBe("");
  return r;
}

async function jsonOf(root: string): Promise<{ summary: { documents: number; errors: number; warnings: number; infos: number }; findings: JsonFinding[] }> {
  return JSON.parse((await run(root, "json")).stdout);
}

/** What the mixed repository must report, in output order: `code severity file line:col-endLine:endCol`. */
const MIXED = [
  "licence/expired error licences/a,b:c%d.yaml 5:14-5:24",
  "schema/required error licences/r.yaml 1:1-1:3",
  "licence/renewal-due warning licences/w.yaml 5:14-5:24",
  "review/due-soon info policies/a.md 9:16-9:26",
  "schema/additional-properties error policies/a.md 10:1-10:6",
  "sections/missing error policies/a.md 12:1-12:1",
  "sections/missing error policies/a.md 12:1-12:1",
  "id/duplicate error policies/c.md 2:5-2:12",
];

describe("the mixed fixture (as --format json reports it)", () => {
  it("has one finding of each kind the format tests rely on", async () => {
    const { findings, summary } = await jsonOf(mixedRepo());
    expect(findings.map((f) => `${f.code} ${f.severity} ${f.file} ${f.line}:${f.column}-${f.endLine}:${f.endColumn}`)).toEqual(MIXED);
    expect(summary).toEqual({ documents: 6, errors: 6, warnings: 1, infos: 1 });
    expect(findings[0]!.message).toContain(PRODUCT);
  });
});

// --- SARIF --------------------------------------------------------------------------

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifLocation {
  physicalLocation: { artifactLocation: { uri: string; uriBaseId: string; index: number }; region: SarifRegion };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: (SarifLocation & { id: number; message: { text: string } })[];
  partialFingerprints: Record<string, string>;
}
interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  helpUri: string;
  defaultConfiguration: { level: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    artifacts: { location: { uri: string; uriBaseId: string } }[];
    results: SarifResult[];
  }[];
}

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

describe("validate --format sarif", () => {
  it("is valid SARIF 2.1.0 and says what --format json says, position for position", async () => {
    const root = mixedRepo();
    const json = await jsonOf(root);
    const r = await run(root, "sarif");
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expectValidSarif(log);

    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const [run0] = log.runs;
    const pkg = JSON.parse(readFileSync(join(PROJECT, "package.json"), "utf8"));
    expect(run0!.tool.driver).toMatchObject({ name: "policyops", semanticVersion: pkg.version, informationUri: "https://github.com/policyops/policyops" });
    expect(run0!.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: pathToFileURL(root).href + "/" } });

    const results = run0!.results;
    expect(results.map((x) => `${x.ruleId} ${x.level}`)).toEqual([
      "licence/expired error",
      "schema/required error",
      "licence/renewal-due warning",
      "review/due-soon note",
      "schema/additional-properties error",
      "sections/missing error",
      "sections/missing error",
      "id/duplicate error",
    ]);
    const rules = run0!.tool.driver.rules;
    results.forEach((res, i) => {
      const f = json.findings[i]!;
      expect(res.ruleId).toBe(f.code);
      expect(rules[res.ruleIndex]!.id).toBe(f.code);
      expect(res.level).toBe(LEVEL[f.severity]);
      expect(res.message.text).toBe(f.message);
      expect(res.locations).toHaveLength(1);
      const loc = res.locations[0]!.physicalLocation;
      expect(decodeURIComponent(loc.artifactLocation.uri)).toBe(f.file);
      expect(loc.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(run0!.artifacts[loc.artifactLocation.index]!.location.uri).toBe(loc.artifactLocation.uri);
      expect(loc.region).toEqual({ startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn });
      expect(Object.keys(res.partialFingerprints)).toEqual(["policyops/v1"]);
    });

    // The awkward file name is a percent-encoded URI reference; the message keeps every character.
    expect(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("licences/a%2Cb%3Ac%25d.yaml");
    expect(results[0]!.message.text).toContain(PRODUCT);
    // Artifacts: each file with findings (or a related location), once.
    expect(run0!.artifacts.map((a) => decodeURIComponent(a.location.uri))).toEqual([AWKWARD, "licences/r.yaml", "licences/w.yaml", "policies/a.md", "policies/c.md"]);
    // The duplicate id points back at its first declaration.
    expect(results[7]!.relatedLocations).toEqual([
      {
        id: 0,
        physicalLocation: { artifactLocation: { uri: "policies/a.md", uriBaseId: "%SRCROOT%", index: 3 }, region: { startLine: 2, startColumn: 5, endLine: 2, endColumn: 12 } },
        message: { text: "`POL-001` is first declared here." },
      },
    ]);
    // Fingerprints are unique, also for the two missing sections at one position.
    expect(new Set(results.map((x) => x.partialFingerprints["policyops/v1"])).size).toBe(results.length);
  });

  it("declares every rule and loader code, plus each concrete schema/<keyword> that occurs", async () => {
    const log = JSON.parse((await run(mixedRepo(), "sarif")).stdout) as SarifLog;
    const rules = log.runs[0]!.tool.driver.rules;
    const ids = rules.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain("schema/*");
    expect(ids.slice(0, 5)).toEqual(["parse/yaml", "parse/front-matter", "parse/encoding", "file/unreadable", "file/too-large"]);
    expect(ids.slice(-2)).toEqual(["schema/required", "schema/additional-properties"]);
    for (const code of ["kind/mismatch", "id/duplicate", "review/overdue", "licence/expired", "sections/missing", "link/broken", "file/missing"]) expect(ids).toContain(code);

    const byId = new Map(rules.map((d) => [d.id, d]));
    expect(byId.get("review/overdue")).toMatchObject({
      name: "ReviewOverdue",
      shortDescription: { text: "Require active documents to be reviewed within their review cycle." },
      helpUri: "https://github.com/policyops/policyops/blob/main/src/engine/rules/review/overdue/README.md",
      defaultConfiguration: { level: "warning" },
    });
    expect(byId.get("review/overdue")!.help.text).toContain("See the rule's README: https://github.com/policyops/policyops/blob/main/src/engine/rules/review/overdue/README.md");
    expect(byId.get("review/due-soon")!.defaultConfiguration.level).toBe("note");
    expect(byId.get("licence/expired")!.defaultConfiguration.level).toBe("error");
    expect(byId.get("schema/additional-properties")).toMatchObject({
      name: "SchemaAdditionalProperties",
      helpUri: "https://github.com/policyops/policyops/blob/main/README.md#rule-codes",
      defaultConfiguration: { level: "error" },
    });
    expect(byId.get("schema/additional-properties")!.shortDescription.text).toMatch(/^Require each document to match its kind's JSON Schema/);
    expect(byId.get("parse/yaml")!.helpUri).toBe("https://github.com/policyops/policyops/blob/main/README.md#rule-codes");
  });

  it("keeps a finding's fingerprint from one day to the next, and carries severity overrides", async () => {
    const root = mixedRepo();
    writeRepo(root, { "policyops.yaml": "rules:\n  licence/renewal-due: error\n  review/due-soon: warning\n" });
    const day = async (today: string) => JSON.parse((await cli(["validate", root, "--today", today, "--format", "sarif"])).stdout) as SarifLog;
    const a = (await day("2026-06-30")).runs[0]!.results;
    const b = (await day("2026-07-01")).runs[0]!.results;
    expect(a[0]!.message.text).toContain("29 days ago");
    expect(b[0]!.message.text).toContain("30 days ago");
    expect(b[0]!.partialFingerprints).toEqual(a[0]!.partialFingerprints);
    const levels = (rs: SarifResult[]) => Object.fromEntries(rs.map((x) => [x.ruleId, x.level]));
    expect(levels(a)).toMatchObject({ "licence/renewal-due": "error", "review/due-soon": "warning" });
  });

  it("keeps a finding's fingerprint when its message turns from `in 1 day` to `today` on the deadline", async () => {
    const root = repo({ "licences/w.yaml": "id: LIC-001\nproduct: Office\nowner: IT\ntype: subscription\nexpiry_date: 2026-07-10\nrenewal_notice_days: 30\n" });
    const day = async (today: string) => JSON.parse((await cli(["validate", root, "--today", today, "--format", "sarif"])).stdout) as SarifLog;
    const before = (await day("2026-07-09")).runs[0]!.results;
    const on = (await day("2026-07-10")).runs[0]!.results;
    expect(before[0]!.message.text).toContain("(in 1 day, inside its 30-day notice period)");
    expect(on[0]!.message.text).toContain("(today, inside its 30-day notice period)");
    expect(on[0]!.partialFingerprints).toEqual(before[0]!.partialFingerprints);
  });

  it("is valid for a clean repository too: no results, no artifacts", async () => {
    const r = await run(repo({ "policies/a.md": policy("POL-001") }), "sarif");
    expect(r.status).toBe(0);
    const log = JSON.parse(r.stdout) as SarifLog;
    expectValidSarif(log);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.artifacts).toEqual([]);
  });
});

// --- GitHub Actions -----------------------------------------------------------------

describe("validate --format github", () => {
  it("prints one workflow command a finding, escaped, then a summary line", async () => {
    const r = await run(mixedRepo(), "github");
    expect(r.status).toBe(1);
    expect(r.stdout.split("\n")).toEqual([
      "::error file=licences/a%2Cb%3Ac%25d.yaml,line=5,col=14,endLine=5,endColumn=24,title=licence/expired::Licence for `A <&\"> %25,: b%0Ac%0Dd\\x01e` expired on `2026-06-01` (29 days ago); renew it and update `expiry_date`, or delete the record if it was deliberately not renewed.",
      "::error file=licences/r.yaml,line=1,col=1,endLine=1,endColumn=3,title=schema/required::Missing required field `product`; add it.",
      "::warning file=licences/w.yaml,line=5,col=14,endLine=5,endColumn=24,title=licence/renewal-due::Licence for `Office` expires on `2026-07-10` (in 10 days, inside its 30-day notice period); start the renewal now.",
      "::notice file=policies/a.md,line=9,col=16,endLine=9,endColumn=26,title=review/due-soon::Review is due on `2026-07-15` (in 15 days); plan it and update `last_reviewed` when done.",
      "::error file=policies/a.md,line=10,col=1,endLine=10,endColumn=6,title=schema/additional-properties::Unknown field `bogus`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
      "::error file=policies/a.md,line=12,col=1,endLine=12,endColumn=1,title=sections/missing::The required section `## Scope` is missing; add it to the document body.",
      "::error file=policies/a.md,line=12,col=1,endLine=12,endColumn=1,title=sections/missing::The required section `## Policy` is missing; add it to the document body.",
      "::error file=policies/c.md,line=2,col=5,endLine=2,endColumn=12,title=id/duplicate::Id `POL-001` is already used by `policies/a.md`; give this document a new id (references keep resolving to the first).",
      "policyops: 8 problems (6 errors, 1 warning, 1 info) in 6 documents (today is 2026-06-30).",
      "",
    ]);
  });

  it("says so when there is nothing to annotate", async () => {
    const r = await run(repo({ "policies/a.md": policy("POL-001") }), "github");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("policyops: 1 document checked, no problems (today is 2026-06-30).\n");
  });
});

// --- JUnit --------------------------------------------------------------------------

interface Testcase {
  classname: string;
  name: string;
  failure?: { type: string; message: string; "#text": string };
  "system-out"?: string;
}
interface Testsuite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: Testcase[];
}

/** Read the way a CI server does: attributes as strings, character references decoded. */
const junitParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "testsuite" || name === "testcase",
});

describe("validate --format junit", () => {
  it("is well-formed JUnit XML whose counts match the summary", async () => {
    const root = mixedRepo();
    const json = await jsonOf(root);
    const r = await run(root, "junit");
    expect(r.status).toBe(1);
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="policyops" tests="9" failures="6" errors="0" time="0">\n')).toBe(true);
    expect(XMLValidator.validate(r.stdout)).toBe(true);

    const doc = junitParser.parse(r.stdout) as { testsuites: { name: string; tests: string; failures: string; errors: string; testsuite: Testsuite[] } };
    const root0 = doc.testsuites;
    const { errors, warnings, infos, documents } = json.summary;
    const cases = root0.testsuite.flatMap((s) => s.testcase);
    // Default --fail-on error: errors fail; warnings and infos pass with their line in system-out.
    expect(root0).toMatchObject({ name: "policyops", tests: String(cases.length), failures: String(errors), errors: "0" });
    expect(cases.filter((c) => c.failure)).toHaveLength(errors);
    expect(cases.filter((c) => c["system-out"] !== undefined)).toHaveLength(warnings + infos);
    // One testsuite per governed document file, in path order; clean documents pass once.
    expect(root0.testsuite.map((s) => `${s.name} ${s.tests}/${s.failures}`)).toEqual([
      `${AWKWARD} 1/1`,
      "licences/r.yaml 1/1",
      "licences/w.yaml 1/0",
      "policies/a.md 4/3",
      "policies/b.md 1/0",
      "policies/c.md 1/1",
    ]);
    expect(root0.testsuite).toHaveLength(documents);
    for (const s of root0.testsuite) {
      expect(s.testcase.every((c) => c.classname === s.name)).toBe(true);
      expect(s.testcase.filter((c) => c.failure)).toHaveLength(Number(s.failures));
    }

    expect(root0.testsuite[3]!.testcase.map((c) => c.name)).toEqual([
      "review/due-soon at line 9:16",
      "schema/additional-properties at line 10:1",
      "sections/missing at line 12:1",
      "sections/missing at line 12:1 #2",
    ]);
    expect(root0.testsuite[3]!.testcase[0]).toEqual({
      classname: "policies/a.md",
      name: "review/due-soon at line 9:16",
      time: "0",
      "system-out": "policies/a.md:9:16 info Review is due on `2026-07-15` (in 15 days); plan it and update `last_reviewed` when done.",
    });
    expect(root0.testsuite[4]!.testcase).toEqual([{ classname: "policies/b.md", name: "POL-002: no problems", time: "0" }]);
    expect(root0.testsuite[2]!.testcase[0]!.failure).toBeUndefined();
    expect(root0.testsuite[2]!.testcase[0]!["system-out"]).toBe(
      "licences/w.yaml:5:14 warning Licence for `Office` expires on `2026-07-10` (in 10 days, inside its 30-day notice period); start the renewal now.",
    );
  });

  it("escapes markup, keeps CR and LF as character references, and replaces what XML cannot carry", async () => {
    const r = await run(mixedRepo(), "junit");
    // What no XML 1.0 document may contain becomes U+FFFD; everything else survives.
    // A control character is neutralised to a visible escape (neutralise.ts) before XML escaping.
    const survivable = PRODUCT.replace("\u0001", "\\x01");
    const message = `Licence for \`${survivable}\` expired on \`2026-06-01\` (29 days ago); renew it and update \`expiry_date\`, or delete the record if it was deliberately not renewed.`;
    const doc = junitParser.parse(r.stdout) as { testsuites: { testsuite: Testsuite[] } };
    const suite = doc.testsuites.testsuite[0]!;
    expect(suite.name).toBe(AWKWARD);
    expect(suite.testcase[0]).toEqual({
      classname: AWKWARD,
      name: "licence/expired at line 5:14",
      time: "0",
      failure: { type: "licence/expired", message, "#text": `${AWKWARD}:5:14 error ${message}` },
    });
    // On the wire: entities, and newlines as references so attribute normalisation cannot eat them.
    expect(r.stdout).toContain('message="Licence for `A &lt;&amp;&quot;&gt; %,: b&#10;c&#13;d\\x01e` expired');
    expect(r.stdout).not.toContain("\u0001");
    expect(r.stdout.split("\n").every((line) => !line.includes("b\nc"))).toBe(true);
  });

  it("counts a clean repository as passing documents", async () => {
    const r = await run(repo({ "policies/a.md": policy("POL-001"), "policies/b.md": policy("POL-002") }), "junit");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="policyops" tests="2" failures="0" errors="0" time="0">',
        '  <testsuite name="policies/a.md" tests="1" failures="0" errors="0" skipped="0" time="0">',
        '    <testcase classname="policies/a.md" name="POL-001: no problems" time="0"/>',
        "  </testsuite>",
        '  <testsuite name="policies/b.md" tests="1" failures="0" errors="0" skipped="0" time="0">',
        '    <testcase classname="policies/b.md" name="POL-002: no problems" time="0"/>',
        "  </testsuite>",
        "</testsuites>",
        "",
      ].join("\n"),
    );
  });
});

describe("validate --format junit agrees with the exit code (SPEC §3)", () => {
  const WARNING_ONLY = { "licences/w.yaml": "id: LIC-002\nproduct: Office\ntype: subscription\nowner: IT\nexpiry_date: 2026-07-10\nrenewal_notice_days: 30\n" };
  const parse = (xml: string) => (junitParser.parse(xml) as { testsuites: { failures: string; testsuite: Testsuite[] } }).testsuites;
  const failures = (xml: string) => parse(xml).testsuite.flatMap((s) => s.testcase).filter((c) => c.failure).map((c) => c.failure!.type);

  it.each([
    ["default --fail-on error: a warning passes, exit 0", [], 0, []],
    ["--fail-on warning: the warning is a <failure>, exit 1", ["--fail-on", "warning"], 1, ["licence/renewal-due"]],
    ["--max-warnings 0: the warning is a <failure>, exit 1", ["--max-warnings", "0"], 1, ["licence/renewal-due"]],
    ["--max-warnings 1: within the limit, passes, exit 0", ["--max-warnings", "1"], 0, []],
    ["--fail-on info: the warning is a <failure>, exit 1", ["--fail-on", "info"], 1, ["licence/renewal-due"]],
  ] as const)("%s", async (_, flags, status, failed) => {
    const r = await run(repo(WARNING_ONLY), "junit", ...flags);
    expect(r.status).toBe(status);
    expect(failures(r.stdout)).toEqual(failed);
    expect(parse(r.stdout).failures).toBe(String(failed.length));
  });

  it("on the mixed fixture: --fail-on info makes every finding a <failure>, matching exit 1", async () => {
    const root = mixedRepo();
    const { errors, warnings, infos } = (await jsonOf(root)).summary;
    const r = await run(root, "junit", "--fail-on", "info");
    expect(r.status).toBe(1);
    expect(failures(r.stdout)).toHaveLength(errors + warnings + infos);
  });
});

// --- exit codes ---------------------------------------------------------------------

describe("exit codes do not depend on the format (SPEC §3)", () => {
  it.each(["text", "json", "sarif", "github", "junit"])("--format %s", async (format) => {
    const warningOnly = repo({ "licences/w.yaml": "id: LIC-002\nproduct: Office\ntype: subscription\nowner: IT\nexpiry_date: 2026-07-10\nrenewal_notice_days: 30\n" });
    expect((await cli(["validate", warningOnly, "--today", TODAY, "--format", format])).status).toBe(0);
    expect((await cli(["validate", warningOnly, "--today", TODAY, "--format", format, "--fail-on", "warning"])).status).toBe(1);
    expect((await cli(["validate", warningOnly, "--today", TODAY, "--format", format, "--max-warnings", "0"])).status).toBe(1);
    expect((await cli(["validate", mixedRepo(), "--today", TODAY, "--format", format])).status).toBe(1);
  });
});

// --- the generated corpus -----------------------------------------------------------

describe("validate --format sarif on the generated corpus (2,000 documents, seed 7)", () => {
  let root: string;
  let expected: CorpusExpectation;
  beforeAll(async () => {
    ({ root, expected } = corpus({ docs: 2000, seed: 7 }));
    expected = { ...expected, findings: await applySpecModels(root, expected.today, expected.findings) };
  });

  it("validates against the official schema and reports every injected defect", async () => {
    const r = await cli(["validate", root, "--format", "sarif", "--today", expected.today]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout) as SarifLog;
    expectValidSarif(log);
    const results = log.runs[0]!.results;
    const sorted = (codes: string[]) => [...codes].sort();
    expect(sorted(results.map((x) => x.ruleId))).toEqual(sorted(expected.findings.map((f) => f.code)));
    const rules = log.runs[0]!.tool.driver.rules;
    for (const x of results) expect(rules[x.ruleIndex]!.id).toBe(x.ruleId);
  });
});

describe("JSON written in pieces (issue 14: 200k findings never one string)", () => {
  it("formatJsonChunks writes 4,500 findings in 18 pieces that join to exactly JSON.stringify's two-space layout, controls and lone surrogates escaped as before", async () => {
    const { formatJsonChunks, formatJson } = await import("../src/cli/format/json.js");
    const { safeJson } = await import("../src/cli/format/neutralise.js");
    const findings = Array.from({ length: 4500 }, (_, i) => ({
      code: "schema/required", severity: (i % 3 ? "error" : "warning") as "error" | "warning", message: `Field \`id\` is missing \u001b[31m\u202e\ud800 ${i}; add it.`,
      file: `manuals/m${i}.md`, line: 1, column: 1, endLine: 1, endColumn: 4, docId: i % 2 ? null : `MAN-${i}`, related: [{ file: "x.md", line: 1, column: 1, endLine: 1, endColumn: 2, message: "m" }], data: { key: "id" },
    }));
    const result = { version: 1 as const, today: "2026-11-22", summary: { documents: 2, errors: 3000, warnings: 1500, infos: 0 }, documents: [{ file: "manuals/m0.md", kind: "manual", id: "MAN-0" }], findings };
    const shown = findings.map(({ related: _r, data: _d, ...f }) => f);
    const whole = safeJson({ ...result, findings: shown }) + "\n";
    const pieces = [...formatJsonChunks(result as never)];
    expect(pieces.length).toBe(20); // head, 18 × up to 250 findings, tail
    expect(pieces.join("")).toBe(whole);
    expect(formatJson(result as never)).toBe(whole);
    expect(JSON.parse(whole).findings[1].message).toBe("Field `id` is missing \u001b[31m\u202e\ufffd 1; add it.");
    const none = { ...result, findings: [] };
    expect([...formatJsonChunks(none as never)].join("")).toBe(safeJson(none) + "\n");
  });

  it("each finding is written as safeJson writes it, also with a line break or bidi control in its file name and fields no finding should have (an infinite column, no docId)", async () => {
    const { formatJson } = await import("../src/cli/format/json.js");
    const { safeJson } = await import("../src/cli/format/neutralise.js");
    const base = { code: "link/broken", severity: "warning" as const, message: "m \u2028\u0085", file: "a\nb\u202e.md", line: 2, column: 3, endLine: 2, endColumn: 9, docId: "POL-1" };
    const findings = [base, { ...base, endColumn: Infinity }, { ...base, docId: undefined }, { ...base, line: -0, docId: "\udfff" }];
    const result = { version: 1 as const, today: "2026-11-22", summary: { documents: 1, errors: 0, warnings: 4, infos: 0 }, documents: [], findings };
    expect(formatJson(result as never)).toBe(safeJson(result) + "\n");
  });
});
