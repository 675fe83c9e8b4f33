// The custom messages between this client and `policyops lsp --stdio`
// (/work/notes/lsp-protocol.md). The shapes are the CLI's JSON (SPEC §3).

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

export interface Money {
  amount: number;
  currency: string;
}

export interface LicenceRow {
  id: string;
  product: string;
  vendor: string | null;
  type: string | null;
  expiry_date: string | null;
  days_left: number | null;
  status: string;
  seats: number | null;
  assigned: number | null;
  over_allocated: boolean;
  annual_cost: Money | null;
  one_off_cost: Money | null;
  file: string;
}

/** One row of `policyops contracts --format json` (the licences' shape with `vendor`, `end_date`, `renewal`). */
export interface ContractRow {
  id: string;
  title: string;
  vendor: string | null;
  type: string | null;
  end_date: string | null;
  days_left: number | null;
  status: string;
  renewal: "none" | "auto" | "manual";
  deadline: string | null;
  days_to_deadline: number | null;
  notice_days: number | null;
  annual_cost: Money | null;
  one_off_cost: Money | null;
  file: string;
}

export interface ReviewRow {
  id: string;
  kind: string;
  title: string | null;
  file: string;
  owner: string | null;
  status: string | null;
  last_reviewed: string | null;
  next_review: string | null;
  days_until: number | null;
  state: string;
}

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
