import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { LineIndex } from "../src/engine/facts/line-index.js";
import { markdownFacts, markdownFactsAndBlocks } from "../src/engine/facts/markdown-facts.js";
import { editStats, forgetLastEdit, lastRestarts, markdownFactsForEdit } from "../src/engine/facts/markdown-edit.js";

/** Facts of `body` in a file that starts with front matter `fm`. */
const full = (fm: string, body: string) => markdownFacts(body, fm.length, new LineIndex(fm + body));
const edited = (fm: string, body: string) => markdownFactsForEdit(body, fm.length, new LineIndex(fm + body));
/** The facts of an edit, checked against a whole tokenizing; so are the restarts kept for the next edit. */
const check = (fm: string, body: string) => {
  const facts = edited(fm, body);
  const whole = markdownFactsAndBlocks(body, fm.length, new LineIndex(fm + body));
  expect(facts).toEqual(whole.facts);
  if (!whole.crossing) expect(lastRestarts()).toEqual(whole.restarts);
};

// Pieces that reach across lines and blocks: fences, HTML blocks, lists, lazy lines,
// setext underlines, tables, definitions, footnotes, duplicate headings, CR.
const PIECES = [
  "## Scope\n\n", "## Scope\n", "# Title\n\n", "### Deep #\n\n", "#not a heading\n\n", "Text with [a link](#scope) and [b](../x.md).\n\n",
  "See [area](#scope-1) here.\n", "```\n", "```js\ncode [x](#y)\n", "~~~\n", "<div>\n", "</div>\n\n", "<!-- c\n", "-->\n", "<a id=\"x\"></a>\n\n",
  "- item [l](#l)\n", "  continued\n", "> quote [q](#q)\n", "Setext\n===\n\n", "Para\n---\n\n", "| a | b |\n|---|---|\n| [c](#c) | d |\n\n",
  "[ref]: /target\n\n", "[ref] use\n\n", "Note[^1].\n\n", "[^1]: foot\n\n", "    indented [i](#i)\n\n", "\n", "\r\n", "## Scope\n\nBody.\n\n", "## Procedure 1\n\nStep [s](#procedure-1).\n\n",
  // Lists and code blocks before a paragraph (weak restarts), lines of spaces, nesting, HTML that runs past an empty line.
  "- a [x](#x)\n\nAfter [p](#p).\n\n", "* star\n", "+ plus\n\n", "1. one [o](#o)\n", "2) two\n\n", "  - nested [n](#n)\n", "   \n", "\t\n", "\tTabbed [t](#t)\n\n",
  "    code\n\n", "> - in quote\n\n", "- ```\n", "<!--\n\n", "<pre>\n\n</pre>\n\n", "Text [l](#l)\n", "<a name=\"n\"></a>\n", "  text\n\n", "-\n  empty item\n\n",
  // Items of long lists (item restarts), and what ends or joins them.
  "- two [w](#w)\n", "- three\n  more [m](#m)\n", "-\ttab [t](#t)\n", "* other\n", "- ---\n", "* * *\n", "- \n", "    - deep [d](#d)\n", "- x\n===\n", "- a\n- b [b](#b)\n- c\n", "- [h](#h) | b |\n", "|---|---|\n",
];
/** Half the documents without what makes the whole body tokenized (definitions, footnotes, CR), so both paths get tried. */
const LOCAL = PIECES.filter((p) => !/\]:|\[\^|\r/.test(p));
const piece = fc.oneof(fc.constantFrom(...PIECES), fc.constantFrom(...LOCAL), fc.constantFrom(...LOCAL));
const doc = fc.oneof(fc.array(piece, { minLength: 1, maxLength: 25 }), fc.array(fc.constantFrom(...LOCAL), { minLength: 1, maxLength: 25 })).map((xs) => xs.join(""));
const fm = fc.constantFrom("---\nid: POL-1\n---\n", "---\nid: POL-1\ntitle: T\n---\n", "");

describe("markdownFactsForEdit (an edited body re-tokenized by section)", () => {
  it("gives exactly the facts a whole tokenizing gives, for random documents and random edits", () => {
    fc.assert(
      fc.property(fm, fm, doc, fc.nat(), fc.nat(20), fc.array(piece, { maxLength: 3 }), fc.oneof(fc.constant([]), fc.constant([]), fc.constant([]), fc.array(piece, { maxLength: 2 })), (fm0, fm1, body, at, del, insert, tail) => {
        forgetLastEdit();
        const start = at % (body.length + 1);
        const next = body.slice(0, start) + insert.join("") + body.slice(start + del) + tail.join("");
        expect(edited(fm0, body)).toEqual(full(fm0, body));
        expect(edited(fm1, next)).toEqual(full(fm1, next));
        // And back again (an editor's undo).
        expect(edited(fm0, body)).toEqual(full(fm0, body));
      }),
      { numRuns: 3000 },
    );
    // Both paths were taken, many times each.
    expect(editStats.sections).toBeGreaterThan(300);
    expect(editStats.whole).toBeGreaterThan(300);
  });

  it("keeps giving a whole tokenizing's facts and restarts over a chain of random edits, each from the last", () => {
    const edit = fc.record({ at: fc.nat(), del: fc.nat(12), insert: fc.array(fc.oneof(piece, fc.constantFrom("x", " ", "\n", "-", "*", "1", "`", "[", "]", "(", ")", "#", "\t", "=")), { maxLength: 3 }) });
    const sections = editStats.sections;
    fc.assert(
      fc.property(fm, doc, fc.array(edit, { minLength: 1, maxLength: 8 }), (fm0, body, edits) => {
        forgetLastEdit();
        check(fm0, body);
        for (const e of edits) {
          const start = e.at % (body.length + 1);
          body = body.slice(0, start) + e.insert.join("") + body.slice(start + e.del);
          check(fm0, body);
        }
      }),
      { numRuns: 2000 },
    );
    expect(editStats.sections - sections).toBeGreaterThan(3000);
  });

  it("re-tokenizes an item of a long list, or a paragraph after it, alone; an edit that makes the paragraph an item or an item a break is seen", () => {
    forgetLastEdit();
    const fmText = "---\nid: X\n---\n";
    let list = "";
    for (let i = 0; i < 200; i++) list += `- item ${i} [c${i}](https://example.com/${i})\n`;
    const body = `## Commits\n\n${list}\nAfter the list [a](#after).\n\n## Next\n\nText.\n`;
    check(fmText, body);
    const sections = editStats.sections;
    const typed = body.replace("After the list", "After the lisst");
    check(fmText, typed);
    expect(editStats.sections).toBe(sections + 1);
    expect(editStats.stretch).toBeLessThan(40);
    // Typing in an item re-tokenizes that item only, and so does a new item after it.
    check(fmText, body);
    check(fmText, body.replace("- item 150 [c150]", "- item 150 [c150x]"));
    expect(editStats.stretch).toBeLessThan(60);
    check(fmText, body);
    check(fmText, body.replace("- item 150 ", "- item 150\n- new [n](#n) "));
    expect(editStats.stretch).toBeLessThan(80);
    check(fmText, body);
    // An item that becomes a thematic break ends the list: the rest is tokenized again.
    check(fmText, body.replace("- item 150 [c150](https://example.com/150)", "- - -"));
    // Its first character made an item marker: the paragraph is the list's last item now.
    const item = body.replace("After the list", "- After the list");
    check(fmText, item);
    expect(edited(fmText, item).links.find((l) => l.url === "#after")!.range.column).toBe(18);
  });

  it("gives exactly the facts a whole tokenizing gives for typing into a large page, character by character", () => {
    forgetLastEdit();
    let body = "";
    for (let i = 0; i < 60; i++) body += `## Control area ${i}\n\nSee [area ${i}](#control-area-${i}) and [the scope](#scope).\n\n`;
    const typed = "Edit, see [the notes](#notes) and ```fence\n\n## Control area 3\n";
    const at = body.indexOf("## Control area 30");
    for (let n = 0; n <= typed.length; n++) {
      const next = body.slice(0, at) + typed.slice(0, n) + body.slice(at);
      expect(edited("---\nid: X\n---\n", next)).toEqual(full("---\nid: X\n---\n", next));
    }
  });

  it("re-tokenizes only the edited section: a heading the edit duplicates gets its -1 slug, and the ones after move down a line", () => {
    forgetLastEdit();
    const fmText = "---\nid: X\n---\n";
    const body = "## Purpose\n\nWhy.\n\n## Scope\n\nWho [s](#scope).\n\n## Other\n\n[o](#other)\n";
    edited(fmText, body);
    const next = body.replace("Who", "## Purpose\n\nWho");
    const sections = editStats.sections;
    const facts = edited(fmText, next);
    expect(editStats.sections).toBe(sections + 1);
    expect(facts.headings.map((h) => [h.text, h.slug, h.range.line])).toEqual([
      ["Purpose", "purpose", 4],
      ["Scope", "scope", 8],
      ["Purpose", "purpose-1", 10],
      ["Other", "other", 14],
    ]);
    expect(facts.links.map((l) => [l.url, l.range.line, l.range.column])).toEqual([
      ["#scope", 12, 5],
      ["#other", 16, 1],
    ]);
    expect(facts).toEqual(full(fmText, next));
  });
});
