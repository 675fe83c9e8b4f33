import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../src/engine/model/types.js";
import { policy, runCli, useTempRepos } from "./helpers/repo.js";
import { engineFacts, oracleFacts, type ComparableFacts } from "./helpers/markdown-oracle.js";
import { markdownFacts } from "../src/engine/facts/markdown-facts.js";
import { closest, Suggestions } from "../src/engine/model/suggestions.js";
import { LineIndex } from "../src/engine/facts/line-index.js";

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The oracle: remark's own mdast with remark-gfm, the tree the auditors' site renders from
 * (tests/helpers/markdown-oracle.ts, shared with bench/differential.mjs). Headings (depth,
 * text, anchor, position), links, images and definitions (destination, kind, position) and
 * HTML anchors.
 */
/**
 * Heading text is compared with CRLF soft breaks as `\n`: the engine normalises them, mdast keeps
 * them (tests/markdown-differential.test.ts, "known engine differences"); anchors are unaffected.
 */
const lf = (f: ComparableFacts): ComparableFacts => ({ ...f, headings: f.headings.map((h) => ({ ...h, text: h.text.replace(/\r\n/g, "\n") })) });
const viaRemark = (markdown: string): ComparableFacts => lf(oracleFacts(markdown));
const viaEngine = (markdown: string): ComparableFacts => lf(engineFacts(markdownFacts(markdown, 0, new LineIndex(markdown))));
/**
 * Facts without headings' text: today's engine ends a setext heading's text with the line
 * ending before its underline (tests/markdown-differential.test.ts, "known engine
 * differences"); the anchor is unaffected. Compare `text` here once that is fixed.
 */
const sansText = (f: ComparableFacts) => ({ ...f, headings: f.headings.map(({ text: _text, ...h }) => h) });
/** Relative destinations, sorted: the ones link/broken checks. */
const relativeUrls = (f: ComparableFacts): string[] => f.links.filter((l) => !ABSOLUTE.test(l.url)).map((l) => l.url).sort();

/** The property test's seed: POLICYOPS_PROPERTY_SEED (a number, or `random`), else a fixed one. */
function propertySeed(): number | undefined {
  const v = process.env.POLICYOPS_PROPERTY_SEED;
  if (v === "random") return undefined;
  return v ? Number(v) : 20261201;
}

describe("Markdown facts from markdown-it tokens", () => {
  it.each([
    ["## The *quick* _brown_ fox\n", "the-quick-brown-fox"],
    ["## snake_case and 2*3*4\n", "snake_case-and-234"],
    ["## `code` &amp; \\*escaped\\*\n", "code--escaped"],
    ["Setext *title*\n---\n", "setext-title"],
    ["> ## Quoted heading\n", "quoted-heading"],
    ["- ## In a list\n", "in-a-list"],
  ])("slugs %j as GitHub does", (md, slug) => {
    expect(viaEngine(md).headings.map((h) => h.slug)).toEqual([slug]);
    expect(viaRemark(md).headings.map((h) => h.slug)).toEqual([slug]);
  });

  it("keeps reference links in an emphasised heading as links (found by the property below)", () => {
    const md = "[ref]: b.md\n# H1\ntext _em_ **strong**\n[r][ref]\nSetext\n===\n";
    expect(sansText(viaEngine(md))).toEqual(sansText(viaRemark(md)));
  });

  it.each([
    ["a `<…>` destination with a space on a list item's lazy line: no definition in micromark", "*  [ref3]:\n  <f g.md>\n  'T'\n"],
    ["the same in a blockquote, and its label then resolves no reference", "> [r]:\n<f g.md>\n\n[r] [y](y.md)\n"],
    ["an earlier definition of that label still resolves it", "[r]: a.md\n- [r]:\n<f g.md>\n\n[r]\n"],
    ["a later one gives the label", "- [r]:\n<f g.md>\n- [r]: b.md\n\n[r]\n"],
    ["a paragraph going on from a definition with an HTML tag line, re-read by micromark for a literal autolink", "[ref3]:\n  <f g.md>\n  'T'\n<a name=\"x\">\n[e](a&amp;b.md) [e](%C3%A9.md) [e](a\\_b.md) [e](&#x41;.md)\nwww.e.com/[a](b.md)\n"],
  ])("agrees with remark where the property test once found a difference: %s", (_what, md) => {
    expect(viaEngine(md)).toEqual(viaRemark(md));
  });

  // Known difference, found by a random seed (2026-12-01) and not fixed yet: a GFM literal
  // autolink running into a bracket on a table row that goes on a list item lazily; the
  // engine misses the link micromark finds after it. link/broken could miss that link.
  it.fails("a literal autolink into a bracket on a lazy table row after a list item (known difference)", () => {
    const md = "-\t[t](tab.md)\n[# H1\n| a | b |\n|---|:-:|\n| [t](t.md) | ![i](i.png) |\nhttps://e.com/x[a](b.md)\n";
    expect(viaEngine(md)).toEqual(viaRemark(md));
  });

  it("finds links inside emphasis, skips links in code, resolves definitions", () => {
    const md = "*see [a](a.md)* and `[b](b.md)`\n\n    [c](c.md)\n\n[d]: d.md\n\n![i](img.png)\n";
    expect(relativeUrls(viaEngine(md))).toEqual(["a.md", "d.md", "img.png"]);
  });

  it("agrees with remark + remark-gfm's mdast on headings, anchors, links and positions for random GFM documents", () => {
    const piece = fc.constantFrom("# H1\n", "## Purpose\n", "## Purpose\n", "## Scope *of* work\n", "Setext\n===\n", "text _em_ **strong**\n", "[l](a.md#x)\n", "[r][ref]\n", "[ref]: b.md\n", "![img](c.png)\n", "`[no](code.md)`\n", "```\n## not a heading\n[no](x.md)\n```\n", "    indented [no](y.md)\n", "> ## quoted\n", "- item [li](d.md)\n", "<a href=\"e.md\">html</a>\n", "<https://example.com>\n", "\\[not](a link)\n", "[a](<spaced name.md>)\n", "[a](f.md \"title\")\n", "* [a *b](g.md) c*\n", "\n", "para\n", "## Héllo Wörld!\n", "## a_b_c\n", "### *\n",
      // GitHub Flavored Markdown (SPEC §1): tables with links, footnotes, task lists,
      // literal autolinks, strikethrough.
      "| a | b |\n|---|:-:|\n| [t](t.md) | ![i](i.png) |\n", "| x |\n| - |\n| `[no](n.md)` \\| [y](y.md#s) |\n", "\n| h [l](h.md) |\n|---|\n",
      "Text[^1] and [^note].\n", "[^1]: Footnote [in](fn.md).\n", "[^note]: Another.\n", "## Heading[^1]\n",
      "- [ ] task [t](task.md)\n", "- [x] done\n", "* [x] ~~old~~ [s](s.md)\n",
      "See www.example.com/a.md and https://example.com/b.md.\n", "## ~~Struck~~ title\n", "## ~~a~~ *b* [^1]\n", "~one~ ~~two~~ ~~~three~~~\n",
      // What markdown-it reads differently, or gives no position for (issue 14): nested
      // brackets, code spans in links, titled definitions, entities and escapes in
      // destinations, setext headings, headings with emphasis/links/code/HTML, table cells
      // (escaped pipes, cells past the header), definitions then indented lines, literal
      // autolinks running into brackets, lazy continuation, tabs.
      "[a [b] c](n1.md)\n", "[[x]](n2.md)\n", "[`a`](c1.md) [a `]` b](c2.md)\n", "[ref2]: e.md \"T\"\n", "[ref3]:\n  <f g.md>\n  'T'\n", "[ref2]\n",
      "[e](a&amp;b.md) [e](%C3%A9.md) [e](a\\_b.md) [e](&#x41;.md)\n", "Title *em* `c`\n---\n", "Two\nlines\n===\n", "## *a* [b](h.md) `c` <b>d</b> &amp;\n", "## [r][ref] ![i](x.png)\n",
      "| a |\n|---|\n| b | [x](x.md) |\n| \\| [p](p.md) |\n", "[d]: d.md\n    [i](i.md)\n", "www.e.com/[a](b.md)\n", "https://e.com/x[a](b.md)\n", "## see https://a.com/_x_\n",
      "> quote\nlazy [z](z.md)\n", "- item\ncontinued [w](w.md)\n", "1. one\n   > [q](q.md)\n", "\t[t](t.md)\n", "-\t[t](tab.md)\n", "![a [b](c.md)](d.png)\n", "[a]() [b](<>)\n", "<a name=\"x\">\n",
      // Pieces without a line ending, so constructs meet on one line.
      "[n](n.md)", "*", "_", "`", "[", "]", "(x)", "~", "www.e.com/", " ", "  ", "\\", "<", "#", "|", "---", "\t");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), fc.boolean(), (parts, crlf) => {
        const md = crlf ? parts.join("").replace(/\r?\n/g, "\r\n") : parts.join("");
        expect(viaEngine(md)).toEqual(viaRemark(md));
      }),
      // A fixed seed by default, so `npm test` is the same run every time: random seeds found
      // the cases above (and the known difference below) one run in four or so, which made
      // CI a lottery. POLICYOPS_PROPERTY_SEED=random (or a number) and
      // POLICYOPS_PROPERTY_RUNS=60000 search further.
      { numRuns: Number(process.env.POLICYOPS_PROPERTY_RUNS ?? 1000), seed: propertySeed() },
    );
    // remark + remark-gfm per run is the slow half (about 15 s for 1,000 runs on 2 shared
    // cores); POLICYOPS_PROPERTY_RUNS=20000 searches deeper.
  }, 300_000);
});

describe("markdown-it facts where it and micromark part ways (issue 14)", () => {
  it.each([
    ["a table cell past the header's count keeps its link (GFM keeps the cell)", "|a|\n|-|\n|[b](c.md)|[d](e.md)|\n"],
    ["an escaped pipe in a cell keeps the next link's column", "| x |\n| - |\n| `[no](n.md)` \\| [y](y.md#s) |\n"],
    ["a `-`-only delimiter row is a setext underline, not a table", "|Title *em* `c`\n---\n"],
    ["a one-tag HTML line ends a table body", "| h |\n|---|\n<f g.md>\n# H1\n"],
    ["a footnote definition ends a table", "| a | b |\n|---|:-:|\n| [t](t.md) | ![i](i.png) |\n[^1]: Footnote [in](fn.md).\n## Heading[^1]\n"],
    ["a setext heading's span starts at the definitions before it", "[ref]: b.md\nSetext\n===\n"],
    ["an indented line after a definition is paragraph text, not code", "[d]: d.md\n    [i](i.md)\nTwo\nlines\n===\n"],
    ["a definition cannot interrupt a paragraph", "\\[not](a link)\n[ref]: b.md\n"],
    ["a literal autolink that runs into a bracket takes the link's text", "www.e.com/[a](b.md) and [c](d.md)\n"],
    ["a link inside an image's alt text is no link", "![a [b](c.md)](d.png)\n"],
    ["an empty destination is a link to the empty string", "[a]() [b](<>)\n"],
    ["a lazy HTML line in a list item ends its paragraph as micromark reads it", "* a\n<a name=\"x\">\nTwo\n===\n"],
    ["a code span right after `[` hides the link in it", "[`## *a* [b](h.md) `c` <b>d</b>\n"],
    ["a code span that opens inside a failed link label's look-ahead hides the link after it (markdown-it 14.1.1's backtick cache missed it)", "[`a [b](c.md) `d\n\n[x `y [z](w.md) `v` [k](k.md)\n"],
    ["release-note lines: a code span in a link's label, the link inside brackets, absolute destinations", "* [[`6a6b3c54`](https://github.com/nodejs/node/commit/6a6b3c54)] - **deps**: update (A) [#29694](https://github.com/nodejs/node/pull/29694)\n* [[`a1`](a.md)] - [`x`](https://e.com/y]) [`z`](<https://e.com/[q]>)\n"],
    ["a literal autolink that takes in a `[` and a backtick frees a link markdown-it reads as code", "www.e.com/[`a [b](c.md) `d\n[`"],
    ["a literal autolink that takes in a backtick leaves the next code span whole", "](https://a.com/b)`# H1\n[`a [b](c.md) `d\n"],
    ["a literal autolink inside a code span takes nothing in", "`https://a.com/b` and `www.e.com/[` [c](d.md) `x`\n"],
    ["a link whose text holds an image with a link in its description is no link", "[x ![a [b](c.md)](d.png)](e.md) and [`a [b](c.md) `d\n![a [b](c.md)](d.png)\n](https://a.com/b)\n"],
    ["a literal autolink in a link's label or after a destination still runs into the bracket", "[see https://x.com/a](b.md) and [c](d.md)https://e.com/f[g](h.md)\n"],
    ["a linked image with absolute destinations inside brackets", "[[![b](https://x.com/b.svg)](https://x.com/c)] and [[![d](d.svg)](https://x.com/d)]\n"],
    ["CRLF line endings keep UTF-16 columns", "## Héllo\r\n\r\n[é](é.md) [x](y.md)\r\n"],
  ])("%s", (_name, md) => {
    expect(viaEngine(md)).toEqual(viaRemark(md));
  });

  it("reads 1 MB of release-note lines (`* [[`sha`](https://…/commit/sha)] - … [#n](https://…/pull/n)`) with markdown-it alone: every link, in under 2 s of CPU (micromark read each item: about 7 s)", () => {
    let body = "## Commits\n\n";
    for (let i = 0; body.length < 1 << 20; i++) body += `* [[\`${(0x6a6b3c54 + i).toString(16)}\`](https://github.com/nodejs/node/commit/${i})] - **deps**: update V8 to 7.8.${i} (Myles Borins) [#${i}](https://github.com/nodejs/node/pull/${i})\n`;
    const c0 = process.cpuUsage();
    const facts = markdownFacts(body, 0, new LineIndex(body));
    const cpu = process.cpuUsage(c0);
    const items = body.split("\n").length - 3;
    expect(facts.links).toHaveLength(2 * items);
    expect(facts.links[1]).toEqual({ url: "https://github.com/nodejs/node/pull/0", kind: "link", range: { line: 3, column: 105, endLine: 3, endColumn: 148 } });
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
  });

  it("gives destinations decoded, never percent-encoded, with whole-link spans", () => {
    const md = "## T\n\nSee [x](a&amp;b%20c\\_d.md \"t\") and ![i](<sp ace.png>).\n\n[r]: <q r.md> 'T'\n";
    expect(markdownFacts(md, 0, new LineIndex(md)).links).toEqual([
      { url: "a&b%20c_d.md", kind: "link", range: { line: 3, column: 5, endLine: 3, endColumn: 31 } },
      { url: "sp ace.png", kind: "image", range: { line: 3, column: 36, endLine: 3, endColumn: 54 } },
      { url: "q r.md", kind: "definition", range: { line: 5, column: 1, endLine: 5, endColumn: 18 } },
    ]);
    expect(viaEngine(md)).toEqual(viaRemark(md));
  });

  it("reads a 1 MB paragraph of `See [1]` lines and 1 MB of headings and links in under 2 s of CPU each (micromark took 6–8 s)", () => {
    const brackets = "See [1]\n".repeat(131_072);
    let anchors = "";
    for (let i = 0; anchors.length < 1 << 20; i++) anchors += `## Control area ${i}\n\nSee [area ${i}](#control-area-${i}x) now.\n\n`;
    for (const body of [brackets, anchors]) {
      // CPU time, which other work on the (shared) machine does not inflate as it does wall time.
      const c0 = process.cpuUsage();
      const facts = markdownFacts(body, 0, new LineIndex(body));
      const cpu = process.cpuUsage(c0);
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
      expect(facts.links.length).toBe(body === brackets ? 0 : facts.headings.length);
    }
  });
});

describe("GitHub Flavored Markdown bodies (SPEC §1)", () => {
  const { repo } = useTempRepos();
  const validate = (body: string) => {
    const root = repo({ "policies/p.md": policy("POL-001", "", `## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\n${body}`) });
    const r = runCli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  };

  it("a footnote reference and its definition are not links, so a footnote is no link/broken", () => {
    const md = "Backups run nightly[^1].\n\n[^1]: ISO-27001\n";
    expect(viaEngine(md).links).toEqual([]);
    expect(validate(md)).toEqual([]);
  });

  it("a heading with a footnote call keeps GitHub's anchor (the call adds no text)", () => {
    const md = "## Retention[^1]\n\nSee [retention](#retention).\n\n[^1]: Seven years.\n";
    expect(viaEngine(md).headings.map((h) => h.slug)).toEqual(["retention"]);
    expect(validate(md)).toEqual([]);
  });

  it("finds links inside table cells with exact positions, and none across a cell border", () => {
    const md = "| a | b |\n|---|---|\n| x | [t](missing.md) |\n| [c | d](y.md) |\n";
    expect(viaEngine(md).links).toEqual([{ url: "missing.md", kind: "link", range: { line: 3, column: 7, endLine: 3, endColumn: 22 } }]);
    const findings = validate(md);
    expect(findings.map((f) => [f.code, f.line, f.column, f.endLine, f.endColumn, f.message])).toEqual([
      ["link/broken", 26, 7, 26, 22, "Link target `missing.md` does not exist; correct the path or remove the link."],
    ]);
  });

  it("literal autolinks (www.x, https://x) are external, task lists and strikethrough are not links", () => {
    const md = "- [x] done, see www.example.com/a.md\n- [ ] ~~old~~ https://example.com/b.md\n\n## ~~Draft~~ Rules\n\nSee [rules](#draft-rules).\n";
    expect(viaEngine(md)).toEqual(viaRemark(md));
    expect(viaEngine(md).headings.map((h) => h.slug)).toEqual(["draft-rules"]);
    expect(validate(md)).toEqual([]);
  });
});

/**
 * Small inputs that once took minutes (bench/pathological.mjs times them from 10 KB to
 * 1 MB). These assert the findings at about 300–400 KB; they are slow only if broken.
 */
describe("pathological inputs give correct findings", () => {
  const { repo } = useTempRepos();
  const validate = (body: string) => {
    const root = repo({ "policies/p.md": policy("POL-001", "", `## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\n${body}`) });
    const r = runCli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.status, r.stderr).toBeLessThan(2);
    return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  };

  it("one paragraph of 40,000 `See [1]` lines (320 KB): no links, no findings, and the facts agree with remark", () => {
    const body = "See [1]\n".repeat(40_000);
    expect(body.length).toBe(320_000);
    expect(validate(body)).toEqual([]);
    const small = "See [1]\n".repeat(500) + "[a](a.md) [1] [b][1]\n\n[1]: c.md\n";
    expect(viaEngine(small)).toEqual(viaRemark(small));
  });

  it("5,000 headings and 5,000 misspelt anchors (~340 KB): every link reported, each with its did-you-mean", () => {
    let body = "";
    for (let i = 0; i < 5000; i++) body += `## Control area ${i}\n\nSee [area ${i}](#control-area-${i}x) now.\n\n`;
    expect(body.length).toBeGreaterThan(300_000);
    const findings = validate(body);
    expect(findings).toHaveLength(5000);
    expect(new Set(findings.map((f) => f.code))).toEqual(new Set(["link/broken"]));
    expect(findings[0]!.message).toBe("This document has no heading with the anchor `#control-area-0x` (did you mean `#control-area-0`?); link to an existing heading.");
    expect(findings[1]!.message).toBe("This document has no heading with the anchor `#control-area-1x` (did you mean `#control-area-1`?); link to an existing heading.");
    expect(findings[4999]!.message).toBe("This document has no heading with the anchor `#control-area-4999x` (did you mean `#control-area-4999`?); link to an existing heading.");
    expect(findings.filter((f) => f.message.includes("did you mean")).length).toBe(5000);
    expect(findings[4999]!.line).toBe(24 + 4 * 4999 + 2);
  });

  it("`<div>` then 80,000 unclosed `<a b ` tags (400 KB): no anchors, no findings, and a real anchor after them still counts", () => {
    const body = "<div>\n" + "<a b ".repeat(80_000) + "\n";
    expect(body.length).toBeGreaterThan(400_000);
    expect(validate(body)).toEqual([]);
    const md = "<div>\n" + "<a b ".repeat(80_000) + '<a name="kept">x</a>\n\n[k](#kept) [m](#missing)\n';
    const facts = markdownFacts(md, 0, new LineIndex(md));
    expect(facts.htmlAnchors).toEqual(["kept"]);
  });
});

describe("did you mean, bounded", () => {
  /** The unbounded search the rules used before (full Levenshtein against every candidate). */
  function reference(value: string, candidates: string[]): string | undefined {
    const distance = (a: string, b: string) => {
      if (Math.abs(a.length - b.length) > 3) return 99;
      const row = Array.from({ length: b.length + 1 }, (_, i) => i);
      for (let i = 1; i <= a.length; i++) {
        let prev = row[0]!;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
          const tmp = row[j]!;
          row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
          prev = tmp;
        }
      }
      return row[b.length]!;
    };
    let best: string | undefined;
    let bestD = Math.max(2, Math.floor(value.length / 4)) + 1;
    for (const c of candidates) {
      const d = distance(value.toLowerCase(), c.toLowerCase());
      if (d < bestD) [best, bestD] = [c, d];
    }
    return best;
  }

  it("suggests exactly what the unbounded search suggested, for random anchors and headings (the first few scanned, the rest through the index)", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "-", "1", "A"), minLength: 1, maxLength: 14 });
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), fc.array(word, { minLength: 1, maxLength: 20 }), (candidates, values) => {
        const s = new Suggestions(candidates);
        for (const v of values) {
          expect(s.closest(v)).toBe(reference(v, candidates));
          expect(closest(v, candidates)).toBe(reference(v, candidates));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("a spent budget stops the farther suggestions, never the near ones", () => {
    const s = new Suggestions(["purpose", "scope", "policy-statement"]);
    const spent = { comparisons: 0 };
    expect(s.closest("purpse", spent)).toBe("purpose");
    expect(s.closest("policy-statemnet", spent)).toBeUndefined();
    expect(s.closest("policy-statemnet", { comparisons: 10 })).toBe("policy-statement");
  });
});
