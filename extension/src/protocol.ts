// The custom messages between this client and `policyops lsp --stdio`
// (README, "The language server"). The shapes are the CLI's JSON (SPEC §3).

export interface Summary {
  documents: number;
  errors: number;
  warnings: number;
  infos: number;
  overdueReviews: number;
  renewalsDue: number;
  today: string;
}

export interface KindInfo {
  kind: string;
  folder: string;
  markdown: boolean;
  builtIn: boolean;
  count: number;
}

// The report rows are the engine's own types (type-only: nothing of the engine is bundled; the
// engine is ESM, this client CommonJS, hence the resolution mode).
export type { ContractRow, LicenceRow, Money, ReviewRow } from "../../src/engine/index.js" with { "resolution-mode": "import" };

export interface ComplianceControl {
  id: string;
  title: string;
  status: string;
  documents: string[];
}

export interface ComplianceFramework {
  framework: string;
  coverage: number;
  controls: ComplianceControl[];
}

export interface ValidateDocument {
  id: string;
  kind: string;
  file: string;
  title: string | null;
}

export interface ValidateFinding {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  file: string;
  line?: number;
  column?: number;
  docId?: string;
}

export interface ValidateReport {
  version: number;
  today: string;
  summary: { documents: number; errors: number; warnings: number; infos: number };
  documents: ValidateDocument[];
  findings: ValidateFinding[];
}

export interface RegisterRow {
  id: string;
  kind: string;
  title: string | null;
  status: string | null;
  owner: string | null;
  file: string;
  valid: boolean;
}

export const REQUESTS = {
  report: "policyops/report",
  kinds: "policyops/kinds",
  list: "policyops/list",
  calendar: "policyops/calendar",
  newDocument: "policyops/newDocument",
} as const;
export const SUMMARY_NOTIFICATION = "policyops/summary";
/** The server's executeCommand (the client's own command is `policyops.markReviewedToday`). */
export const MARK_REVIEWED_COMMAND = "policyops.markReviewed";
