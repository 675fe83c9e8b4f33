import { posix } from "node:path";
import { copyable, notCopiedReason } from "./copyable.js";
import { renderMarkdown, type LinkTarget } from "./markdown.js";
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
  const resolveLink = (href: string, image: boolean): LinkTarget => {
    const t = resolveRel(job.file, href);
    if (!t) return null;
    const page = ctx.pages.get(t.path);
    if (page !== undefined && !image) return `../${page}${t.hash}`;
    if (!ctx.sources.has(t.path)) return null;
    if (!copyable(t.path, image)) return { asText: notCopiedReason(t.path) };
    copied.push(t.path);
    return `../files/${t.path.split("/").map(encodeURIComponent).join("/")}${image ? "" : t.hash}`;
  };
  const r = renderMarkdown(job.body, () => job.slugs, resolveLink);
  return { html: r.html, words: distinctWords(r.text), copied };
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
