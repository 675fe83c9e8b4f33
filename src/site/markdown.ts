import MarkdownIt, { type PluginSimple } from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import footnote from "markdown-it-footnote";
import sanitizeHtml from "sanitize-html";
import { gfmAutolinks } from "./gfm-autolinks.js";
import { gfmTaskLists } from "./gfm-task-list.js";

/**
 * Document bodies to HTML: markdown-it (GFM tables, strikethrough, autolinks; footnotes, task
 * lists and GFM's autolink literals by plugin), raw HTML allowed in the source but the OUTPUT
 * passed through sanitize-html's allowlist, because the content's authors are not trusted (SPEC §4).
 */
// Bare URLs are linked as GFM links them (the links `validate` reads), not by linkify-it, which also links bare domains.
// The footnote plugin's types describe markdown-it's CommonJS typings; the function is the same.
const md = new MarkdownIt({ html: true, linkify: false, typographer: false }).use(footnote as unknown as PluginSimple).use(gfmTaskLists).use(gfmAutolinks);

/** Where a relative link of a document goes in the site, or null to show it as text. */
export type LinkResolver = (href: string, image: boolean) => LinkTarget;
/** A site-relative URL; or the link shown as text: null, or with the reason as its title (a file the site does not copy). */
export type LinkTarget = string | null | { asText: string };

/** The attributes of a link shown as text: its id (a link target `validate` counts), the class, and why when known. */
function asTextAttrs(id: string | null | undefined, target: LinkTarget): [string, string][] {
  return [...(id ? ([["id", id]] as [string, string][]) : []), ["class", "link-unresolved"], ...(target !== null && typeof target === "object" ? ([["title", target.asText]] as [string, string][]) : [])];
}
/** An image's source, when it has one in the site. */
const imageSrc = (target: LinkTarget): string | null => (typeof target === "string" ? target : null);

const HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"];
const ALIGN = /text-align:\s*(left|right|center)/i;

function sanitizeOptions(resolve: LinkResolver): sanitizeHtml.IOptions {
  const cell = (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    // markdown-it aligns table cells with a style attribute; the CSP forbids inline style, so a class.
    const m = ALIGN.exec(attribs.style ?? "");
    const out: sanitizeHtml.Attributes = {};
    if (m) out.class = `align-${m[1]!.toLowerCase()}`;
    else if (attribs.class !== undefined && /^align-(left|right|center)$/.test(attribs.class)) out.class = attribs.class; // already a class: sanitizing twice changes nothing
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
      span: ["class", "title"],
    },
    allowedClasses: {
      a: ["footnote-backref"],
      li: ["footnote-item", "task-list-item"],
      sup: ["footnote-ref"],
      section: ["footnotes"],
      hr: ["footnotes-sep"],
      th: ["align-left", "align-right", "align-center"],
      td: ["align-left", "align-right", "align-center"],
      code: [/^language-[\w-]+$/],
      span: ["link-unresolved", "task-done", "task-open"],
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
        if (typeof target !== "string") return { tagName: "span", attribs: Object.fromEntries(asTextAttrs(attribs.id, target)) };
        return { tagName, attribs: { ...attribs, href: target } };
      },
      img: (tagName, attribs) => {
        const src = attribs.src;
        const target = src !== undefined && !/^[a-z][a-z0-9+.-]*:/i.test(src) && !src.startsWith("//") ? imageSrc(resolve(src, true)) : null;
        const { src: _drop, ...rest } = attribs;
        return { tagName, attribs: target === null ? rest : { ...rest, src: target } };
      },
    },
  };
}

/** The document whose links the shared sanitizer options resolve (set for each render). */
let current: LinkResolver = () => null;
/** Built once: sanitize-html re-reads its options on every call, and rebuilding them per document cost a tenth of the build. */
const SANITIZE = sanitizeOptions((href, image) => current(href, image));

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/** The schemes sanitize-html keeps on links (`allowedSchemes`); images keep none. */
const LINK_SCHEMES = /^(https?|mailto):/i;
const LANGUAGE = /^language-[\w-]+$/;

// markdown-it-footnote classes its list; the sanitizer's allowlist has no class on `ol`, so neither does the fast path.
const footnoteBlockOpen = md.renderer.rules.footnote_block_open!;
md.renderer.rules.footnote_block_open = (...args) => footnoteBlockOpen(...args).replace(' class="footnotes-list"', "");

/** Whether any token (inline children included) is raw HTML from the document. */
function hasRawHtml(tokens: readonly Token[]): boolean {
  for (const t of tokens) {
    if (t.type === "html_block" || t.type === "html_inline") return true;
    if (t.children && hasRawHtml(t.children)) return true;
  }
  return false;
}

/**
 * The sanitizer's allowlist applied to markdown-it's own tokens, for a body without raw
 * HTML: markdown-it escapes every text and attribute it writes, so what is left to decide is
 * what the sanitizer decides for such output: link schemes (http, https, mailto; protocol-
 * relative and others lose `href`), images only from the site, relative links resolved to
 * site pages or shown as text, table alignment as a class, code classes `language-<word>`.
 * tests/site.test.ts checks that the sanitizer leaves this output as it is.
 */
function applyAllowlist(tokens: Token[], resolve: LinkResolver): void {
  const links: Token[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case "th_open":
      case "td_open": {
        const m = ALIGN.exec(t.attrGet("style") ?? "");
        t.attrs = m ? [["class", `align-${m[1]!.toLowerCase()}`]] : null;
        break;
      }
      case "fence": {
        const lang = t.info ? md.utils.unescapeAll(t.info).trim().split(/\s+/)[0] ?? "" : "";
        if (!LANGUAGE.test(`language-${lang}`)) t.info = "";
        break;
      }
      case "link_open": {
        links.push(t);
        const href = t.attrGet("href");
        if (href === null || href.startsWith("#")) break;
        if (SCHEME.test(href) || href.startsWith("//")) {
          if (!LINK_SCHEMES.test(href)) t.attrs = (t.attrs ?? []).filter(([k]) => k !== "href");
          else if (/^https?:/i.test(href)) t.attrSet("rel", "noopener noreferrer");
          break;
        }
        const target = resolve(href, false);
        if (typeof target !== "string") {
          t.tag = "span";
          t.attrs = asTextAttrs(t.attrGet("id"), target);
        } else t.attrSet("href", target);
        break;
      }
      case "link_close": {
        const open = links.pop();
        if (open) t.tag = open.tag;
        break;
      }
      case "image": {
        const src = t.attrGet("src");
        const target = src !== null && !SCHEME.test(src) && !src.startsWith("//") ? imageSrc(resolve(src, true)) : null;
        t.attrs = (t.attrs ?? []).filter(([k]) => k !== "src");
        if (target !== null) t.attrs.push(["src", target]);
        break;
      }
    }
    if (t.children) applyAllowlist(t.children, resolve);
  }
}

/**
 * Renders a Markdown body. `slugs` are the engine's heading anchors for this document, in
 * document order (the ones `validate` checks); they are given to the heading tokens in order,
 * so the site never slugs a heading a second way. A body with raw HTML goes through
 * sanitize-html's allowlist; one without (most governance text) has the same allowlist applied
 * to markdown-it's tokens, which spares re-parsing every page's HTML.
 */
export function renderMarkdown(body: string, slugsOf: () => readonly string[], resolve: LinkResolver, options: { sanitizeAll?: boolean } = {}): { html: string; text: string; headings: number } {
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
  let html: string;
  if (options.sanitizeAll || hasRawHtml(tokens)) {
    const raw = md.renderer.render(tokens, md.options, env);
    current = resolve;
    try {
      html = sanitizeHtml(raw, SANITIZE);
    } finally {
      current = () => null;
    }
  } else {
    applyAllowlist(tokens, resolve);
    html = md.renderer.render(tokens, md.options, env);
  }
  return { html, text: plainText(html), headings: n };
}

/** sanitize-html with the site's allowlist (tests compare the fast path with it). */
export function sanitizeBody(html: string, resolve: LinkResolver): string {
  current = resolve;
  try {
    return sanitizeHtml(html, SANITIZE);
  } finally {
    current = () => null;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
/**
 * The words of sanitized HTML, for the search index. Runs of whitespace stay as they are:
 * `distinctWords` splits on them anyway. The ends are trimmed because there a separator would
 * add an empty term, which minisearch counts in the field's length.
 */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, " ").replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]!).trim();
}
