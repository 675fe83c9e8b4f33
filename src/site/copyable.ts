import { posix } from "node:path";

/**
 * Which repository files the site may copy under `files/` and link: only types a browser shows
 * without running anything in them or loading anything from the network (the product's rule:
 * never execute workspace content). An allowlist by extension, because a browser picks its
 * handler by the extension (file://) or by the Content-Type a server derives from it:
 *
 * - PDF (the browser's viewer runs no page script), raster images, plain text and data
 *   (`txt`, `md`, `csv`, `tsv`, `json`, `yaml`, `yml`, `log`: shown as text or downloaded);
 * - office documents and `zip`: downloaded, never rendered by the browser.
 *
 * Never HTML, XHTML, SVG, XML, XSL, scripts, stylesheets or anything unknown: each runs script
 * or loads resources when opened (checked in chromium: `.html`, `.htm`, `.svg`, `.xml` run an
 * inline script from file://). An SVG is copied only for an image (`<img>`), which renders it
 * in the browser's secure mode: no script, nothing from the network.
 */
const INERT = new Set([
  "pdf",
  "png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico",
  "txt", "md", "csv", "tsv", "json", "yaml", "yml", "log",
  "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "zip",
]);
const IMAGE_ONLY = new Set(["svg"]);

/** The lower-cased extension of a repository path, without the dot; "" for none. */
const extensionOf = (path: string): string => posix.extname(path).slice(1).toLowerCase();

/** Whether the site may copy `path` and point a link (`image` false) or an image at the copy. */
export function copyable(path: string, image: boolean): boolean {
  const ext = extensionOf(path);
  return INERT.has(ext) || (image && IMAGE_ONLY.has(ext));
}

/** Why a link to `path`, a repository file the site does not copy, is shown as text (its title). */
export function notCopiedReason(path: string): string {
  const ext = extensionOf(path);
  if (ext === "svg") return "not copied into the site: SVG files could run scripts in the browser (they are shown only as images)";
  if (ext === "") return "not copied into the site: a file without an extension could be opened as a web page";
  return `not copied into the site: it copies only files that cannot run in the browser (PDFs, images, text, office files), not .${ext} files`;
}
