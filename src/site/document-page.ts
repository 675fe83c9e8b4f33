import { isInvalidityCode, type DocumentFacts, type Finding, type KindDef, type Workspace } from "../engine/index.js";
import { bodyText, resolveRel, type BodyJob, type BodyResult } from "./body.js";
import { esc, page, str, table } from "./html.js";
import type { SiteWriter } from "./out-dir.js";
import { registerPageName } from "./page-names.js";
import { renderInOrder } from "./render-pool.js";
import { distinctWords } from "./search.js";
import type { SearchBuilder } from "./search-thread.js";

/** What every document page is built from: the repository's documents and how to link them. */
export interface DocumentPageContext {
  ws: Workspace;
  facts: readonly DocumentFacts[];
  /** Every finding of the repository (`ws.findings()`). */
  findings: readonly Finding[];
  /** Files of the documents that do not validate (`invalidRecords` over every kind). */
  invalid: ReadonlySet<string>;
  /** Site-relative page of each document, by file. */
  pages: ReadonlyMap<string, string>;
  byFile: ReadonlyMap<string, DocumentFacts>;
  byId: ReadonlyMap<string, DocumentFacts>;
  defOf: ReadonlyMap<string, KindDef>;
  nav: { href: string; label: string }[];
  /** The commit as the print header shows it. */
  commitText: string;
  built: string;
  emails: boolean;
  /** Repository files the site may copy and link to. */
  sources: ReadonlySet<string>;
  threads: number;
}

/** The documents that reference each document (by a reference field or a relative link), by file. */
export function referencedByIndex(facts: readonly DocumentFacts[], defOf: ReadonlyMap<string, KindDef>, byId: ReadonlyMap<string, DocumentFacts>, byFile: ReadonlyMap<string, DocumentFacts>): Map<string, Set<string>> {
  const referencedBy = new Map<string, Set<string>>();
  const addRef = (from: string, toFile: string) => {
    if (from === toFile) return;
    let s = referencedBy.get(toFile);
    if (!s) referencedBy.set(toFile, (s = new Set()));
    s.add(from);
  };
  const refValues = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  for (const d of facts) {
    for (const r of defOf.get(d.kind)?.references ?? []) for (const id of refValues(d.values[r.field])) {
      const t = byId.get(id);
      if (t) addRef(d.file, t.file);
    }
    for (const l of d.links) {
      const target = resolveRel(d.file, l.url);
      if (target && byFile.has(target.path)) addRef(d.file, target.path);
    }
  }
  return referencedBy;
}

/**
 * Writes `documents/<name>.html` for every document and adds each to the search index. Bodies
 * render on worker threads (body.ts), in order, while this thread builds the pages around them.
 * Returns the repository files the bodies link to, to be copied under `files/`.
 */
export async function writeDocumentPages(ctx: DocumentPageContext, w: SiteWriter, search: SearchBuilder): Promise<Set<string>> {
  const { ws, facts, pages } = ctx;
  const findingsByFile = new Map<string, Finding[]>();
  for (const f of ctx.findings) {
    let l = findingsByFile.get(f.file);
    if (!l) findingsByFile.set(f.file, (l = []));
    l.push(f);
  }
  const referencedBy = referencedByIndex(facts, ctx.defOf, ctx.byId, ctx.byFile);
  const copied = new Set<string>();
  const bodyJob = (i: number): BodyJob | null => {
    const d = facts[i]!;
    if (d.format !== "markdown") return null;
    const src = ws.text(d.file);
    if (src === undefined) return null;
    return { file: d.file, body: bodyText(src, d.bodyLine), slugs: ws.headings(d.file).map((h) => h.slug) };
  };
  let at = 0;
  for await (const rendered of renderInOrder({ pages, sources: ctx.sources }, facts.length, bodyJob, ctx.threads)) {
    const d = facts[at++]!;
    for (const f of rendered?.copied ?? []) copied.add(f);
    const { html, title } = documentPage(ctx, d, rendered, findingsByFile.get(d.file) ?? [], referencedBy.get(d.file));
    const pageRel = pages.get(d.file)!;
    w.write(pageRel, html);
    const words = rendered ? rendered.words : d.format === "markdown" ? "" : distinctWords(flatText(d.values));
    search.addWords({ ref: pageRel, id: d.id ?? d.file, title, kind: d.kind, url: pageRel, text: words });
    if (w.backlog) await w.drain();
  }
  return copied;
}

/** One document's page: metadata, what references it, the rendered body, its findings and history; with its print header. */
function documentPage(ctx: DocumentPageContext, d: DocumentFacts, rendered: BodyResult | null, findings: readonly Finding[], referencedBy: ReadonlySet<string> | undefined): { html: string; title: string } {
  const { ws, byId, byFile } = ctx;
  const def = ctx.defOf.get(d.kind);
  const docLink = (t: DocumentFacts) => `<a href="../${esc(ctx.pages.get(t.file)!)}">${esc(t.id ?? t.file)}</a>`;
  const title = d.title ?? str(d.values[def?.titleField ?? "title"]) ?? d.id ?? d.file;
  const version = str(d.values.version);
  const approvedBy = str(d.values.approved_by);
  const approvedOn = str(d.values.approved_on);
  const approval = approvedBy || approvedOn ? `approved by ${esc(approvedBy ?? "(nobody recorded)")} on ${esc(approvedOn ?? "(no date)")}` : "not approved";
  // SPEC §2: a record that does not validate is never shown as valid. The page is printed as audit
  // evidence, so the marker is in the print header as well as under the title.
  const invalidity = ctx.invalid.has(d.file) ? invalidMarker(findings.filter((f) => isInvalidityCode(f.code))) : "";
  const printHeader = `<strong>${esc(d.id ?? d.file)}</strong> · ${esc(title)}${invalidity ? ` · <strong class="st-invalid">${invalidity}</strong>` : ""} · version ${esc(version ?? "(none)")} · ${approval} · status ${esc(str(d.values.status) ?? "(none)")} · commit ${esc(ctx.commitText)} · printed from the site built ${esc(ctx.built.slice(0, 10))}`;

  const metaRows: string[][] = [["kind", `<a href="../${esc(def ? registerPageName(def) : "registers.html")}">${esc(d.kind)}</a>`], ["file", `<code>${esc(d.file)}</code>`]];
  const refFields = new Set((def?.references ?? []).map((r) => r.field));
  for (const [key, value] of Object.entries(d.values)) {
    metaRows.push([esc(key), refFields.has(key) ? refCell(value, byId, docLink) : valueHtml(value)]);
  }
  const back = [...(referencedBy ?? [])].sort().map((f) => byFile.get(f)!).map((s) => `<li>${docLink(s)} ${esc(s.title ?? "")} <span class="badge">${esc(s.kind)}</span></li>`);
  const own = findings.map((f) => [`<span class="sev-${esc(f.severity)}">${esc(f.severity)}</span>`, `<code>${esc(f.code)}</code>`, `${f.line}:${f.column}`, esc(f.message)]);
  const commits = ws.history(d.file).map((c) => [esc(c.date), esc(c.author) + (ctx.emails ? ` &lt;${esc(c.email)}&gt;` : ""), esc(c.subject), `<code>${esc(c.hash.slice(0, 12))}</code>`]);
  const body = [
    `<h1><span class="badge">${esc(d.id ?? "no id")}</span> ${esc(title)}</h1>`,
    invalidity ? `<p class="invalid-banner st-invalid">${invalidity}. Its values below may be wrong or missing.</p>` : "",
    `<table class="meta"><tbody>${metaRows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("\n")}</tbody></table>`,
    `<h2>Referenced by</h2>`,
    back.length ? `<ul class="referenced-by">${back.join("")}</ul>` : `<p class="empty">No document references it.</p>`,
    d.format === "markdown" ? `<h2>Document</h2>\n<div class="body">\n${rendered?.html ?? ""}\n</div>` : "",
    // Not `findings`: a body heading "Findings" (an audit report's) has that slug already.
    `<h2 id="policyops-findings">Findings</h2>`,
    table(["severity", "code", "line:col", "message"], own, "findings"),
    `<h2>History</h2>`,
    ws.git ? table(["date", "author", "message", "commit"], commits, "history") : `<p class="empty">Not built from a git repository: no history.</p>`,
  ].join("\n");
  return { html: page({ title: `${d.id ?? d.file} ${title}`, up: "../", body, nav: ctx.nav, printHeader }), title };
}

/**
 * What a document page says of a document that does not validate, counting the findings that make
 * it invalid by severity: errors, unless `rules:` in policyops.yaml says otherwise (they still make it invalid).
 */
function invalidMarker(invalidity: readonly Finding[]): string {
  const counts = (["error", "warning", "info"] as const)
    .map((sev) => [sev, invalidity.filter((f) => f.severity === sev).length] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}${n === 1 ? "" : "s"}`);
  return `Does not validate: ${counts.length ? `${counts.join(", ")}, ` : ""}see <a href="#policyops-findings">Findings</a>`;
}

/** A front-matter value as HTML: lists as lists, maps as nested tables, the rest as text. */
function valueHtml(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.length === 0 ? `<span class="muted">none</span>` : `<ul>${v.map((x) => `<li>${valueHtml(x)}</li>`).join("")}</ul>`;
  if (typeof v === "object") return `<table class="nested"><tbody>${Object.entries(v as Record<string, unknown>).map(([k, x]) => `<tr><th>${esc(k)}</th><td>${valueHtml(x)}</td></tr>`).join("")}</tbody></table>`;
  return esc(v);
}

/** A reference field's value: each id that names a document links to its page. */
function refCell(v: unknown, byId: ReadonlyMap<string, DocumentFacts>, link: (d: DocumentFacts) => string): string {
  const one = (x: unknown) => {
    const d = typeof x === "string" ? byId.get(x) : undefined;
    return d ? link(d) : esc(x);
  };
  return Array.isArray(v) ? v.map(one).join(", ") : one(v);
}

/** Every scalar of a record, for the search index of a document without a Markdown body. */
function flatText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(flatText).join(" ");
  if (typeof v === "object") return Object.values(v as Record<string, unknown>).map(flatText).join(" ");
  return String(v);
}
