import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import {
  complianceDetail,
  complianceJson,
  kinds,
  contractReport,
  licenceReport,
  registerFields,
  registerReport,
  resultOf,
  actionReport,
  reviewReport,
  type DocumentFacts,
  type Finding,
  type FrameworkDetail,
  type KindDef,
  type Workspace,
} from "../engine/index.js";
import { formatJson } from "../cli/format/json.js";
import { calendarJcal } from "../cli/format/ics.js";
import { governanceEvents } from "../cli/format/governance-calendar.js";
import { safeJson } from "../cli/format/neutralise.js";
import { CSS, ICON, SEARCH_JS } from "./assets.js";
import { esc, page, table } from "./html.js";
import { bodyText, resolveRel, type BodyJob } from "./body.js";
import { defaultRenderThreads, renderInOrder } from "./render-pool.js";
import { GENERATOR, MANIFEST, SiteWriter } from "./out-dir.js";
import { distinctWords, miniSearchScript } from "./search.js";
import { searchBuilder, type SearchBuilder } from "./search-thread.js";

export { resolveRel } from "./body.js";
import { checkChromium, printPdfs } from "./pdf.js";

export interface SiteOptions {
  /** Absolute output folder. */
  out: string;
  /** As the user wrote it, for messages. */
  shownOut: string;
  toolVersion: string;
  /** Show authors' e-mail addresses in document histories (default: names only). */
  emails?: boolean;
  now?: Date;
  /** Worker threads rendering document bodies: 0 renders on this thread; default one per core on a large repository. */
  threads?: number;
  /** `--pdf`: print every document page to `pdf/<name>.pdf` with this Chromium. */
  pdf?: { chromium: string };
}

export interface SiteResult {
  documents: number;
  pages: number;
  /** Site-relative paths of the document pages, by document file. */
  documentPages: Map<string, string>;
  manifest: SiteManifest;
}

export interface SiteManifest {
  generator: typeof GENERATOR;
  version: 1;
  tool: { name: "policyops"; version: string };
  built: string;
  today: string;
  commit: string | null;
  dirty: boolean | null;
  /** Where the site was built inside the repository, if it was (left out of `sources`). */
  sources: { file: string; sha256: string | null; size: number }[];
  pages: { file: string; sha256: string; size: number }[];
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;
/** Top-level page names the site itself uses: a kind's register never takes one. */
const RESERVED = new Set(["index", "compliance", "reviews", "actions", "registers", "search", "calendar", "manifest"]);

/** Whether the repository's working tree differs from HEAD (null outside git); the site's own folder inside it does not count. */
function gitDirty(root: string, outRel: string | null): boolean | null {
  try {
    return execFileSync("git", ["status", "--porcelain", "--untracked-files=normal", "--", ".", ...(outRel ? [`:(exclude,literal)${outRel}`] : [])], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 }).length > 0;
  } catch {
    return null;
  }
}

/** The page (`documents/<name>.html`) of each governed document: its id when it is a safe file name and free, else a hash of its path. */
export function documentPageNames(facts: readonly DocumentFacts[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const d of facts) {
    let name = d.id !== null && SAFE_NAME.test(d.id) && !used.has(d.id.toLowerCase()) ? d.id : `doc-${createHash("sha256").update(d.file).digest("hex").slice(0, 16)}`;
    used.add(name.toLowerCase());
    out.set(d.file, `documents/${name}.html`);
  }
  return out;
}

/** The register page of a kind: its folder's name (`licences.html`) unless the site uses that name. */
export function registerPageName(def: KindDef): string {
  const base = def.folder.replace(/[^A-Za-z0-9._-]+/g, "-");
  return SAFE_NAME.test(base) && !RESERVED.has(base.toLowerCase()) ? `${base}.html` : `register-${def.kind}.html`;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);
const shortHash = (h: string | null) => (h ? h.slice(0, 12) : "no commit");
const cls = (prefix: string, v: string | null | undefined) => (v ? ` class="${prefix}-${esc(v.replace(/[^a-z0-9-]/gi, ""))}"` : "");

/**
 * Builds the auditors' site from a loaded workspace (SPEC §4). Stands on the engine's public
 * API only: documents and facts, findings, the reports the CLI prints, `ws.text`,
 * `ws.sourceFiles()`, `ws.history`.
 */
export async function buildSite(ws: Workspace, options: SiteOptions): Promise<SiteResult> {
  const root = ws.root;
  const config = ws.config;
  const registry = kinds();
  const governed = [...new Set([...registry.names().map((k) => config.paths[k]).filter((p): p is string => typeof p === "string"), "kinds"])];
  const writer = new SiteWriter(options.out, root, governed, options.shownOut);
  if (options.pdf) checkChromium(options.pdf.chromium); // before anything is written
  writer.prepare(options.shownOut);
  const now = options.now ?? new Date();
  const built = now.toISOString();
  const facts = ws.allFacts();
  const threads = options.threads ?? defaultRenderThreads(facts.length);
  // Bodies render on worker threads and, beside them, the search index builds on a thread of its own.
  const search = searchBuilder(threads > 0);
  // And the pages are encoded, hashed and written on a thread of their own too.
  if (threads > 0) writer.useThread();
  try {
    const result = await writeSite(ws, writer, { ...options, threads }, built, registry.defs, facts, search);
    return result;
  } catch (e) {
    await writer.rollback();
    throw e;
  } finally {
    await search.close();
    await writer.close();
  }
}

async function writeSite(ws: Workspace, w: SiteWriter, options: SiteOptions & { threads: number }, built: string, defs: readonly KindDef[], facts: readonly DocumentFacts[], search: SearchBuilder): Promise<SiteResult> {
  const root = ws.root;
  const pages = documentPageNames(facts);
  const byFile = new Map(facts.map((d) => [d.file, d]));
  const byId = new Map<string, DocumentFacts>();
  for (const d of facts) if (d.id !== null && !byId.has(d.id)) byId.set(d.id, d);
  const defOf = new Map(defs.map((d) => [d.kind, d]));
  const head = ws.git?.head ?? null;
  // The site's own folder inside the repository is not a source of itself.
  const outRel = relative(root, options.out).split(sep).join("/");
  const outInRoot = outRel !== "" && !outRel.startsWith("..") && !posix.isAbsolute(outRel);
  const dirty = ws.git ? gitDirty(root, outInRoot ? outRel : null) : null;
  const commitText = head ? `${shortHash(head)}${dirty ? " (uncommitted changes)" : ""}` : "not a git commit";
  const sources = ws.sourceFiles().filter((s) => !(outInRoot && (s.file === outRel || s.file.startsWith(outRel + "/"))));
  const sourceSet = new Set(sources.filter((s) => s.sha256 !== null).map((s) => s.file));

  // Findings by file; references both ways.
  const findings = ws.findings();
  const findingsByFile = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = findingsByFile.get(f.file);
    if (!l) findingsByFile.set(f.file, (l = []));
    l.push(f);
  }
  const referencedBy = new Map<string, Set<string>>();
  const addRef = (from: string, toFile: string) => {
    if (from === toFile) return;
    let s = referencedBy.get(toFile);
    if (!s) referencedBy.set(toFile, (s = new Set()));
    s.add(from);
  };
  const refValues = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  for (const d of facts) {
    const def = defOf.get(d.kind);
    for (const r of def?.references ?? []) for (const id of refValues(d.values[r.field])) {
      const t = byId.get(id);
      if (t) addRef(d.file, t.file);
    }
    for (const l of d.links) {
      const target = resolveRel(d.file, l.url);
      if (target && byFile.has(target.path)) addRef(d.file, target.path);
    }
  }

  const copied = new Set<string>();
  const nav = navFor(defs);
  const docLink = (d: DocumentFacts, up: string) => `<a href="${up}${esc(pages.get(d.file)!)}">${esc(d.id ?? d.file)}</a>`;

  // Assets.
  w.write("assets/site.css", CSS);
  w.write("assets/icon.svg", ICON);
  w.write("assets/search.js", SEARCH_JS);
  w.write("assets/minisearch.js", miniSearchScript());

  // Document pages: bodies render on worker threads (body.ts), in order, while this thread builds the pages around them.
  const bodyJob = (i: number): BodyJob | null => {
    const d = facts[i]!;
    if (d.format !== "markdown") return null;
    const src = ws.text(d.file);
    if (src === undefined) return null;
    return { file: d.file, body: bodyText(src, d.bodyLine), slugs: ws.headings(d.file).map((h) => h.slug) };
  };
  let at = 0;
  for await (const rendered of renderInOrder({ pages, sources: sourceSet }, facts.length, bodyJob, options.threads)) {
    const d = facts[at++]!;
    const pageRel = pages.get(d.file)!;
    const def = defOf.get(d.kind);
    for (const f of rendered?.copied ?? []) copied.add(f);
    const bodyHtml = rendered?.html ?? "";
    const words = rendered ? rendered.words : d.format === "markdown" ? "" : distinctWords(flatText(d.values));
    const title = d.title ?? str(d.values[def?.titleField ?? "title"]) ?? d.id ?? d.file;
    const version = str(d.values.version);
    const approvedBy = str(d.values.approved_by);
    const approvedOn = str(d.values.approved_on);
    const approval = approvedBy || approvedOn ? `approved by ${esc(approvedBy ?? "(nobody recorded)")} on ${esc(approvedOn ?? "(no date)")}` : "not approved";
    const printHeader = `<strong>${esc(d.id ?? d.file)}</strong> · ${esc(title)} · version ${esc(version ?? "(none)")} · ${approval} · status ${esc(str(d.values.status) ?? "(none)")} · commit ${esc(commitText)} · printed from the site built ${esc(built.slice(0, 10))}`;

    const metaRows: string[][] = [["kind", `<a href="../${esc(def ? registerPageName(def) : "registers.html")}">${esc(d.kind)}</a>`], ["file", `<code>${esc(d.file)}</code>`]];
    const refFields = new Map((def?.references ?? []).map((r) => [r.field, r]));
    for (const [key, value] of Object.entries(d.values)) {
      metaRows.push([esc(key), refFields.has(key) ? refCell(value, byId, (t) => docLink(t, "../")) : valueHtml(value)]);
    }
    const back = [...(referencedBy.get(d.file) ?? [])].sort().map((f) => byFile.get(f)!).map((s) => `<li>${docLink(s, "../")} ${esc(s.title ?? "")} <span class="badge">${esc(s.kind)}</span></li>`);
    const own = (findingsByFile.get(d.file) ?? []).map((f) => [`<span class="sev-${esc(f.severity)}">${esc(f.severity)}</span>`, `<code>${esc(f.code)}</code>`, `${f.line}:${f.column}`, esc(f.message)]);
    const commits = ws.history(d.file).map((c) => [esc(c.date), esc(c.author) + (options.emails ? ` &lt;${esc(c.email)}&gt;` : ""), esc(c.subject), `<code>${esc(c.hash.slice(0, 12))}</code>`]);
    const body = [
      `<h1><span class="badge">${esc(d.id ?? "no id")}</span> ${esc(title)}</h1>`,
      `<table class="meta"><tbody>${metaRows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("\n")}</tbody></table>`,
      `<h2>Referenced by</h2>`,
      back.length ? `<ul class="referenced-by">${back.join("")}</ul>` : `<p class="empty">No document references it.</p>`,
      d.format === "markdown" ? `<h2>Document</h2>\n<div class="body">\n${bodyHtml}\n</div>` : "",
      `<h2>Findings</h2>`,
      table(["severity", "code", "line:col", "message"], own, "findings"),
      `<h2>History</h2>`,
      ws.git ? table(["date", "author", "message", "commit"], commits, "history") : `<p class="empty">Not built from a git repository: no history.</p>`,
    ].join("\n");
    w.write(pageRel, page({ title: `${d.id ?? d.file} ${title}`, up: "../", body, nav, printHeader }));
    search.addWords({ ref: pageRel, id: d.id ?? d.file, title, kind: d.kind, url: pageRel, text: words });
    if (w.backlog) await w.drain();
  }

  // The index files are made on their thread while this one writes the registers and reports.
  const searchFiles = search.files();
  searchFiles.catch(() => undefined); // awaited below: a failure meanwhile is not an unhandled rejection
  // The feed `policyops calendar` prints (renewals, reviews, tests, action dues, warranties, budget
  // year ends), written by that thread too once its index files are made.
  const calendarText = search.calendar(calendarJcal("Governance calendar (PolicyOps)", governanceEvents(ws), { today: ws.today, now: new Date(built) }));
  calendarText.catch(() => undefined); // awaited below, likewise

  // Files linked from documents (agreements, images): copied from the repository, inside it only.
  for (const f of [...copied].sort()) w.write(`files/${f}`, readFileSync(join(root, f)));

  // Registers.
  const registerLinks: string[][] = [];
  for (const def of defs) {
    const rows = registerReport(ws, def.kind);
    const extra = registerFields(def);
    const name = registerPageName(def);
    registerLinks.push([`<a href="${esc(name)}">${esc(def.kind)}</a>`, esc(def.folder), String(rows.length), def.builtin ? "built in" : `repository (<code>${esc(def.source)}</code>)`]);
    const cells = rows.map((r) => {
      const doc = byFile.get(r.file);
      return [doc ? docLink(doc, "") : esc(r.id), esc(r.title), `<span${cls("st", r.status)}>${esc(r.status)}</span>`, esc(r.owner), ...extra.map((f) => esc(r.fields[f])), `<code>${esc(r.file)}</code>${r.valid ? "" : ' <span class="sev-error">invalid</span>'}`];
    });
    const body = `<h1>Register: ${esc(def.kind)}</h1>\n<p class="muted">${rows.length} document${rows.length === 1 ? "" : "s"} in <code>${esc(ws.config.paths[def.kind] ?? def.folder)}/</code>. Data: <a href="data/list-${esc(def.kind)}.json">list-${esc(def.kind)}.json</a>.</p>\n${table(["id", def.titleField, "status", "owner", ...extra, "file"], cells, "register")}`;
    w.write(name, page({ title: `Register: ${def.kind}`, up: "", body, nav }));
    w.write(`data/list-${def.kind}.json`, safeJson(rows) + "\n");
  }
  w.write("registers.html", page({ title: "Registers", up: "", nav, body: `<h1>Registers</h1>\n${table(["kind", "folder", "documents", "declared"], registerLinks)}` }));

  // Reports: the CLI's JSON, the same functions it calls.
  const validation = resultOf(ws);
  const licences = licenceReport(ws, {});
  const contracts = contractReport(ws, {});
  const reviews = reviewReport(ws, {});
  const detail = complianceDetail(ws, {});
  w.write("data/validate.json", formatJson(validation));
  w.write("data/licences.json", safeJson(licences) + "\n");
  w.write("data/contracts.json", safeJson(contracts) + "\n");
  w.write("data/reviews.json", safeJson(reviews) + "\n");
  w.write("data/compliance.json", safeJson(complianceJson(detail)) + "\n");

  const linkId = (id: string, up = "") => {
    const d = byId.get(id);
    return d ? docLink(d, up) : esc(id);
  };

  // Reviews.
  const reviewRows = reviews.map((r) => [linkId(r.id), esc(r.title), esc(r.kind), esc(r.owner), esc(r.status), esc(r.last_reviewed), esc(r.next_review), r.days_until === null ? "" : String(r.days_until), `<span${cls("st", r.state)}>${esc(r.state)}</span>`]);
  w.write("reviews.html", page({ title: "Reviews", up: "", nav, body: `<h1>Review schedule</h1>\n<p class="muted">As of ${esc(ws.today)}. Data: <a href="data/reviews.json">reviews.json</a>; calendar: <a href="calendar.ics">calendar.ics</a>.</p>\n${table(["id", "title", "kind", "owner", "status", "last reviewed", "next review", "days", "state"], reviewRows, "reviews")}` }));

  // Actions: what `policyops actions` lists (open actions and findings of the kinds with the
  // `actions` trait, post-implementation reviews due), overdue first then by due date.
  const actions = actionReport(ws);
  w.write("data/actions.json", safeJson(actions) + "\n");
  const actionKindNames = kinds().select({ trait: "actions" });
  const actionCells = actions.map((r) => {
    const d = byId.get(r.document.id);
    const what = r.source === "finding" ? `${r.item ? `${esc(r.item)}: ` : ""}${esc(r.description)}${r.severity ? ` <span class="muted">(${esc(r.severity)})</span>` : ""}` : esc(r.description);
    return [d ? docLink(d, "") : esc(r.document.id), esc(r.document.kind), esc(r.source), what, esc(r.owner), `<span${r.overdue ? ' class="st-overdue"' : ""}>${esc(r.due)}</span>`, esc(r.status), r.invalid ? '<span class="st-invalid">invalid</span>' : ""];
  });
  const actionsIntro = `Every open item of the <code>actions</code> and <code>findings</code> lists of ${actionKindNames.length ? actionKindNames.map((k) => `<code>${esc(k)}</code>`).join(", ") : "no kind (none declares the <code>actions</code> trait)"}, and every post-implementation review due: overdue first, then by due date; as of ${esc(ws.today)}. Data: <a href="data/actions.json">actions.json</a> (the output of <code>policyops actions --format json</code>).`;
  w.write("actions.html", page({ title: "Actions", up: "", nav, body: `<h1>Actions</h1>\n<p class="muted">${actionsIntro}</p>\n${table(["document", "kind", "source", "item", "owner", "due", "status", ""], actionCells, "actions")}` }));

  // Compliance.
  w.write("compliance.html", page({ title: "Compliance", up: "", nav, body: complianceHtml(detail, byId, (d) => docLink(d, "")) }));

  // Dashboard.
  w.write("index.html", page({ title: "PolicyOps: governance documents", up: "", nav, body: dashboardHtml(ws, facts, findings, detail, licences, contracts, reviews, defs, { head, dirty, built, linkId }) }));

  // Search.
  w.write("search.html", page({ title: "Search", up: "", nav, scripts: ["assets/minisearch.js", "assets/search.js", "search/base.js"], body: `<h1>Search</h1>\n<p><input id="search-input" type="search" autocomplete="off" placeholder="Search every document: ids, titles, text" aria-label="Search every document"></p>\n<p id="search-status" class="muted" aria-live="polite"></p>\n<ul id="search-results"></ul>` }));
  w.write("calendar.ics", await calendarText);
  for (const [rel, text] of await searchFiles) w.write(rel, text);

  await w.flush(); // every page on disk before it is printed or listed
  if (options.pdf) {
    const pdfs = await printPdfs(options.pdf.chromium, options.out, [...pages.values()]);
    for (const [rel, bytes] of [...pdfs].sort(([a], [b]) => (a < b ? -1 : 1))) w.write(rel, bytes);
  }

  const manifest: SiteManifest = {
    generator: GENERATOR,
    version: 1,
    tool: { name: "policyops", version: options.toolVersion },
    built,
    today: ws.today,
    commit: head,
    dirty,
    sources,
    pages: w.written(),
  };
  w.write(MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  await w.flush();
  return { documents: facts.length, pages: manifest.pages.length + 1, documentPages: pages, manifest };
}

function navFor(_defs: readonly KindDef[]): { href: string; label: string }[] {
  return [
    { href: "index.html", label: "Dashboard" },
    { href: "registers.html", label: "Registers" },
    { href: "compliance.html", label: "Compliance" },
    { href: "reviews.html", label: "Reviews" },
    { href: "actions.html", label: "Actions" },
    { href: "search.html", label: "Search" },
  ];
}

function valueHtml(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.length === 0 ? `<span class="muted">none</span>` : `<ul>${v.map((x) => `<li>${valueHtml(x)}</li>`).join("")}</ul>`;
  if (typeof v === "object") return `<table class="nested"><tbody>${Object.entries(v as Record<string, unknown>).map(([k, x]) => `<tr><th>${esc(k)}</th><td>${valueHtml(x)}</td></tr>`).join("")}</tbody></table>`;
  return esc(v);
}

function refCell(v: unknown, byId: Map<string, DocumentFacts>, link: (d: DocumentFacts) => string): string {
  const one = (x: unknown) => {
    const d = typeof x === "string" ? byId.get(x) : undefined;
    return d ? link(d) : esc(x);
  };
  return Array.isArray(v) ? v.map(one).join(", ") : one(v);
}

function flatText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(flatText).join(" ");
  if (typeof v === "object") return Object.values(v as Record<string, unknown>).map(flatText).join(" ");
  return String(v);
}

const EMPTY_CELL = "<td></td>";

function complianceHtml(detail: FrameworkDetail[], byId: Map<string, DocumentFacts>, link: (d: DocumentFacts) => string): string {
  const parts = [`<h1>Compliance</h1>\n<p class="muted">Data: <a href="data/compliance.json">compliance.json</a>. A control is covered by an active policy or SOP within its review cycle; stale if only overdue ones map to it; draft if only drafts do.</p>`];
  if (detail.length === 0) parts.push(`<p class="empty">No framework is selected (\`frameworks\` in policyops.yaml).</p>`);
  for (const fw of detail) {
    parts.push(`<h2 id="fw-${esc(fw.framework)}">${esc(fw.framework)} ${esc(fw.title)}${fw.version ? ` (${esc(fw.version)})` : ""}</h2>`);
    parts.push(`<p>Coverage <strong>${Math.round(fw.coverage * 1000) / 10}%</strong>: ${Object.entries(fw.counts).map(([s, n]) => `${esc(s)} ${n}`).join(", ")}.</p>`);
    // The matrix: controls down, the documents mapped to any of them across.
    const docs = [...new Map(fw.controls.flatMap((c) => c.documents).map((d) => [d.id, d])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    parts.push(`<h3>Control × document matrix</h3>`);
    if (docs.length === 0) parts.push(`<p class="empty">No document maps to this framework.</p>`);
    else {
      const header = `<tr><th>control</th><th>status</th>${docs.map((d) => `<th class="doc">${byId.has(d.id) ? link(byId.get(d.id)!) : esc(d.id)}</th>`).join("")}</tr>`;
      // A row is mostly empty cells (a 10k repository maps thousands of documents, each control a
      // few): the runs of empty cells between a row's hits are repeated, not built cell by cell.
      const column = new Map(docs.map((d, i) => [d.id, i]));
      const rows = fw.controls.map((c) => {
        const hits = [...new Map(c.documents.map((d) => [d.id, d])).values()].map((d) => [column.get(d.id)!, d] as const).sort((a, b) => a[0] - b[0]);
        let cells = "";
        let at = 0;
        for (const [i, m] of hits) {
          cells += `${EMPTY_CELL.repeat(i - at)}<td class="hit" title="${esc(`${c.id} × ${m.id}: ${m.status ?? ""}`)}">${m.invalid ? "invalid" : m.counts ? "●" : "○"}</td>`;
          at = i + 1;
        }
        return `<tr><th scope="row">${esc(c.id)}</th><td${cls("st", c.status)}>${esc(c.status)}</td>${cells}${EMPTY_CELL.repeat(docs.length - at)}</tr>`;
      });
      parts.push(`<table class="matrix" data-framework="${esc(fw.framework)}"><thead>${header}</thead><tbody>\n${rows.join("\n")}\n</tbody></table>\n<p class="muted">● decides coverage (policy, SOP) · ○ supporting evidence (manual).</p>`);
    }
    parts.push(`<h3>Statement of applicability</h3>`);
    // Open audit findings against each control (audit records' findings[].controls).
    const findingsCell = (c: FrameworkDetail["controls"][number]) => c.findings.map((f) => `${byId.has(f.audit) ? link(byId.get(f.audit)!) : esc(f.audit)} ${esc(f.id)}${f.severity ? ` (${esc(f.severity)})` : ""}`).join(", ");
    parts.push(table(["control", "title", "status", "documents", "open audit findings", "justification"], fw.controls.map((c) => [esc(c.id), esc(c.title), `<span${cls("st", c.status)}>${esc(c.status)}</span>`, c.documents.map((d) => (byId.has(d.id) ? link(byId.get(d.id)!) : esc(d.id))).join(", "), findingsCell(c), c.status === "not-applicable" ? esc(c.reason ?? "") : ""]), "soa"));
  }
  return parts.join("\n");
}

function dashboardHtml(
  ws: Workspace,
  facts: readonly DocumentFacts[],
  findings: readonly Finding[],
  detail: FrameworkDetail[],
  licences: ReturnType<typeof licenceReport>,
  contracts: ReturnType<typeof contractReport>,
  reviews: ReturnType<typeof reviewReport>,
  defs: readonly KindDef[],
  x: { head: string | null; dirty: boolean | null; built: string; linkId: (id: string) => string },
): string {
  const sev = { error: 0, warning: 0, info: 0 } as Record<string, number>;
  for (const f of findings) sev[f.severity] = (sev[f.severity] ?? 0) + 1;
  const statuses = new Map<string, Map<string, number>>();
  const allStatus = new Set<string>();
  for (const d of facts) {
    const s = str(d.values.status) ?? "(none)";
    allStatus.add(s);
    let m = statuses.get(d.kind);
    if (!m) statuses.set(d.kind, (m = new Map()));
    m.set(s, (m.get(s) ?? 0) + 1);
  }
  const statusCols = [...allStatus].sort();
  const kindRows = defs.filter((d) => statuses.has(d.kind)).map((def) => {
    const m = statuses.get(def.kind)!;
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    return [`<a href="${esc(registerPageName(def))}">${esc(def.kind)}</a>`, String(total), ...statusCols.map((s) => String(m.get(s) ?? ""))];
  });
  // Licences and contracts alike: whatever ends within 90 days, soonest first, each with its record's kind.
  const kindOfFile = (file: string): string => ws.facts(file)?.kind ?? "";
  const renewals = [
    ...licences.map((l) => ({ id: l.id, name: l.product, end: l.expiry_date, days_left: l.days_left, status: l.status, record: kindOfFile(l.file) })),
    ...contracts.map((c) => ({ id: c.id, name: c.title, end: c.end_date, days_left: c.days_left, status: c.status, record: kindOfFile(c.file) })),
  ]
    .filter((r) => r.days_left !== null && r.days_left >= 0 && r.days_left <= 90)
    .sort((a, b) => (a.days_left ?? 0) - (b.days_left ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const overdue = reviews.filter((r) => r.state === "overdue" || r.state === "never");
  const commit = x.head ? `<code>${esc(x.head)}</code>${x.dirty ? " with uncommitted changes" : ""}` : "not a git repository";
  const parts = [
    `<h1>Governance documents</h1>`,
    `<p class="built">Built from commit ${commit} on ${esc(x.built.slice(0, 10))} (${esc(x.built)}); dates evaluated as of ${esc(ws.today)}. <a href="manifest.json">manifest.json</a> lists the sha256 of every source file: <code>policyops verify-site</code> re-checks it.</p>`,
    `<div class="cards"><div class="card"><strong>${facts.length}</strong> documents</div><div class="card"><strong class="sev-error">${sev.error}</strong> errors</div><div class="card"><strong class="sev-warning">${sev.warning}</strong> warnings</div><div class="card"><strong>${sev.info}</strong> infos</div></div>`,
    `<h2>Documents by kind and status</h2>`,
    table(["kind", "total", ...statusCols], kindRows, "by-kind"),
    `<h2>Findings by severity</h2>`,
    table(["severity", "findings"], ["error", "warning", "info"].map((s) => [`<span class="sev-${s}">${s}</span>`, String(sev[s] ?? 0)])),
    `<p class="muted">Every finding: <a href="data/validate.json">validate.json</a> (the output of <code>policyops validate --format json</code>).</p>`,
    `<h2>Coverage per framework</h2>`,
    table(["framework", "coverage", "covered", "stale", "draft", "missing", "not applicable"], detail.map((fw) => [`<a href="compliance.html#fw-${esc(fw.framework)}">${esc(fw.framework)}</a>`, `${Math.round(fw.coverage * 1000) / 10}%`, String(fw.counts.covered ?? 0), String(fw.counts.stale ?? 0), String(fw.counts.draft ?? 0), String(fw.counts.missing ?? 0), String(fw.counts["not-applicable"] ?? 0)]), "coverage"),
    `<h2>Renewals in the next 90 days</h2>`,
    table(["id", "name", "ends", "days left", "status", "record"], renewals.map((r) => [x.linkId(r.id), esc(r.name), esc(r.end), String(r.days_left), `<span${cls("st", r.status)}>${esc(r.status)}</span>`, r.record]), "renewals"),
    `<h2>Overdue reviews</h2>`,
    table(["id", "title", "owner", "next review", "state"], overdue.map((r) => [x.linkId(r.id), esc(r.title), esc(r.owner), esc(r.next_review), `<span${cls("st", r.state)}>${esc(r.state)}</span>`]), "overdue"),
  ];
  return parts.join("\n");
}
