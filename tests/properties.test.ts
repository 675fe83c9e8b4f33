import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonths, BUILTIN_KINDS, formatDay, parseDay, parseFile, KINDS } from "../src/engine/index.js";
import { policy } from "./helpers/repo.js";
import { LineIndex } from "../src/engine/facts/line-index.js";

/** Every range must lie inside its file: lines exist, columns within the line (end exclusive). */
function insideFile(text: string, f: { line: number; column: number; endLine: number; endColumn: number }): boolean {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineIndex(t);
  if (f.line < 1 || f.line > lines.lineCount || f.endLine < f.line || f.endLine > lines.lineCount) return false;
  if (f.column < 1 || f.column > lines.lineLength(f.line) + 1) return false;
  if (f.endColumn < 1 || f.endColumn > lines.lineLength(f.endLine) + 1) return false;
  return f.endLine > f.line || f.endColumn >= f.column;
}

// Text that looks like our documents: front matter fences, YAML punctuation, CRLF, unicode.
const fragment = fc.constantFrom("---\n", "---\r\n", "id: POL-001\n", "title: x\n", "version: 1.10\n", "status: active\n", "controls:\n  - NIST-CSF-2.0:GV.OC-01\n", "## Purpose\n", "[a](b.md#c)\n", "&a [*a, *a]\n", "key: [unclosed\n", "\t", "é", "\uFEFF", "\r", "\n", ": ", "- ", "*", "#", "`", "|\n  block\n", "\"quoted\\\"\n", "\u0000");
const docText = fc.array(fc.oneof(fragment, fc.string({ maxLength: 12 })), { maxLength: 40 }).map((parts) => parts.join(""));

describe("properties", () => {
  it("parseFile never throws, and every finding lies inside its file", () => {
    fc.assert(
      fc.property(docText, fc.constantFrom(...KINDS), (text, kind) => {
        const file = BUILTIN_KINDS.get(kind)?.format === "markdown" ? `x/${kind}.md` : `x/${kind}.yaml`;
        const { findings, facts } = parseFile(file, kind, Buffer.from(text, "utf8"), { positions: "eager" });
        const decoded = text.includes("\u0000") ? "" : text;
        for (const f of findings) expect(insideFile(decoded, f), JSON.stringify({ text, f })).toBe(true);
        for (const h of facts.headings ?? []) expect(insideFile(decoded, h.range)).toBe(true);
        for (const l of facts.links) expect(insideFile(decoded, l.range)).toBe(true);
        for (const r of Object.values(facts.ranges ?? {})) expect(insideFile(decoded, r)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it("the fast (lazy) path and the positioned (eager) path agree on values and findings", () => {
    // YAML-heavy fragments: scalars of every core type, quoting, anchors, flow and block styles.
    const yamlBits = fc.constantFrom("id: POL-001\n", "version: 1.10\n", "version: '1.10'\n", "seats: 0x1F\n", "seats: 0o17\n", "seats: 1_000\n", "seats: +12\n", "assigned: -0\n", "x-f: .inf\n", "x-n: .NaN\n", "x-b: True\n", "x-y: yes\n", "title: ~\n", "title: null\n", "title:\n", "tags: [a, 'b', \"c\"]\n", "tags:\n  - 1.0\n  - true\n", "x-a: &a {k: 1}\n", "x-r: *a\n", "owner: |\n  line\n", "owner: >-\n  folded\n", "x-t: !!str 12\n", "x-u: !custom 1\n", "1.10: key\n", "'1': q\n", "<<: {a: 1}\n", "%YAML 1.1\n---\n", "x-k: \"\\u00e9\"\n", "dup: 1\ndup: 2\n", "x-d: 2026-01-01\n", "x-e: 1e3\n", "x-z: 012\n",
      // explicit tags on plain scalars, where the schema wants a string and where it does not
      "x-g: !!float 5\n", "version: !!float 5\n", "seats: !!int 7\n", "title: !!str 5\n",
      // implicit keys at and over YAML's 1,024-character limit
      `x-${"k".repeat(1020)}: v\n`, `x-${"k".repeat(1030)}: v\n`, `"x-${"q".repeat(1030)}": v\n`,
      // alias keys and complex keys
      "x-s: &k key\n", "x-am: {*k : 1}\n", "&j x-anchored: 1\n", "x-ab:\n  *j : 2\n", "x-al: &l [a, b]\n", "x-ak: {*l : 1}\n",
      "x-c: {[a, b]: 1}\n", "x-cm:\n  ? [a, b]\n  : 1\n", "x-cx:\n  ? {a: 1}\n  : 2\n", "? x-explicit\n: 1\n", "x-f: {? a}\n");
    fc.assert(
      fc.property(fc.array(yamlBits, { maxLength: 10 }), fc.constantFrom(...KINDS), fc.constantFrom("\n", "\r\n", "\r"), (parts, kind, eol) => {
        const yaml = parts.join("").replace(/\n/g, eol);
        const md = BUILTIN_KINDS.get(kind)?.format === "markdown"; // from the kind's schema, never its name
        const text = md ? `---${eol}${yaml}---${eol}${eol}## Purpose${eol}` : yaml;
        const file = md ? `x/${kind}.md` : `x/${kind}.yaml`;
        const lazy = parseFile(file, kind, text, { positions: "lazy" });
        const eager = parseFile(file, kind, text, { positions: "eager" });
        expect(lazy.facts.values).toEqual(eager.facts.values);
        expect(lazy.facts.id).toBe(eager.facts.id);
        expect(lazy.findings).toEqual(eager.findings);
        // Positions are the same whatever the line ends: a lone CR ends a line too.
        if (eol !== "\n") {
          const lf = parseFile(file, kind, text.split(eol).join("\n"), { positions: "eager" });
          expect(eager.findings.map(({ message, ...f }) => f)).toEqual(lf.findings.map(({ message, ...f }) => f));
          expect(eager.facts.values).toEqual(lf.facts.values);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("the two YAML paths agree on CR-only line ends, `!!float 5`, keys over 1,024 characters, alias keys and complex keys", () => {
    const both = (kind: (typeof KINDS)[number], text: string) => {
      const file = kind === "policy" ? "x/policy.md" : `x/${kind}.yaml`;
      const lazy = parseFile(file, kind, text, { positions: "lazy" });
      const eager = parseFile(file, kind, text, { positions: "eager" });
      expect(lazy.facts.values).toEqual(eager.facts.values);
      expect(lazy.findings).toEqual(eager.findings);
      return eager;
    };
    const LIC = "id: LIC-001\nproduct: Office\ntype: perpetual\nowner: IT\n";
    // CR-only: every position where the LF file has it, not all at 1:1
    const cr = both("licence", `${LIC}seats: many\n`.replace(/\n/g, "\r"));
    expect(cr.facts.values.id).toBe("LIC-001");
    expect(cr.findings.map((f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code}`)).toEqual(["5:8-5:12 schema/type"]);
    const crPolicy = both("policy", policy("POL-001", "review_cycle_months: 99\n").replace(/\n/g, "\r"));
    expect(crPolicy.findings.map((f) => `${f.line}:${f.column} ${f.code}`)).toEqual(["10:22 schema/maximum"]);
    // `!!float 5` is the float 5 (YAML 1.2 core schema); where a string is wanted it is kept as written
    expect(both("licence", `${LIC}x-f: !!float 5\n`).facts.values["x-f"]).toBe(5);
    expect(both("policy", policy("POL-001").replace('version: "1.0"', "version: !!float 5")).findings.map((f) => f.message)).toEqual([expect.stringContaining("`version` value `5` is not valid")]);
    // a key over 1,024 characters: a positioned parse/yaml on both paths
    const long = both("licence", `${LIC}x-${"k".repeat(1030)}: v\n`);
    expect(long.findings.map((f) => `${f.line}:${f.column} ${f.code} ${f.message}`)).toEqual(["5:1 parse/yaml A key on line 5 is longer than 1,024 characters, which YAML does not allow for a plain key; shorten it or write it as `? key` on its own line."]);
    // an alias key stands for its anchor's text; a list or mapping as a key is refused with its position
    expect(both("licence", `${LIC}x-a: &k key\nx-m: {*k : 1}\n`).facts.values["x-m"]).toEqual({ key: 1 });
    for (const complex of ["x-c: {[a, b]: 1}\n", "x-c:\n  ? [a, b]\n  : 1\n", "x-l: &l [a, b]\nx-c: {*l : 1}\n"]) {
      const r = both("licence", LIC + complex);
      expect(r.findings.map((f) => `${f.code} ${f.message}`)).toEqual(["parse/yaml A list or mapping is used as a key; use a plain text key (complex keys are not supported)."]);
      expect(r.findings[0]!.line).toBeGreaterThan(4);
      expect(r.facts.id).toBe("LIC-001");
    }
  });

  it("parseFile never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(...KINDS), (bytes, kind) => {
        expect(() => parseFile(`x/${kind}.md`, kind, bytes)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it("addMonths is calendar arithmetic: same day of month, clamped to the month's end", () => {
    const date = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2200, 11, 31)), noInvalidDate: true });
    fc.assert(
      fc.property(date, fc.integer({ min: -120, max: 120 }), (d, months) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, dom] = iso.split("-").map(Number) as [number, number, number];
        const total = y * 12 + (m - 1) + months;
        const ty = Math.floor(total / 12);
        const tm = total - ty * 12 + 1;
        const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
        const expected = `${String(ty).padStart(4, "0")}-${String(tm).padStart(2, "0")}-${String(Math.min(dom, last)).padStart(2, "0")}`;
        expect(formatDay(addMonths(parseDay(iso)!, months))).toBe(expected);
      }),
      { numRuns: 3000 },
    );
    expect(formatDay(addMonths(parseDay("2026-01-31")!, 1))).toBe("2026-02-28");
    expect(formatDay(addMonths(parseDay("2028-01-31")!, 1))).toBe("2028-02-29");
    expect(parseDay("2026-02-29")).toBeNull();
  });

  it("LineIndex maps offsets to positions and back", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }).map((s) => s.replace(/\r/g, "")), fc.nat(), (text, n) => {
        const lines = new LineIndex(text);
        const offset = text.length === 0 ? 0 : n % (text.length + 1);
        const p = lines.position(offset);
        expect(lines.starts[p.line - 1]! + p.column - 1).toBe(offset);
      }),
      { numRuns: 2000 },
    );
  });
});
