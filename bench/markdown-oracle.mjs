// The oracle for the engine's Markdown facts (headings, links, definitions, HTML anchors):
// remark's own mdast (remark-parse + remark-gfm, + remark-frontmatter for whole files), the
// tree the auditors' site renders from, with github-slugger for anchors. One module for the
// unit tests (tests/markdown-facts.test.ts, tests/markdown-differential.test.ts, through
// tests/helpers/markdown-oracle.ts) and the differential run over real repositories
// (bench/differential.mjs). Plain ESM so both can load it; types in markdown-oracle.d.mts.
import GithubSlugger from "github-slugger";
import { toString } from "mdast-util-to-string";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";

const BODY = unified().use(remarkParse).use(remarkGfm);
const WHOLE_FILE = unified().use(remarkParse).use(remarkFrontmatter, ["yaml"]).use(remarkGfm);

const span = (n) => ({ line: n.position.start.line, column: n.position.start.column, endLine: n.position.end.line, endColumn: n.position.end.column });

/** `id`/`name` attribute values of the `<a …>` tags in one HTML node's source. */
function anchorsOf(html, into) {
  for (const tag of html.matchAll(/<a\s[^>]*>?/gi)) {
    const attr = /\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"'=<`]+))/i.exec(tag[0]);
    if (attr) into.push(attr[1] ?? attr[2] ?? attr[3]);
  }
}

/**
 * The facts of `markdown` as remark sees them. `frontmatter: true` reads a whole file (a
 * leading `---` YAML block is front matter, not a thematic break and a setext heading).
 * Links: every `[text](url)`, `![alt](url)` and `[label]: url`; autolinks (`<https://x>`,
 * GFM's `www.x`, `https://x`) are not, since the engine never checks them (nothing relative).
 */
export function oracleFacts(markdown, { frontmatter = false } = {}) {
  const tree = (frontmatter ? WHOLE_FILE : BODY).parse(markdown);
  const slugger = new GithubSlugger();
  const headings = [];
  const links = [];
  const htmlAnchors = [];
  const visit = (n) => {
    if (n.type === "heading") {
      const text = toString(n, { includeImageAlt: false, includeHtml: false });
      headings.push({ depth: n.depth, text, slug: slugger.slug(text), range: span(n) });
    } else if (n.type === "link" || n.type === "image" || n.type === "definition") {
      // A GFM literal autolink found by remark-gfm's text transform has no position at all.
      if (n.type !== "link" || (n.position && markdown.charAt(n.position.start.offset) === "[")) links.push({ url: n.url, kind: n.type, range: span(n) });
    } else if (n.type === "html") anchorsOf(n.value, htmlAnchors);
    n.children?.forEach(visit);
  };
  visit(tree);
  return { headings, links, htmlAnchors };
}

/** The engine's facts (markdownFacts, or a parsed document's facts) in the oracle's shape. */
export function engineFacts(facts) {
  const range = (r) => ({ line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn });
  return {
    headings: (facts.headings ?? []).map((h) => ({ depth: h.depth, text: h.text, slug: h.slug, range: range(h.range) })),
    links: facts.links.map((l) => ({ url: l.url, kind: l.kind, range: range(l.range) })),
    htmlAnchors: [...(facts.htmlAnchors ?? [])],
  };
}

const show = (x) => (typeof x === "string" ? JSON.stringify(x.length > 80 ? x.slice(0, 77) + "…" : x) : JSON.stringify(x));
const at = (r) => `${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
const itemText = {
  headings: (h) => `h${h.depth} ${show(h.text)} #${h.slug} @${at(h.range)}`,
  links: (l) => `${l.kind} ${show(l.url)} @${at(l.range)}`,
  htmlAnchors: (a) => show(a),
};

/** Links in source order (an image inside a link comes after it), whatever order they were found in. */
const bySource = (links) =>
  [...links].sort((x, y) => x.range.line - y.range.line || x.range.column - y.range.column || y.range.endLine - x.range.endLine || y.range.endColumn - x.range.endColumn);

/**
 * Where two sets of facts differ, item by item in document order, each with a class
 * (`headings.slug`, `links.range`, `links.missing-in-engine`…) for counting. Items are
 * paired by position in their list; after a missing or extra item, the rest is re-paired
 * by the next equal item so one difference does not cascade. Links are compared in source
 * order: the engine lists `[![alt](a.png)](b.md)`'s image before its link, mdast after.
 */
export function diffFacts(engine, oracle) {
  const out = [];
  for (const key of ["headings", "links", "htmlAnchors"]) {
    const a = key === "links" ? bySource(engine[key]) : engine[key];
    const b = key === "links" ? bySource(oracle[key]) : oracle[key];
    const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && same(a[i], b[j])) {
        i++, j++;
        continue;
      }
      // Resynchronise: an item only the engine has, or only the oracle has?
      const inB = i < a.length ? b.findIndex((y, k) => k >= j && same(a[i], y)) : -1;
      const inA = j < b.length ? a.findIndex((x, k) => k >= i && same(x, b[j])) : -1;
      if (j < b.length && (i >= a.length || (inA !== -1 && (inB === -1 || inA - i <= inB - j)))) {
        out.push({ class: `${key}.missing-in-engine`, detail: `oracle has ${itemText[key](b[j])}, engine does not` });
        j++;
      } else if (i < a.length && (j >= b.length || inB !== -1)) {
        out.push({ class: `${key}.extra-in-engine`, detail: `engine has ${itemText[key](a[i])}, oracle does not` });
        i++;
      } else {
        // Both present, not equal: name the fields that differ.
        const x = a[i];
        const y = b[j];
        const fields = typeof x === "object" ? Object.keys(y).filter((f) => !same(x[f], y[f])) : ["value"];
        out.push({ class: `${key}.${fields.join("+")}`, detail: `engine ${itemText[key](x)} ≠ oracle ${itemText[key](y)}` });
        i++, j++;
      }
    }
  }
  return out;
}
