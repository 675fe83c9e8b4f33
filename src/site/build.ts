import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import {
  complianceDetail,
  complianceJson,
  kinds,
  contractReport,
  invalidNote,
  invalidRecords,
  isUnlistable,
  licenceReport,
  registerFields,
  registerReport,
  resultOf,
  actionReport,
  budgetReport,
  reviewReport,
  reviewedKinds,
  type DocumentFacts,
  type KindDef,
  type Workspace,
} from "../engine/index.js";
import { formatJson } from "../cli/format/json.js";
import { calendarJcal } from "../cli/format/ics.js";
import { calendarEvents, governanceEvents } from "../cli/format/governance-calendar.js";
import { safeJson } from "../cli/format/neutralise.js";
import { CSS, ICON, SEARCH_JS } from "./assets.js";
import { cls, esc, page, table } from "./html.js";
import { defaultRenderThreads } from "./render-pool.js";
import { GENERATOR, MANIFEST, SiteWriter } from "./out-dir.js";
import { miniSearchScript } from "./search.js";
import { searchBuilder, type SearchBuilder } from "./search-thread.js";
import { documentPageNames, registerPageName } from "./page-names.js";
import { writeDocumentPages } from "./document-page.js";
import { complianceHtml } from "./compliance-page.js";
import { dashboardHtml } from "./dashboard-page.js";
import { checkChromium, printPdfs } from "./pdf.js";

export { resolveRel } from "./body.js";
export { documentPageNames, registerPageName } from "./page-names.js";

export interface SiteOptions {
  /** Absolute output folder. */
  out: string;
  /** As the user wrote it, for messages. */
  shownOut: string;
  toolVersion: string;
  /** Show authors' e-mail addresses in document histories (default: names only). */
  emails?: boolean;
  /**
   * Where the site lives, when that is not `out`: a folder of the repository holding it is not
   * a source of itself. `verify-site --rebuild` builds into a temporary folder a site that
   * lives at the folder being verified.
   */
  siteFolder?: string;
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
  /** Whether histories show authors' e-mail addresses (`--emails`): a rebuild must know to be identical. */
  emails: boolean;
  /** Where the site was built inside the repository, if it was (left out of `sources`). */
  sources: { file: string; sha256: string | null; size: number }[];
  pages: { file: string; sha256: string; size: number }[];
}

/** Whether the repository's working tree differs from HEAD (null outside git); the site's own folder inside it does not count. */
function gitDirty(root: string, outRel: string | null): boolean | null {
  try {
    return execFileSync("git", ["status", "--porcelain", "--untracked-files=normal", "--", ".", ...(outRel ? [`:(exclude,literal)${outRel}`] : [])], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 }).length > 0;
  } catch {
    return null;
  }
}

const shortHash = (h: string | null) => (h ? h.slice(0, 12) : "no commit");

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
  const outRel = relative(root, options.siteFolder ?? options.out).split(sep).join("/");
  const outInRoot = outRel !== "" && !outRel.startsWith("..") && !posix.isAbsolute(outRel);
  const dirty = ws.git ? gitDirty(root, outInRoot ? outRel : null) : null;
  const commitText = head ? `${shortHash(head)}${dirty ? " (uncommitted changes)" : ""}` : "not a git commit";
  const sources = ws.sourceFiles().filter((s) => !(outInRoot && (s.file === outRel || s.file.startsWith(outRel + "/"))));
  const sourceSet = new Set(sources.filter((s) => s.sha256 !== null).map((s) => s.file));

  const nav = navFor(defs);
  const docLink = (d: DocumentFacts, up: string) => `<a href="${up}${esc(pages.get(d.file)!)}">${esc(d.id ?? d.file)}</a>`;
  const findings = ws.findings();
  // The records that do not validate, as every report decides it (SPEC §2: never shown as valid);
  // by kind for the registers, and all of them for the document pages and the dashboard.
  const invalid = invalidRecords(ws, defs.map((d) => d.kind)).files;
  const invalidOfKind = new Map<string, DocumentFacts[]>();
  for (const d of facts) {
    if (!invalid.has(d.file)) continue;
    const list = invalidOfKind.get(d.kind);
    if (list) list.push(d);
    else invalidOfKind.set(d.kind, [d]);
  }

  // Assets.
  w.write("assets/site.css", CSS);
  w.write("assets/icon.svg", ICON);
  w.write("assets/search.js", SEARCH_JS);
  w.write("assets/minisearch.js", miniSearchScript());

  const copied = await writeDocumentPages({ ws, facts, findings, invalid, pages, byFile, byId, defOf, nav, commitText, built, emails: options.emails === true, sources: sourceSet, threads: options.threads }, w, search);

  // The index files are made on their thread while this one writes the registers and reports.
  const searchFiles = search.files();
  searchFiles.catch(() => undefined); // awaited below: a failure meanwhile is not an unhandled rejection
  // The feed `policyops calendar` prints (renewals, reviews, tests, action dues, warranties, budget
  // year ends), written by that thread too once its index files are made.
  const events = governanceEvents(ws);
  const calendarText = search.calendar(calendarJcal("Governance calendar (PolicyOps)", events, { today: ws.today, now: new Date(built) }));
  calendarText.catch(() => undefined); // awaited below, likewise

  // Files linked from documents (agreements, images): copied from the repository, inside it only.
  for (const f of [...copied].sort()) w.write(`files/${f}`, readFileSync(join(root, f)));

  // Registers.
  const registerLinks: string[][] = [];
  for (const def of defs) {
    const rows = registerReport(ws, def.kind);
    const extra = registerFields(def);
    const name = registerPageName(def);
    const bad = invalidOfKind.get(def.kind) ?? [];
    // Records no register can list (no parse, no id) still count, and are named in the note.
    const listed = new Set(rows.map((r) => r.file));
    const unlisted = bad.filter((d) => !listed.has(d.file));
    const total = rows.length + unlisted.length;
    registerLinks.push([`<a href="${esc(name)}">${esc(def.kind)}</a>`, esc(def.folder), String(total), bad.length ? `<span class="st-invalid">${bad.length}</span>` : "", def.builtin ? "built in" : `repository (<code>${esc(def.source)}</code>)`]);
    const cells = rows.map((r) => {
      const doc = byFile.get(r.file);
      return [doc ? docLink(doc, "") : esc(r.id), esc(r.title), `<span${cls("st", r.status)}>${esc(r.status)}</span>`, esc(r.owner), ...extra.map((f) => esc(r.fields[f])), `<code>${esc(r.file)}</code>${r.valid ? "" : ' <span class="sev-error">invalid</span>'}`];
    });
    const count = `${total} document${total === 1 ? "" : "s"} in <code>${esc(ws.config.paths[def.kind] ?? def.folder)}/</code>${unlisted.length ? `, ${rows.length} listed below` : ""}`;
    const body = `<h1>Register: ${esc(def.kind)}</h1>\n<p class="muted">${count}. Data: <a href="data/list-${esc(def.kind)}.json">list-${esc(def.kind)}.json</a>.</p>\n${registerInvalidNote(bad.length, unlisted, def.kind, (d) => `<a href="${esc(pages.get(d.file)!)}">${esc(d.file)}</a>`)}${table(["id", def.titleField, "status", "owner", ...extra, "file"], cells, "register")}`;
    w.write(name, page({ title: `Register: ${def.kind}`, up: "", body, nav }));
    w.write(`data/list-${def.kind}.json`, safeJson(rows) + "\n");
  }

  // Reports: the CLI's JSON, the same functions it calls.
  const validation = resultOf(ws);
  const licences = licenceReport(ws, {});
  const contracts = contractReport(ws, {});
  const reviews = reviewReport(ws, {});
  const detail = complianceDetail(ws, {});
  // data/<command>.json is what `policyops <command> --format json` prints; registers.html lists them.
  const dataCommands: string[] = [];
  const writeData = (command: string, json: string) => {
    w.write(`data/${command}.json`, json);
    dataCommands.push(command);
  };
  writeData("validate", formatJson(validation));
  writeData("licences", safeJson(licences) + "\n");
  writeData("contracts", safeJson(contracts) + "\n");
  writeData("reviews", safeJson(reviews) + "\n");
  writeData("compliance", safeJson(complianceJson(detail)) + "\n");
  writeData("budget", safeJson(budgetReport(ws, {})) + "\n");
  writeData("calendar", safeJson(calendarEvents(events, ws.today)) + "\n");

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
  writeData("actions", safeJson(actions) + "\n");
  const actionKindNames = kinds().select({ trait: "actions" });
  const actionCells = actions.map((r) => {
    const d = byId.get(r.document.id);
    const what = r.source === "finding" ? `${r.item ? `${esc(r.item)}: ` : ""}${esc(r.description)}${r.severity ? ` <span class="muted">(${esc(r.severity)})</span>` : ""}` : esc(r.description);
    return [d ? docLink(d, "") : esc(r.document.id), esc(r.document.kind), esc(r.source), what, esc(r.owner), `<span${r.overdue ? ' class="st-overdue"' : ""}>${esc(r.due)}</span>`, esc(r.status), r.invalid ? '<span class="st-invalid">invalid</span>' : ""];
  });
  const actionsIntro = `Every open item of the <code>actions</code> and <code>findings</code> lists of ${actionKindNames.length ? actionKindNames.map((k) => `<code>${esc(k)}</code>`).join(", ") : "no kind (none declares the <code>actions</code> trait)"}, and every post-implementation review due: overdue first, then by due date; as of ${esc(ws.today)}. Data: <a href="data/actions.json">actions.json</a> (the output of <code>policyops actions --format json</code>).`;
  w.write("actions.html", page({ title: "Actions", up: "", nav, body: `<h1>Actions</h1>\n<p class="muted">${actionsIntro}</p>\n${table(["document", "kind", "source", "item", "owner", "due", "status", ""], actionCells, "actions")}` }));

  // The registers' index, with every data file (written above).
  const dataList = `<h2>Data</h2>\n<p class="muted">Each file is the output of <code>policyops &lt;command&gt; --format json</code> on the same commit; <code>list-&lt;kind&gt;.json</code> beside each register.</p>\n<ul class="data-files">${dataCommands.map((c) => `<li><a href="data/${c}.json">${c}.json</a> <span class="muted">policyops ${c}</span></li>`).join("")}</ul>`;
  w.write("registers.html", page({ title: "Registers", up: "", nav, body: `<h1>Registers</h1>\n${table(["kind", "folder", "documents", "invalid", "declared"], registerLinks)}\n${dataList}` }));

  // Compliance.
  w.write("compliance.html", page({ title: "Compliance", up: "", nav, body: complianceHtml(detail, byId, (d) => docLink(d, "")) }));

  // Dashboard.
  w.write("index.html", page({ title: "PolicyOps: governance documents", up: "", nav, body: dashboardHtml(ws, facts, findings, detail, licences, contracts, reviews, defs, { head, dirty, built, linkId, invalid, unlistedReviews: reviewedKinds().reduce((n, k) => n + (invalidOfKind.get(k) ?? []).filter(isUnlistable).length, 0) }) }));

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
    emails: options.emails === true,
    sources,
    pages: w.written(),
  };
  w.write(MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  await w.flush();
  return { documents: facts.length, pages: manifest.pages.length + 1, documentPages: pages, manifest };
}

/**
 * The note a register page shows when records of its kind do not validate: the line `policyops list`
 * prints, and the records no register can list (they do not parse or have no id), linked to their
 * pages, since the table cannot show them. Empty when every record validates.
 */
function registerInvalidNote(invalid: number, unlisted: readonly DocumentFacts[], kind: string, link: (d: DocumentFacts) => string): string {
  if (invalid === 0) return "";
  const note = esc(invalidNote(invalid, kind)).replace(/`([^`]*)`/g, "<code>$1</code>");
  const n = unlisted.length;
  const which = n === invalid ? (n === 1 ? "It is" : "They are") : `${n} of them ${n === 1 ? "is" : "are"}`;
  const missing = n ? ` ${which} not in the table below: ${n === 1 ? "it does" : "they do"} not parse or ${n === 1 ? "has" : "have"} no id (${unlisted.map(link).join(", ")}).` : "";
  return `<p class="invalid-note sev-error">${note}${missing} ${invalid === 1 ? "Its" : "Their"} findings: <a href="data/validate.json">validate.json</a>.</p>\n`;
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

