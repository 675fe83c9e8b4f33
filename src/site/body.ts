import { createHash } from "node:crypto";
import { posix } from "node:path";
import { escapeHtml, renderMarkdown } from "./markdown.js";
import { distinctWords } from "./search.js";

/**
 * One document body to HTML, as the site shows it: the part of the build that is pure (text
 * in, HTML out), so any thread gives the same answer (render-pool.ts runs it on workers).
 */
export interface BodyContext {
  /** Site page (`documents/<name>.html`) of every governed document, by repository path. */
  pages: ReadonlyMap<string, string>;
  /** Repository files the site may copy (hashed sources). */
  sources: ReadonlySet<string>;
}

export interface BodyJob {
  file: string;
  body: string;
  /** The engine's heading anchors, in document order. */
  slugs: readonly string[];
}

export interface BodyResult {
  html: string;
  /** Its words once each, for the search index (search.ts `distinctWords`). */
  words: string;
  /** Repository files its links and images point at, to copy into `files/`. */
  copied: string[];
}

export function renderBody(ctx: BodyContext, job: BodyJob): BodyResult {
  const copied: string[] = [];
  const r = renderMarkdown(job.body, () => job.slugs, (href, image) => resolveTarget(ctx, job.file, href, image, copied));
  return { html: r.html, words: distinctWords(r.text), copied };
}

/** Where a relative link or image of `file` goes in the site (null: shown as text, or no image); a repository file it copies is added to `copied`. */
function resolveTarget(ctx: BodyContext, file: string, href: string, image: boolean, copied: string[]): string | null {
  const t = resolveRel(file, href);
  if (!t) return null;
  const page = ctx.pages.get(t.path);
  if (page !== undefined && !image) return `../${page}${t.hash}`;
  if (!ctx.sources.has(t.path)) return null;
  copied.push(t.path);
  return `../files/${t.path.split("/").map(encodeURIComponent).join("/")}${image ? "" : t.hash}`;
}

/**
 * A document's body as the site renders it: its text from line `bodyLine` on, lines joined by
 * `\n` (`text.split(/\r?\n/).slice(bodyLine - 1).join("\n")`). A text without `\r` is that
 * already, so it is sliced at the line's start instead of split into ten thousands of lines.
 */
export function bodyText(text: string, bodyLine: number): string {
  if (text.includes("\r")) return text.split(/\r?\n/).slice(Math.max(0, bodyLine - 1)).join("\n");
  let at = 0;
  for (let line = 1; line < bodyLine; line++) {
    const br = text.indexOf("\n", at);
    if (br === -1) return "";
    at = br + 1;
  }
  return text.slice(at);
}

/** A relative link of a document as a repository path and `#anchor`; null if it leaves the repository or is not relative. */
export function resolveRel(from: string, href: string): { path: string; hash: string } | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//") || href.startsWith("#")) return null;
  const hashAt = href.indexOf("#");
  const rawPath = (hashAt < 0 ? href : href.slice(0, hashAt)).replace(/\?.*$/, "");
  const hash = hashAt < 0 ? "" : "#" + encodeURIComponent(safeDecode(href.slice(hashAt + 1))).replace(/%2F/g, "/");
  if (rawPath === "") return null;
  const decoded = safeDecode(rawPath);
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const joined = decoded.startsWith("/") ? posix.normalize(decoded.slice(1)) : posix.normalize(posix.join(posix.dirname(from), decoded));
  if (joined === "." || joined.startsWith("../") || joined === ".." || posix.isAbsolute(joined)) return null;
  return { path: joined.replace(/\/$/, ""), hash };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A body rendered before the repository is loaded (render-pool.ts does it on the render
 * threads while this thread parses): its heading ids and relative link targets are not
 * known yet, so they are marks (`\u0001n\u0001`, `\u0002k\u0002`) that `finishBody` puts the
 * engine's anchors and the site's pages in for. Words do not depend on either.
 */
export interface Prerendered {
  /** The sha256 of the body it was rendered from (kept instead of the body, which is as large as the HTML): a job with any other body renders afresh. */
  bodyHash: string;
  html: string;
  words: string;
  /** Every call of the link resolver, in order: mark k is call k. */
  links: { href: string; image: boolean }[];
  headings: number;
}

/** Headings a body may have to be rendered ahead (more: rendered when its job comes). */
const MAX_MARKED_HEADINGS = 1000;
const HEADING_MARKS = Array.from({ length: MAX_MARKED_HEADINGS }, (_, i) => `\u0001${i}\u0001`);
const MARK = / id="\u0001(\d+)\u0001"|="\u0002(\d+)\u0002"/g;

/**
 * Renders a body ahead, or null when it cannot be: one that holds `<` (it may hold raw HTML,
 * which goes through the sanitizer, whose output the marks must not rely on) or a mark
 * character of its own, or too many headings.
 */
export function prerenderBody(body: string): Prerendered | null {
  if (body.includes("<") || body.includes("\u0001") || body.includes("\u0002")) return null;
  const links: Prerendered["links"] = [];
  const r = renderMarkdown(body, () => HEADING_MARKS, (href, image) => `\u0002${links.push({ href, image }) - 1}\u0002`);
  if (r.headings > MAX_MARKED_HEADINGS) return null;
  return { bodyHash: sha256(body), html: r.html, words: distinctWords(r.text), links, headings: r.headings };
}

/**
 * `renderBody(ctx, job)` from a body rendered ahead, or null when it must be rendered afresh:
 * another body, or a link that resolves to nothing (shown as text: another element, not
 * another attribute). markdown-it writes an attribute as ` name="escapeHtml(value)"`, so a
 * mark is replaced by the escaped value, and a heading without an anchor loses the attribute.
 */
export function finishBody(ctx: BodyContext, job: BodyJob, pre: Prerendered): BodyResult | null {
  if (pre.bodyHash !== sha256(job.body)) return null;
  const copied: string[] = [];
  const targets: string[] = [];
  for (const l of pre.links) {
    const t = resolveTarget(ctx, job.file, l.href, l.image, copied);
    if (t === null) return null;
    targets.push(t);
  }
  const html = pre.html.replace(MARK, (_, heading: string | undefined, link: string | undefined) => {
    if (link !== undefined) return `="${escapeHtml(targets[Number(link)]!)}"`;
    const slug = job.slugs[Number(heading)];
    return slug !== undefined && slug !== "" ? ` id="${escapeHtml(slug)}"` : "";
  });
  return { html, words: pre.words, copied };
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("base64");
