import { posix } from "node:path";
import { copyable, notCopiedReason } from "./copyable.js";
import { esc } from "./html.js";
import { renderMarkdown } from "./markdown.js";
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
  /** Repository files its links and images point at, to copy into `files/` (inert types only: copyable.ts). */
  copied: string[];
}

export function renderBody(ctx: BodyContext, job: BodyJob): BodyResult {
  const copied: string[] = [];
  // For each link shown as text, in document order: why, when it is a file the site will not copy.
  const asText: (string | null)[] = [];
  const resolveLink = (href: string, image: boolean): string | null => {
    const t = resolveRel(job.file, href);
    const page = t ? ctx.pages.get(t.path) : undefined;
    if (t && page !== undefined && !image) return `../${page}${t.hash}`;
    if (!t || !ctx.sources.has(t.path) || !copyable(t.path, image)) {
      if (!image) asText.push(t && ctx.sources.has(t.path) ? notCopiedReason(t.path) : null);
      return null;
    }
    copied.push(t.path);
    return `../files/${t.path.split("/").map(encodeURIComponent).join("/")}${image ? "" : t.hash}`;
  };
  const r = renderMarkdown(job.body, () => job.slugs, resolveLink);
  return { html: titleNotCopied(r.html, asText), words: distinctWords(r.text), copied };
}

/** A link markdown.ts shows as text (`<a id>` keeps its id), as the renderer and the sanitizer write it. */
const AS_TEXT = /<span(?: id="[^"]*")? class="link-unresolved">/g;

/**
 * Gives each link to a file the site did not copy a title saying why (markdown.ts's resolver
 * answers only a target or null). markdown.ts writes every link it could not
 * resolve as such a span, in the order it asked for them (content the sanitizer drops is never
 * asked about); a body's raw HTML may write spans of that class of its own, and then which span
 * is which link is not known: the titles are left out rather than put on the wrong text.
 */
function titleNotCopied(html: string, asText: readonly (string | null)[]): string {
  if (!asText.some((why) => why !== null)) return html;
  if ((html.match(AS_TEXT)?.length ?? 0) !== asText.length) return html;
  let i = 0;
  return html.replace(AS_TEXT, (span) => {
    const why = asText[i++];
    return why ? `${span.slice(0, -1)} title="${esc(why)}">` : span;
  });
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
