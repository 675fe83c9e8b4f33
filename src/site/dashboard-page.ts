import type { contractReport, DocumentFacts, Finding, FrameworkDetail, KindDef, licenceReport, reviewReport, Workspace } from "../engine/index.js";
import { cls, esc, str, table } from "./html.js";
import { registerPageName } from "./page-names.js";

/** index.html's body: documents by kind and status, findings by severity, coverage, renewals within 90 days, overdue reviews, and the commit built from. */
export function dashboardHtml(
  ws: Workspace,
  facts: readonly DocumentFacts[],
  findings: readonly Finding[],
  detail: FrameworkDetail[],
  licences: ReturnType<typeof licenceReport>,
  contracts: ReturnType<typeof contractReport>,
  reviews: ReturnType<typeof reviewReport>,
  defs: readonly KindDef[],
  x: {
    head: string | null;
    dirty: boolean | null;
    built: string;
    linkId: (id: string) => string;
    /** Files of the documents that do not validate. */
    invalid: ReadonlySet<string>;
    /** Documents of the reviewed kinds that do not validate and no report can list (no parse, no id). */
    unlistedReviews: number;
  },
): string {
  const sev = { error: 0, warning: 0, info: 0 } as Record<string, number>;
  for (const f of findings) sev[f.severity] = (sev[f.severity] ?? 0) + 1;
  // A record that does not validate is counted as `invalid`, never under the status it claims
  // (SPEC §2): its status may be the very value that is wrong. Kept apart from the statuses, which
  // are the documents' own words (a kind may have a status called "invalid").
  const statuses = new Map<string, Map<string, number>>();
  const invalidByKind = new Map<string, number>();
  const allStatus = new Set<string>();
  for (const d of facts) {
    let m = statuses.get(d.kind);
    if (!m) statuses.set(d.kind, (m = new Map()));
    if (x.invalid.has(d.file)) {
      invalidByKind.set(d.kind, (invalidByKind.get(d.kind) ?? 0) + 1);
      continue;
    }
    const s = str(d.values.status) ?? "(none)";
    allStatus.add(s);
    m.set(s, (m.get(s) ?? 0) + 1);
  }
  const statusCols = [...allStatus].sort();
  const kindRows = defs.filter((d) => statuses.has(d.kind)).map((def) => {
    const m = statuses.get(def.kind)!;
    const bad = invalidByKind.get(def.kind) ?? 0;
    const total = [...m.values()].reduce((a, b) => a + b, bad);
    return [`<a href="${esc(registerPageName(def))}">${esc(def.kind)}</a>`, String(total), ...statusCols.map((s) => String(m.get(s) ?? "")), bad ? `<span class="st-invalid">${bad}</span>` : ""];
  });
  // Licences and contracts alike: whatever ends within 90 days, soonest first, each with its record's kind.
  const kindOfFile = (file: string): string => ws.facts(file)?.kind ?? "";
  const renewals = [
    ...licences.map((l) => ({ id: l.id, name: l.product, end: l.expiry_date, days_left: l.days_left, status: l.status, record: kindOfFile(l.file) })),
    ...contracts.map((c) => ({ id: c.id, name: c.title, end: c.end_date, days_left: c.days_left, status: c.status, record: kindOfFile(c.file) })),
  ]
    .filter((r) => r.days_left !== null && r.days_left >= 0 && r.days_left <= 90)
    .sort((a, b) => (a.days_left ?? 0) - (b.days_left ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Documents that do not validate are listed too, as `invalid`: their review dates cannot be
  // trusted, so any of them may be overdue, and an auditor needs to know which ones to check (a
  // count alone would not say). Those no report can list (no parse, no id) are counted below.
  const overdue = reviews.filter((r) => r.state === "overdue" || r.state === "never" || r.state === "invalid");
  const commit = x.head ? `<code>${esc(x.head)}</code>${x.dirty ? " with uncommitted changes" : ""}` : "not a git repository";
  const parts = [
    `<h1>Governance documents</h1>`,
    `<p class="built">Built from commit ${commit} on ${esc(x.built.slice(0, 10))} (${esc(x.built)}); dates evaluated as of ${esc(ws.today)}. <a href="manifest.json">manifest.json</a> lists the sha256 of every source file: <code>policyops verify-site</code> re-checks it.</p>`,
    `<div class="cards"><div class="card"><strong>${facts.length}</strong> documents</div><div class="card"><strong class="sev-error">${sev.error}</strong> errors</div><div class="card"><strong class="sev-warning">${sev.warning}</strong> warnings</div><div class="card"><strong>${sev.info}</strong> infos</div></div>`,
    `<h2>Documents by kind and status</h2>`,
    table(["kind", "total", ...statusCols, "invalid"], kindRows, "by-kind"),
    x.invalid.size ? `<p class="muted">${x.invalid.size} document${x.invalid.size === 1 ? " does" : "s do"} not validate: counted as <span class="st-invalid">invalid</span>, not under the status ${x.invalid.size === 1 ? "it claims" : "they claim"}. ${x.invalid.size === 1 ? "Its" : "Their"} findings: <a href="data/validate.json">validate.json</a>.</p>` : "",
    `<h2>Findings by severity</h2>`,
    table(["severity", "findings"], ["error", "warning", "info"].map((s) => [`<span class="sev-${s}">${s}</span>`, String(sev[s] ?? 0)])),
    `<p class="muted">Every finding: <a href="data/validate.json">validate.json</a> (the output of <code>policyops validate --format json</code>).</p>`,
    `<h2>Coverage per framework</h2>`,
    table(["framework", "coverage", "covered", "stale", "draft", "missing", "not applicable"], detail.map((fw) => [`<a href="compliance.html#fw-${esc(fw.framework)}">${esc(fw.framework)}</a>`, `${Math.round(fw.coverage * 1000) / 10}%`, String(fw.counts.covered ?? 0), String(fw.counts.stale ?? 0), String(fw.counts.draft ?? 0), String(fw.counts.missing ?? 0), String(fw.counts["not-applicable"] ?? 0)]), "coverage"),
    `<h2>Renewals in the next 90 days</h2>`,
    table(["id", "name", "ends", "days left", "status", "record"], renewals.map((r) => [x.linkId(r.id), esc(r.name), esc(r.end), String(r.days_left), `<span${cls("st", r.status)}>${esc(r.status)}</span>`, r.record]), "renewals"),
    `<h2>Overdue reviews</h2>`,
    table(["id", "title", "owner", "next review", "state"], overdue.map((r) => [x.linkId(r.id), esc(r.title), esc(r.owner), esc(r.next_review), `<span${cls("st", r.state)}>${esc(r.state)}</span>`]), "overdue"),
    unknownReviewsNote(overdue.some((r) => r.state === "invalid"), x.unlistedReviews),
  ];
  return parts.filter((p) => p !== "").join("\n");
}

/** Why some review states are unknown (documents listed as invalid, and those no report can list), or "" when none is. */
function unknownReviewsNote(listed: boolean, unlisted: number): string {
  const one = unlisted === 1;
  const text = [
    listed ? `Documents marked <span class="st-invalid">invalid</span> do not validate: their review state is unknown until they are fixed.` : "",
    unlisted ? `The review state of ${unlisted}${listed ? " more" : ""} document${one ? " is" : "s is"} unknown: ${one ? "it does" : "they do"} not parse or ${one ? "has" : "have"} no id, so ${one ? "it is" : "they are"} not listed; see <a href="data/validate.json">validate.json</a>.` : "",
  ].filter((t) => t !== "");
  return text.length ? `<p class="muted">${text.join(" ")}</p>` : "";
}
