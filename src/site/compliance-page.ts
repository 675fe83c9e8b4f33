import type { DocumentFacts, FrameworkDetail } from "../engine/index.js";
import { cls, esc, table } from "./html.js";

const EMPTY_CELL = "<td></td>";

/** compliance.html's body: per framework, coverage, the control × document matrix and the statement of applicability. */
export function complianceHtml(detail: FrameworkDetail[], byId: Map<string, DocumentFacts>, link: (d: DocumentFacts) => string): string {
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
    parts.push(table(["control", "title", "status", "documents", "open audit findings", "justification"], fw.controls.map((c) => [esc(c.id), esc(c.title), `<span${cls("st", c.status)}>${esc(c.status)}</span>`, c.documents.map((d) => `${byId.has(d.id) ? link(byId.get(d.id)!) : esc(d.id)}${d.invalid ? ' <span class="st-invalid">(invalid: covers nothing)</span>' : ""}`).join(", "), findingsCell(c), c.status === "not-applicable" ? esc(c.reason ?? "") : ""]), "soa"));
  }
  return parts.join("\n");
}
