import MarkdownIt, { type PluginSimple } from "markdown-it";
import footnote from "markdown-it-footnote";
import sanitizeHtml from "sanitize-html";

/**
 * Document bodies to HTML: markdown-it (GFM tables, strikethrough, autolinks; footnotes by
 * plugin), raw HTML allowed in the source but the OUTPUT passed through sanitize-html's
 * allowlist, because the content's authors are not trusted (SPEC §4).
 */
// The plugin's types describe markdown-it's CommonJS typings; the function is the same.
const md = new MarkdownIt({ html: true, linkify: true, typographer: false }).use(footnote as unknown as PluginSimple);

/** Where a relative link of a document goes in the site, or null to show it as text. */
export type LinkResolver = (href: string, image: boolean) => string | null;

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"];
const ALIGN = /text-align:\s*(left|right|center)/i;

function sanitizeOptions(resolve: LinkResolver): sanitizeHtml.IOptions {
  const cell = (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    // markdown-it aligns table cells with a style attribute; the CSP forbids inline style, so a class.
    const m = ALIGN.exec(attribs.style ?? "");
    const out: sanitizeHtml.Attributes = {};
    if (m) out.class = `align-${m[1]!.toLowerCase()}`;
    for (const k of ["colspan", "rowspan"]) if (attribs[k] !== undefined) out[k] = attribs[k]!;
    return { tagName, attribs: out };
  };
  return {
    allowedTags: [...sanitizeHtml.defaults.allowedTags.filter((t) => t !== "iframe"), "img", "del", "s", "ins", "details", "summary", "sup", "sub", "section"],
    allowedAttributes: {
      // Heading ids and HTML anchors (`<a id>`, `<a name>`) are link targets `validate` checks.
      ...Object.fromEntries(HEADINGS.map((h) => [h, ["id"]])),
      a: ["href", "id", "name", "title", "class", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      li: ["id", "class"],
      sup: ["class", "id"],
      section: ["class"],
      hr: ["class"],
      ol: ["start"],
      th: ["class", "colspan", "rowspan"],
      td: ["class", "colspan", "rowspan"],
      code: ["class"],
      span: ["class"],
    },
    allowedClasses: {
      a: ["footnote-backref"],
      li: ["footnote-item"],
      sup: ["footnote-ref"],
      section: ["footnotes"],
      hr: ["footnotes-sep"],
      th: ["align-left", "align-right", "align-center"],
      td: ["align-left", "align-right", "align-center"],
      code: [/^language-[\w-]+$/],
      span: ["link-unresolved"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    // Images only from the site itself: nothing is loaded from the network.
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    disallowedTagsMode: "discard",
    transformTags: {
      th: cell,
      td: cell,
      a: (tagName, attribs) => {
        const href = attribs.href;
        if (href === undefined || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) {
          return { tagName, attribs: href !== undefined && /^https?:/i.test(href) ? { ...attribs, rel: "noopener noreferrer" } : attribs };
        }
        if (href.startsWith("#")) return { tagName, attribs };
        const target = resolve(href, false);
        if (target === null) {
          const { href: _drop, ...rest } = attribs;
          return { tagName: "span", attribs: { ...(rest.id ? { id: rest.id } : {}), class: "link-unresolved" } };
        }
        return { tagName, attribs: { ...attribs, href: target } };
      },
      img: (tagName, attribs) => {
        const src = attribs.src;
        const target = src !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith("//") ? resolve(src, true) : null;
        const { src: _drop, ...rest } = attribs;
        return { tagName, attribs: target === null ? rest : { ...rest, src: target } };
      },
    },
  };
}

/**
 * Renders a Markdown body. `slugs` are the engine's heading anchors for this document, in
 * document order (the ones `validate` checks); they are given to the heading tokens in order,
 * so the site never slugs a heading a second way.
 */
export function renderMarkdown(body: string, slugsOf: () => readonly string[], resolve: LinkResolver): { html: string; text: string; headings: number } {
  const env = {};
  const tokens = md.parse(body, env);
  let n = 0;
  let slugs: readonly string[] | null = null;
  for (const t of tokens) {
    if (t.type !== "heading_open") continue;
    slugs ??= slugsOf(); // asked only when there is a heading: the engine may tokenize on demand
    const slug = slugs[n++];
    if (slug !== undefined && slug !== "") t.attrSet("id", slug);
  }
  const raw = md.renderer.render(tokens, md.options, env);
  const html = sanitizeHtml(raw, sanitizeOptions(resolve));
  return { html, text: plainText(html), headings: n };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
/** The words of sanitized HTML, for the search index. */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!).replace(/\s+/g, " ").trim();
}
