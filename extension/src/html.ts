// Pure HTML for the dashboard webview: no vscode import, so it is tested in vitest.
// Every value that comes from a document is escaped; nothing is loaded from the network.
import type { ComplianceFramework, ContractRow, LicenceRow, ReviewRow, Summary, ValidateReport } from "./protocol.js";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
/** Text and attribute values: the five HTML specials plus the backtick. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

export interface DashboardData {
  summary: Summary | null;
  compliance: ComplianceFramework[];
  licences: LicenceRow[];
  /** Supplier contracts (`policyops contracts --format json`); absent or empty when the repository keeps none. */
  contracts?: ContractRow[];
  reviews: ReviewRow[];
  validate: ValidateReport | null;
}

export interface DashboardPage {
  /** A fresh random value per render. */
  nonce: string;
  /** webview.cspSource */
  cspSource: string;
  styleUri: string;
  scriptUri: string;
}

/** The Content-Security-Policy of the dashboard: nothing but the extension's own style and nonce'd script. */
export function dashboardCsp(page: Pick<DashboardPage, "nonce" | "cspSource">): string {
  return [`default-src 'none'`, `style-src ${page.cspSource}`, `img-src ${page.cspSource}`, `font-src ${page.cspSource}`, `script-src 'nonce-${page.nonce}'`, `base-uri 'none'`, `form-action 'none'`].join("; ");
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
const days = (n: number | null) => (n === null ? "no end date" : n < 0 ? `${-n} days ago` : n === 0 ? "today" : `${n} days left`);
/** A link the page script turns into "open this file" (data-file), never a navigation. */
const fileLink = (file: string, text: string) => `<a href="#" class="doc" data-file="${escapeHtml(file)}">${escapeHtml(text)}</a>`;

function coverageSection(compliance: ComplianceFramework[]): string {
  if (compliance.length === 0) return `<p class="empty">No framework is configured.</p>`;
  const rows = compliance.map((f) => {
    const counts = new Map<string, number>();
    for (const c of f.controls) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const detail = [...counts].map(([s, n]) => `${n} ${escapeHtml(s)}`).join(", ");
    return `<tr><th scope="row">${escapeHtml(f.framework)}</th><td><meter min="0" max="1" low="0.5" high="0.8" optimum="1" value="${f.coverage}"></meter> ${pct(f.coverage)}</td><td>${detail}</td></tr>`;
  });
  return `<table><thead><tr><th>Framework</th><th>Coverage</th><th>Controls</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

/** A licence or a contract on the renewals timeline: what the bars and the list need of either. */
interface Renewal {
  id: string;
  name: string;
  record: "licence" | "contract";
  status: string;
  days_left: number | null;
  end: string | null;
  file: string;
}

const renewalsOf = (licences: readonly LicenceRow[], contracts: readonly ContractRow[]): Renewal[] => [
  ...licences.map((l): Renewal => ({ id: l.id, name: l.product, record: "licence", status: l.status, days_left: l.days_left, end: l.expiry_date, file: l.file })),
  ...contracts.map((c): Renewal => ({ id: c.id, name: c.title, record: "contract", status: c.status, days_left: c.days_left, end: c.end_date, file: c.file })),
];

/** Licences and contracts with an end date, soonest first, drawn as bars on one SVG axis (attributes, not inline styles: the CSP forbids those). */
function renewalsSection(licences: LicenceRow[], contracts: ContractRow[] = []): string {
  const dated = renewalsOf(licences, contracts).filter((l) => l.days_left !== null).sort((a, b) => (a.days_left ?? 0) - (b.days_left ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (dated.length === 0) return `<p class="empty">No licence or contract has an end date.</p>`;
  const max = Math.max(30, ...dated.map((l) => Math.abs(l.days_left ?? 0)));
  const rowH = 22;
  const width = 640;
  const zero = 230;
  const label = 150; // room right of a bar for "NNN days left"
  const scale = (width - zero - label) / max;
  const short = (s: string) => (s.length > 32 ? `${s.slice(0, 31)}…` : s);
  const bars = dated.map((l, i) => {
    const d = l.days_left ?? 0;
    const w = Math.max(2, Math.abs(d) * scale);
    const x = d < 0 ? zero - Math.min(zero - 10, w) : zero;
    const y = i * rowH;
    const barW = d < 0 ? Math.min(w, zero - 10) : w;
    return `<g class="status-${escapeHtml(l.status)}"><title>${escapeHtml(`${l.name} (${l.record} ${l.id}): ${l.status}, ${days(l.days_left)}, ends ${l.end ?? "never"}`)}</title><text x="0" y="${y + 15}">${escapeHtml(short(l.name))}</text><rect x="${x.toFixed(1)}" y="${y + 4}" width="${barW.toFixed(1)}" height="14"></rect><text class="days" x="${(d < 0 ? zero + 4 : zero + barW + 4).toFixed(1)}" y="${y + 15}">${escapeHtml(days(l.days_left))}</text></g>`;
  });
  const list = dated.map((l) => `<li>${fileLink(l.file, l.name)} <span class="muted">${l.record}</span> <span class="status-${escapeHtml(l.status)}">${escapeHtml(l.status)}</span> ${escapeHtml(days(l.days_left))}</li>`);
  return `<svg class="timeline" role="img" aria-label="Renewals timeline" viewBox="0 0 ${width} ${dated.length * rowH}" width="${width}" height="${dated.length * rowH}"><line x1="${zero}" y1="0" x2="${zero}" y2="${dated.length * rowH}"></line>${bars.join("")}</svg><ul class="renewals">${list.join("")}</ul>`;
}

function reviewsSection(reviews: ReviewRow[]): string {
  const overdue = reviews.filter((r) => r.state === "overdue" || r.state === "never");
  if (overdue.length === 0) return `<p class="empty">No review is overdue.</p>`;
  const rows = overdue.map(
    (r) => `<tr><td>${fileLink(r.file, r.id)}</td><td class="title">${escapeHtml(r.title ?? "")}</td><td>${escapeHtml(r.owner ?? "")}</td><td>${escapeHtml(r.state === "never" ? "never reviewed" : `${-(r.days_until ?? 0)} days overdue`)}</td></tr>`,
  );
  return `<table><thead><tr><th>Id</th><th>Title</th><th>Owner</th><th>Overdue</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function findingsSection(v: ValidateReport | null): string {
  if (!v) return `<p class="empty">Not validated yet.</p>`;
  const byCode = new Map<string, { severity: string; n: number }>();
  for (const f of v.findings) {
    const e = byCode.get(f.code) ?? { severity: f.severity, n: 0 };
    e.n++;
    byCode.set(f.code, e);
  }
  const codes = [...byCode].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const s = v.summary;
  return `<ul class="severities"><li class="sev-error"><strong>${s.errors}</strong> errors</li><li class="sev-warning"><strong>${s.warnings}</strong> warnings</li><li class="sev-info"><strong>${s.infos}</strong> infos</li></ul>${
    codes.length ? `<table><thead><tr><th>Rule</th><th>Severity</th><th>Findings</th></tr></thead><tbody>${codes.map(([c, e]) => `<tr><td><code>${escapeHtml(c)}</code></td><td>${escapeHtml(e.severity)}</td><td>${e.n}</td></tr>`).join("")}</tbody></table>` : ""
  }`;
}

/** The whole dashboard document. */
export function dashboardHtml(data: DashboardData, page: DashboardPage): string {
  const today = data.summary?.today ?? data.validate?.today ?? "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(dashboardCsp(page))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>PolicyOps dashboard</title>
</head>
<body>
<header><h1>PolicyOps dashboard</h1><p class="today">As of ${escapeHtml(today)}</p></header>
<section id="coverage"><h2>Coverage per framework</h2>${coverageSection(data.compliance)}</section>
<section id="renewals"><h2>Renewals timeline</h2>${renewalsSection(data.licences, data.contracts ?? [])}</section>
<section id="reviews"><h2>Overdue reviews</h2>${reviewsSection(data.reviews)}</section>
<section id="findings"><h2>Findings by severity</h2>${findingsSection(data.validate)}</section>
<script nonce="${escapeHtml(page.nonce)}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}
