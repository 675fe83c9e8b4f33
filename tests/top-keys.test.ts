import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { load, parseFile } from "../src/engine/index.js";
import { positionsOf, rangeFor, scannedPositionsOf } from "../src/engine/facts/parse-file.js";
import { topLevelKeyStarts, topLevelScalarSpan } from "../src/engine/facts/top-keys.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-top-keys-");

/** A docs site's page, governed as a manual: every finding is at a top-level key or the first key. */
const HUGO = "---\ntitle: strings.Trim\n# a comment\ndescription: Returns the string.\ncategories: []\nparams:\n  functions_and_methods:\n    aliases: [trim]\naliases: [/functions/trim]\nModule Name: Exchange\n---\n\n## Usage\n\nSee [missing](nowhere.md).\n";

describe("top-level keys by a line scan", () => {
  it("gives a plain scalar's span on its key's line exactly as yaml's Document does, and is not sure of anything else", () => {
    // Values a rule may point at, and values a line scan must leave to yaml.
    const value = fc.constantFrom(
      " critical", " 2026-08-02", " SYS-00001", " information platform 1", " 61", " https://x.org/a?b=c&d", " ~", " a:b", " (x) y/z", " x   ", "  spaced",
      " 'quoted'", ' "dq"', " x # comment", " a#b", " [a, b]", " {a: 1}", " &a x", " *a", " !!str 1", " |\n  block", " >\n  folded", " - item", " -5", " ? k",
      " @x", " `x`", " %x", " x:", "", "\n  - a\n  - b", "\n  k: v", " x\n  continued", " x\n\n  after a blank", " x\t", " a\tb", " x\n# comment at column 0",
    );
    const key = fc.constantFrom("id", "criticality", "expiry_date", "Module Name", "x.y-z", "owner");
    const record = fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength: 6, selector: ([k]) => k });
    fc.assert(
      fc.property(record, fc.constantFrom("\n", "\r\n"), fc.boolean(), (pairs, eol, markdown) => {
        const yaml = pairs.map(([k, v]) => `${k}:${v}`).join("\n") + "\n";
        const text = (markdown ? `---\n${yaml}---\n\n## Purpose\n` : yaml).split("\n").join(eol);
        const kind = markdown ? "manual" : "system";
        const parsed = parseFile(markdown ? "manuals/m.md" : "systems/s.yaml", kind, text, { positions: "eager" });
        if (!parsed.facts.parsed) return;
        const keys = Object.keys(parsed.facts.values);
        const full = positionsOf(kind, text);
        const scanned = scannedPositionsOf(kind, text, keys);
        expect(scanned.lineLengths).toEqual(full.lineLengths);
        for (const pointer of ["#first", ...keys.flatMap((k) => [`/${k}`, `/${k}#key`])]) {
          const quick = scanned.rangeAt(pointer);
          if (quick) expect(quick, `${JSON.stringify(text)} ${pointer}`).toEqual(rangeFor(full.ranges, pointer));
        }
      }),
      { numRuns: 400 },
    );
    // It is sure where it should be: a system's criticality and a licence's expiry date.
    const src = "id: SYS-1\ncriticality: critical   \nexpiry_date: 2026-08-02\nnotes: x # c\n";
    const starts = topLevelKeyStarts(src, ["id", "criticality", "expiry_date", "notes"])!;
    expect(topLevelScalarSpan(src, "criticality", starts.get("criticality")!)).toEqual([src.indexOf("critical "), src.indexOf("critical ") + 8]);
    expect(topLevelScalarSpan(src, "expiry_date", starts.get("expiry_date")!)).not.toBeNull();
    expect(topLevelScalarSpan(src, "notes", starts.get("notes")!)).toBeNull();
  });

  it("a workspace places findings at such values without parsing the document's spans, and parses them for a pointer into a list", async () => {
    const root = repo({
      "systems/s.yaml": "id: SYS-001\nname: Core\nowner: IT\ncriticality: critical\nrto_hours: 4\nrpo_hours: 1\n",
      "sops/a.md": "---\nid: SOP-001\ntitle: A\nversion: \"1.0\"\nstatus: active\nowner: IT\napproved_by: IT\napproved_on: 2026-01-01\nlast_reviewed: 2026-01-01\npolicies:\n  - POL-404\n---\n## Purpose\n## Scope\n## Procedure\n",
    });
    const ws = await load(root, { today: "2026-06-01", git: false });
    const dr = ws.findingsFor("systems/s.yaml").find((f) => f.code === "continuity/test-overdue");
    expect(dr).toMatchObject({ line: 4, column: 14, endLine: 4, endColumn: 22 });
    expect(ws.facts("systems/s.yaml")!.ranges).toBeNull();
    const unknown = ws.findingsFor("sops/a.md").find((f) => f.code === "ref/unknown");
    expect(unknown).toMatchObject({ line: 11, column: 5, endLine: 11, endColumn: 12 });
    expect(ws.facts("sops/a.md")!.ranges).not.toBeNull();
  });

  it("finds each top-level key of a plain block mapping, with keys spelt with spaces, dots and hyphens, comments, nesting and CRLF", () => {
    const src = "title: x\n# c\nonline version: https://a\nparams:\n  nested: 1\n  other: [a,\n    b]\nx.y-z: |\n  block: not a key\n\nlast:\n";
    const starts = topLevelKeyStarts(src, ["title", "online version", "params", "x.y-z", "last"])!;
    expect([...starts]).toEqual([["title", 0], ["online version", src.indexOf("online")], ["params", src.indexOf("params")], ["x.y-z", src.indexOf("x.y-z")], ["last", src.indexOf("last")]]);
    const crlf = src.replace(/\n/g, "\r\n");
    expect(topLevelKeyStarts(crlf, ["title", "online version", "params", "x.y-z", "last"])?.get("last")).toBe(crlf.indexOf("last"));
  });

  it("is not sure, and says so, for anything else at column 0 or keys that differ from the parsed ones", () => {
    const keys = ["a", "b"];
    expect(topLevelKeyStarts("a: 1\nb: 2\n", keys)).not.toBeNull();
    // A flow collection running on at column 0 (js-yaml reads `{a: [1, {b: 2}]}`): a key-like line too many.
    expect(topLevelKeyStarts("a: [1,\nb: 2]\n", ["a"])).toBeNull();
    for (const src of [
      "a: 1\n'b': 2\n", // quoted key
      "a: 1\n\"b\": 2\n",
      "a: 1\nb : 2\n", // space before the colon
      "a: 1\n\tb: 2\n", // tab at a line start
      "a: 1\r b: 2\r", // lone CR
      "a: [1,\n2]\nb: 2\n", // a flow collection's item at column 0
      "&x a: 1\nb: 2\n", // anchored key
      "? a\n: 1\nb: 2\n", // explicit key
      "a: 1\nb: 2\nc: 3\n", // more keys than parsed
      "b: 1\na: 2\n", // another order
      "a: 1\n", // fewer keys than parsed
      "a: 1\n<<: {b: 2}\n", // merge key
    ]) expect(topLevelKeyStarts(src, keys), JSON.stringify(src)).toBeNull();
    expect(topLevelKeyStarts("", [])).toBeNull();
  });

  it("a bulk load places a docs page's schema findings without the positioned parse, exactly where it would put them", () => {
    const lazy = parseFile("manuals/page.md", "manual", HUGO, { positions: "lazy" });
    const eager = parseFile("manuals/page.md", "manual", HUGO, { positions: "eager" });
    expect(lazy.findings).toEqual(eager.findings);
    expect(lazy.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code} ${f.message.split(";")[0]}`)).toEqual([
      "2:1-2:6 schema/required Missing required field `id`",
      "2:1-2:6 schema/required Missing required field `owner`",
      "2:1-2:6 schema/required Missing required field `version`",
      "2:1-2:6 schema/required Missing required field `status`",
      "2:1-2:6 schema/required Missing required field `system`",
      "4:1-4:12 schema/additional-properties Unknown field `description`",
      "5:1-5:11 schema/additional-properties Unknown field `categories`",
      "6:1-6:7 schema/additional-properties Unknown field `params`",
      "9:1-9:8 schema/additional-properties Unknown field `aliases`",
      "10:1-10:12 schema/additional-properties Unknown field `Module Name`",
    ]);
    // The scan placed them: the spans are left for later, the line lengths kept for clamping.
    expect(lazy.facts.ranges).toBeNull();
    expect(lazy.facts.lineLengths).toEqual(eager.facts.lineLengths);
  });

  it("the workspace still gives every span of such a page on demand, and rules' findings on it keep their ranges", async () => {
    const root = repo({ "manuals/page.md": HUGO });
    const ws = await load(root, { today: "2026-06-01", git: false });
    const eager = parseFile("manuals/page.md", "manual", HUGO, { positions: "eager" });
    const found = ws.findingsFor("manuals/page.md");
    expect(found.filter((f) => f.code.startsWith("schema/")).map(({ line, column, endLine, endColumn, code, message }) => ({ line, column, endLine, endColumn, code, message }))).toEqual(
      eager.findings.map(({ line, column, endLine, endColumn, code, message }) => ({ line, column, endLine, endColumn, code, message })),
    );
    expect(found.find((f) => f.code === "link/broken")).toMatchObject({ line: 15, column: 5, endLine: 15, endColumn: 26 });
    const ranges = ws.positions("manuals/page.md")!.ranges;
    expect(ranges["/params/functions_and_methods/aliases/0"]).toMatchObject({ line: 8, column: 15, endLine: 8, endColumn: 19 });
    for (const [k, r] of Object.entries(eager.facts.ranges!)) expect(ranges[k], k).toMatchObject(r);
  });

  it("front matter whose value runs on at column 0 (js-yaml reads it, yaml refuses it) gets yaml's syntax error on both paths", () => {
    for (const fm of ["id: MAN-001\ntitle: [x,\ny]\n", "id: MAN-001\ntitle: 'a\nb: c'\n", "id: MAN-001\ntitle: {a: 1,\nb: 2}\n"]) {
      const text = `---\n${fm}---\n\n## Purpose\n`;
      const lazy = parseFile("manuals/m.md", "manual", text, { positions: "lazy" });
      const eager = parseFile("manuals/m.md", "manual", text, { positions: "eager" });
      expect(lazy.findings.map((f) => f.code), fm).toEqual(["parse/yaml"]);
      expect(lazy.findings, fm).toEqual(eager.findings);
      expect(lazy.findings[0]!.message, fm).toMatch(/^YAML syntax error: /);
    }
  });

  it("the same unknown or missing top-level key on many pages gets the same wording and a data object of its own per finding", () => {
    const a = parseFile("manuals/a.md", "manual", "---\ntitel: A\nid: MAN-001\n---\n", { positions: "lazy" });
    const b = parseFile("manuals/b.md", "manual", "---\nid: MAN-002\ntitel: B\n---\n", { positions: "lazy" });
    const unknown = (r: typeof a) => r.findings.find((f) => f.code === "schema/additional-properties")!;
    expect(unknown(a).message).toBe("Unknown field `titel` (did you mean `title`?); correct its spelling or remove it, or prefix it with `x-` to keep your own data.");
    expect(unknown(b).message).toBe(unknown(a).message);
    expect(unknown(b).data).toEqual({ field: "titel", suggestion: "title" });
    expect(unknown(b).data).not.toBe(unknown(a).data);
    expect(b.findings.filter((f) => f.code === "schema/required").map((f) => f.message)).toEqual(a.findings.filter((f) => f.code === "schema/required").map((f) => f.message));
  });

  it("the line scan and yaml's Document agree on every front matter of top-level keys (property)", () => {
    const bits = fc.constantFrom(
      "title: T\n", "id: MAN-001\n", "owner: IT\n", "cascade:\n  a: 1\n", "Module Name: x\n", "online version: https://a/b\n", "x.y: 1\n",
      "a-b: [x,\n  y]\n", "plain: a\n  b\n", "plain2: a\nb\n", "q: \"a\n  b\"\n", "# c\n", "  # c\n", "\n", "  \n",
      "lit: |\n  k: v\n", "lit2: |\nk: v\n", "'quoted': 1\n", "\"dq\": 1\n", "sp : 1\n", "&a anc: 1\n", "al: *a\n", "tab:\t1\n", "\tti: 1\n", "__proto__: 1\n",
      "null: 1\n", "true: 2\n", "dup: 1\n", "dup: 2\n", "<<: {z: 1}\n", "k:v\n", "k: v # c\n", "- item\n", "version: 1.10\n", "status: nope\n",
    );
    let scanned = 0;
    fc.assert(
      fc.property(fc.array(bits, { maxLength: 10 }), fc.constantFrom("\n", "\r\n"), (parts, eol) => {
        const text = `---${eol}${parts.join("").replace(/\n/g, eol)}---${eol}${eol}Body [a](b.md).${eol}`;
        const lazy = parseFile("manuals/m.md", "manual", text, { positions: "lazy" });
        const eager = parseFile("manuals/m.md", "manual", text, { positions: "eager" });
        expect(lazy.facts.values).toEqual(eager.facts.values);
        expect(lazy.findings).toEqual(eager.findings);
        if (lazy.facts.ranges === null && lazy.findings.length > 0) scanned++;
      }),
      { numRuns: 3000 },
    );
    // The property must exercise the scan, not only the fallback.
    expect(scanned).toBeGreaterThan(300);
  });
});
