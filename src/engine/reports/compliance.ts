import { UsageError } from "../model/errors.js";
import type { Catalogue } from "../domain/frameworks/builtin.js";
import type { Workspace } from "../workspace/workspace.js";
import type { DocumentFacts, Kind } from "../model/types.js";
import { kindDef, kinds } from "../model/kinds.js";
import { isReviewOverdue } from "./reviews.js";
import { byString, invalidRecords, reportable, round, str, withWorkspaceKinds } from "./values.js";
import { openItems } from "../domain/actions.js";
import { formatDay } from "../model/dates.js";

export const CONTROL_STATUSES = ["covered", "stale", "draft", "missing", "not-applicable"] as const;
export type ControlStatus = (typeof CONTROL_STATUSES)[number];

/** SPEC §3 `compliance --format json`, exactly. */
export interface ComplianceControl {
  id: string;
  title: string;
  status: ControlStatus;
  documents: string[];
  /** Open audit findings against the control (additive to SPEC §3; present only when there are some). */
  findings?: OpenFindingRef[];
}

/** An open audit finding against a control: the audit's id, the finding's id, severity and status. */
export interface OpenFindingRef {
  audit: string;
  id: string;
  severity: string | null;
  status: string;
  due: string | null;
  file: string;
}
export interface ComplianceFramework {
  framework: string;
  coverage: number;
  controls: ComplianceControl[];
}

/** A document that maps to a control, as the human outputs show it. */
export interface MappedDocument {
  id: string;
  kind: Kind;
  title: string | null;
  file: string;
  status: string | null;
  /** Active but past its review date (`review/overdue`). */
  overdue: boolean;
  /** Its front matter does not validate (parse or schema findings): it covers nothing (SPEC §2). */
  invalid: boolean;
  /** Valid policies and SOPs decide a control's status; a manual is supporting evidence only (SPEC §3). */
  counts: boolean;
}

/** The richer model behind the table, CSV and Statement of Applicability. */
export interface ControlDetail extends Omit<ComplianceControl, "documents" | "findings"> {
  /** Open audit findings against the control (empty when none). */
  findings: OpenFindingRef[];
  documents: MappedDocument[];
  /** The `not_applicable` justification from the config. */
  reason?: string;
}
export interface FrameworkDetail {
  framework: string;
  title: string;
  version?: string;
  coverage: number;
  counts: Record<ControlStatus, number>;
  controls: ControlDetail[];
}

export interface ComplianceOptions {
  /** One framework id (any known catalogue); default: `frameworks` from the config. */
  framework?: string;
}

/** Kinds that map documents to controls: those with the `controls` trait. */
const mappingKinds = (): string[] => kinds().select({ trait: "controls" });
/** Whether a kind's documents decide a control's status (policies, SOPs) or only support it (manuals). */
export const decidesCoverage = (kind: string): boolean => kindDef(kind)?.coverage !== "supporting";

/** `FRAMEWORK:CONTROL` → [framework, control], split at the first `:` (SPEC §1). */
export function splitControlRef(ref: string): [string, string] | null {
  const colon = ref.indexOf(":");
  if (colon <= 0 || colon === ref.length - 1) return null;
  return [ref.slice(0, colon), ref.slice(colon + 1)];
}

/**
 * One control's status from the documents that map to it:
 * covered by an active, not review-overdue policy or SOP; stale when its only active
 * ones are overdue; draft when only drafts or documents in review map to it; missing
 * otherwise. A `not_applicable` entry wins over all of these.
 */
export function controlStatus(docs: readonly MappedDocument[], notApplicable: boolean): ControlStatus {
  if (notApplicable) return "not-applicable";
  const deciding = docs.filter((d) => d.counts);
  if (deciding.some((d) => d.status === "active" && !d.overdue)) return "covered";
  if (deciding.some((d) => d.status === "active")) return "stale";
  if (deciding.some((d) => d.status === "draft" || d.status === "review")) return "draft";
  return "missing";
}

/** covered ÷ (all − not-applicable), 4 decimals; 0 when no control applies (nothing is demonstrated). */
export function coverageOf(counts: Record<ControlStatus, number>, total: number): number {
  const applicable = total - counts["not-applicable"];
  return applicable > 0 ? round(counts.covered / applicable, 4) : 0;
}

/** The frameworks to report, each a known catalogue; an unknown id is a usage error naming the known ones. */
function selectCatalogues(ws: Workspace, options: ComplianceOptions): Catalogue[] {
  const known = new Map(ws.catalogues().map((c) => [c.id, c]));
  const list = (ids: Iterable<string>) => [...ids].map((id) => `\`${id}\``).join(", ");
  if (options.framework !== undefined) {
    const c = known.get(options.framework);
    if (!c) throw new UsageError(`unknown framework \`${options.framework}\`; known frameworks: ${list(known.keys())}`);
    return [c];
  }
  // A configured framework no catalogue declares is a `control/unknown` finding on the
  // config (validate reports it); the report shows the known ones (see unknownFrameworks).
  return ws.config.frameworks.flatMap((id) => known.get(id) ?? []);
}

/** Frameworks listed under `frameworks` in the config that no catalogue declares (left out of the report). */
function unknownFrameworksIn(ws: Workspace, options: ComplianceOptions = {}): string[] {
  if (options.framework !== undefined) return [];
  const known = new Set(ws.catalogues().map((c) => c.id));
  return ws.config.frameworks.filter((id) => !known.has(id));
}

/** Framework → control → the documents (not retired) that list it in `controls`. */
function mappings(ws: Workspace): Map<string, Map<string, MappedDocument[]>> {
  const out = new Map<string, Map<string, MappedDocument[]>>();
  const mapping = mappingKinds();
  const invalid = invalidRecords(ws, mapping).files;
  // Deciding kinds first, then supporting ones; by kind name, then id.
  const rank = (kind: string) => (decidesCoverage(kind) ? 0 : 1);
  const docs = reportable(ws.allFacts(), mapping)
    .filter((d) => d.values.status !== "retired")
    .sort((a, b) => rank(a.kind) - rank(b.kind) || byString(a.kind, b.kind) || byString(a.id, b.id));
  for (const doc of docs) {
    const refs = Array.isArray(doc.values.controls) ? doc.values.controls : [];
    const mapped = mappedDocument(doc, ws, invalid.has(doc.file));
    for (const ref of new Set(refs)) {
      const parts = typeof ref === "string" ? splitControlRef(ref) : null;
      if (!parts) continue;
      let byControl = out.get(parts[0]);
      if (!byControl) out.set(parts[0], (byControl = new Map()));
      const list = byControl.get(parts[1]);
      if (list) list.push(mapped);
      else byControl.set(parts[1], [mapped]);
    }
  }
  return out;
}

function mappedDocument(doc: DocumentFacts & { id: string }, ws: Workspace, invalid: boolean): MappedDocument {
  return {
    id: doc.id,
    kind: doc.kind,
    title: doc.title ?? str(doc.values.title),
    file: doc.file,
    status: str(doc.values.status),
    overdue: isReviewOverdue(doc, ws.config, ws.todayDay),
    invalid,
    counts: decidesCoverage(doc.kind) && !invalid,
  };
}

/** Framework → control → the open findings (of kinds with the `actions` trait) that list it in their `controls`. */
function openFindings(ws: Workspace): Map<string, Map<string, OpenFindingRef[]>> {
  const out = new Map<string, Map<string, OpenFindingRef[]>>();
  const docs = reportable(ws.allFacts(), kinds().select({ trait: "actions" })).sort((a, b) => byString(a.id, b.id));
  for (const doc of docs) {
    for (const item of openItems(doc)) {
      if (item.list !== "findings") continue;
      const ref: OpenFindingRef = { audit: doc.id, id: item.itemId ?? `#${item.index + 1}`, severity: item.severity, status: item.status, due: item.due === null ? null : formatDay(item.due), file: doc.file };
      for (const control of new Set(item.controls)) {
        const parts = splitControlRef(control);
        if (!parts) continue;
        let byControl = out.get(parts[0]);
        if (!byControl) out.set(parts[0], (byControl = new Map()));
        const list = byControl.get(parts[1]);
        if (list) list.push(ref);
        else byControl.set(parts[1], [ref]);
      }
    }
  }
  return out;
}

/** Every control of each selected framework with its status, documents, open findings and not-applicable reason. */
function complianceDetailIn(ws: Workspace, options: ComplianceOptions = {}): FrameworkDetail[] {
  const catalogues = selectCatalogues(ws, options);
  const map = mappings(ws);
  const findings = openFindings(ws);
  const reasons = new Map(ws.config.not_applicable.map((n) => [n.control, n.reason]));
  return catalogues.map((cat) => {
    const counts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as Record<ControlStatus, number>;
    const controls = cat.controls.map((c): ControlDetail => {
      const title = typeof c.title === "string" ? c.title : c.id; // a repo catalogue may omit titles
      const documents = map.get(cat.id)?.get(c.id) ?? [];
      const reason = reasons.get(`${cat.id}:${c.id}`);
      const status = controlStatus(documents, reason !== undefined);
      counts[status]++;
      const open = findings.get(cat.id)?.get(c.id) ?? [];
      return reason === undefined ? { id: c.id, title, status, documents, findings: open } : { id: c.id, title, status, documents, findings: open, reason };
    });
    const detail: FrameworkDetail = { framework: cat.id, title: cat.title, coverage: coverageOf(counts, controls.length), counts, controls };
    if (cat.version !== undefined) detail.version = cat.version;
    return detail;
  });
}

/** SPEC §3's compliance report: per framework its coverage and every control's status and documents. */
function complianceReportIn(ws: Workspace, options: ComplianceOptions = {}): ComplianceFramework[] {
  return complianceJson(complianceDetail(ws, options));
}

/** The detail reduced to SPEC §3's JSON shape. */
export function complianceJson(detail: readonly FrameworkDetail[]): ComplianceFramework[] {
  return detail.map((f) => ({
    framework: f.framework,
    coverage: f.coverage,
    controls: f.controls.map((c) => {
      const control: ComplianceControl = { id: c.id, title: c.title, status: c.status, documents: c.documents.map((d) => d.id) };
      if (c.findings.length) control.findings = c.findings.map((x) => ({ ...x }));
      return control;
    }),
  }));
}

/** `unknownFrameworksIn`, run with the workspace's own kinds. */
export const unknownFrameworks = withWorkspaceKinds(unknownFrameworksIn);

/** `complianceDetailIn`, run with the workspace's own kinds. */
export const complianceDetail = withWorkspaceKinds(complianceDetailIn);

/** `complianceReportIn`, run with the workspace's own kinds. */
export const complianceReport = withWorkspaceKinds(complianceReportIn);
