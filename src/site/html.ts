/** HTML helpers for the auditors' site: every value from a document goes through `esc`. */

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Any character `esc` replaces: markup, C0 controls but tab and newline, DEL, surrogates (paired ones pass through below). */
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\uD800-\uDFFF]/;

/** Escapes text for element content and quoted attribute values. */
export function esc(value: unknown): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (!NEEDS_ESCAPE.test(s)) return s; // most values: one scan instead of three replacements
  // Lone surrogates and C0 controls (but tab and newline) never reach the page as such.
  return s.replace(/[&<>"']/g, (c) => ESC[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "\uFFFD").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}

/** A front-matter value shown as text: strings, numbers and booleans; null for anything else. */
export const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);

/** ` class="<prefix>-<value>"` for a status-like value (letters, digits and dashes kept), or nothing. */
export const cls = (prefix: string, v: string | null | undefined): string => (v ? ` class="${prefix}-${esc(v.replace(/[^a-z0-9-]/gi, ""))}"` : "");

/** The one Content-Security-Policy of every page: nothing but the site's own files, no inline script or style. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'none'";

export interface PageOptions {
  title: string;
  /** `""` for pages at the top of the site, `"../"` for documents/. */
  up: string;
  body: string;
  /** Site-relative scripts (classic scripts: file:// allows nothing else). */
  scripts?: string[];
  /** Shown only when printing (SPEC §4: id, version, approval, commit). */
  printHeader?: string;
  nav: { href: string; label: string }[];
}

export function page(o: PageOptions): string {
  const nav = o.nav.map((n) => `<a href="${o.up}${esc(n.href)}">${esc(n.label)}</a>`).join(" ");
  const scripts = (o.scripts ?? []).map((s) => `<script src="${o.up}${esc(s)}"></script>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(o.title)}</title>
<link rel="icon" href="${o.up}assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${o.up}assets/site.css">
</head>
<body>
<header class="site-header"><nav>${nav}</nav>
<form class="search-form" action="${o.up}search.html" method="get" role="search"><input type="search" name="q" placeholder="Search" aria-label="Search"><button type="submit">Search</button></form></header>
${o.printHeader ? `<div class="print-header">${o.printHeader}</div>\n` : ""}<main>
${o.body}
</main>
${scripts}
</body>
</html>
`;
}

/** A table from a header and rows of already-escaped cells. */
export function table(header: string[], rows: string[][], cls = ""): string {
  if (rows.length === 0) return `<p class="empty">None.</p>`;
  return `<table${cls ? ` class="${cls}"` : ""}><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>\n${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("\n")}\n</tbody></table>`;
}
