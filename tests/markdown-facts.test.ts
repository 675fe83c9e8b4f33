import fc from "fast-check";
import GithubSlugger from "github-slugger";
import { toString } from "mdast-util-to-string";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, it } from "vitest";
import { markdownFacts } from "../src/engine/parse/markdown-facts.js";
import { LineIndex } from "../src/engine/text/line-index.js";

type Node = { type: string; url?: string; depth?: number; children?: Node[]; position?: { start: { offset: number } } };

/** The oracle: remark's own mdast, the tree the auditors' site will render from. */
function viaRemark(markdown: string) {
  const tree = unified().use(remarkParse).parse(markdown) as unknown as Node;
  const slugger = new GithubSlugger();
  const headings: { depth: number; slug: string }[] = [];
  const urls: string[] = [];
  const visit = (n: Node) => {
    if (n.type === "heading") headings.push({ depth: n.depth!, slug: slugger.slug(toString(n as never, { includeImageAlt: false, includeHtml: false })) });
    if ((n.type === "link" || n.type === "image" || n.type === "definition") && n.url !== undefined) urls.push(n.url);
    n.children?.forEach(visit);
  };
  visit(tree);
  // Autolinks are always absolute, and only relative destinations are ever checked.
  return { headings, urls: urls.filter((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u)).sort() };
}

function viaEngine(markdown: string) {
  const f = markdownFacts(markdown, 0, new LineIndex(markdown));
  return { headings: f.headings.map((h) => ({ depth: h.depth, slug: h.slug })), urls: f.links.map((l) => l.url).filter((u) => !/^[a-z][a-z0-9+.-]*:/i.test(u)).sort() };
}

describe("Markdown facts from micromark events", () => {
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
    expect(viaEngine(md)).toEqual(viaRemark(md));
  });

  it("finds links inside emphasis, skips links in code, resolves definitions", () => {
    const md = "*see [a](a.md)* and `[b](b.md)`\n\n    [c](c.md)\n\n[d]: d.md\n\n![i](img.png)\n";
    expect(viaEngine(md).urls).toEqual(["a.md", "d.md", "img.png"]);
  });

  it("agrees with remark's mdast on headings, anchors and link destinations for random documents", () => {
    const piece = fc.constantFrom("# H1\n", "## Purpose\n", "## Purpose\n", "## Scope *of* work\n", "Setext\n===\n", "text _em_ **strong**\n", "[l](a.md#x)\n", "[r][ref]\n", "[ref]: b.md\n", "![img](c.png)\n", "`[no](code.md)`\n", "```\n## not a heading\n[no](x.md)\n```\n", "    indented [no](y.md)\n", "> ## quoted\n", "- item [li](d.md)\n", "<a href=\"e.md\">html</a>\n", "<https://example.com>\n", "\\[not](a link)\n", "[a](<spaced name.md>)\n", "[a](f.md \"title\")\n", "* [a *b](g.md) c*\n", "\n", "para\n", "## Héllo Wörld!\n", "## a_b_c\n", "### *\n");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (parts) => {
        const md = parts.join("");
        expect(viaEngine(md)).toEqual(viaRemark(md));
      }),
      { numRuns: 3000 },
    );
  });
});
