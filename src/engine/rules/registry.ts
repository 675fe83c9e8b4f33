import type { LoaderCode, Rule } from "./rule.js";
import kindMismatch from "./kind/mismatch/rule.js";
import idDuplicate from "./id/duplicate/rule.js";
import refUnknown from "./ref/unknown/rule.js";
import refKind from "./ref/kind/rule.js";
import refRetired from "./ref/retired/rule.js";
import controlUnknown from "./control/unknown/rule.js";
import approvalMissing from "./approval/missing/rule.js";
import dateOrder from "./date/order/rule.js";
import reviewOverdue from "./review/overdue/rule.js";
import reviewDueSoon from "./review/due-soon/rule.js";
import licenceExpired from "./licence/expired/rule.js";
import licenceRenewalDue from "./licence/renewal-due/rule.js";
import licenceExpiring from "./licence/expiring/rule.js";
import licenceOverAllocated from "./licence/over-allocated/rule.js";
import sectionsMissing from "./sections/missing/rule.js";
import linkBroken from "./link/broken/rule.js";
import fileMissing from "./file/missing/rule.js";
import approvalStale from "./approval/stale/rule.js";
import licenceCancelBy from "./licence/cancel-by/rule.js";
import licenceRenewed from "./licence/renewed/rule.js";
import contractExpired from "./contract/expired/rule.js";
import contractRenewalDue from "./contract/renewal-due/rule.js";
import contractCancelBy from "./contract/cancel-by/rule.js";
import contractExpiring from "./contract/expiring/rule.js";
import contractRenewed from "./contract/renewed/rule.js";
import slaGap from "./sla/gap/rule.js";
import changeUnapproved from "./change/unapproved/rule.js";
import changeReviewOverdue from "./change/review-overdue/rule.js";
import manualOutdated from "./manual/outdated/rule.js";
import continuityTestOverdue from "./continuity/test-overdue/rule.js";
import continuityRtoMissed from "./continuity/rto-missed/rule.js";
import incidentReviewOverdue from "./incident/review-overdue/rule.js";
import actionOverdue from "./action/overdue/rule.js";
import auditOpenFindings from "./audit/open-findings/rule.js";
import riskAboveAppetite from "./risk/above-appetite/rule.js";
import riskAcceptanceExpired from "./risk/acceptance-expired/rule.js";
import trainingBehind from "./training/behind/rule.js";
import assetDisposalEvidence from "./asset/disposal-evidence/rule.js";
import assetDisposalMethod from "./asset/disposal-method/rule.js";
import assetWarrantyExpiring from "./asset/warranty-expiring/rule.js";
import assetSerialCount from "./asset/serial-count/rule.js";
import budgetOverspend from "./budget/overspend/rule.js";
import budgetCurrency from "./budget/currency/rule.js";
import budgetLines from "./budget/lines/rule.js";

/** The project's repository: rule docs and SARIF's `informationUri` point into it. */
export const REPOSITORY_URL = "https://github.com/policyops/policyops";
/** Where rule folders live in that repository (at `main`); a rule's docs are `<base><code>/README.md`. */
export const RULE_DOCS_BASE_URL = `${REPOSITORY_URL}/blob/main/src/engine/rules/`;

/** The docs URL of a rule code: its README in the repository (markdownlint's registry stamps its URLs the same way). */
export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE_URL}${code}/README.md`;
}

/** Stamps `meta.docs.url` on a rule (in place: the module's default export is the registered rule). */
function stamped(rule: Rule): Rule {
  rule.meta.docs = { url: ruleDocsUrl(rule.meta.code) };
  return rule;
}

/** Every rule, in the order SPEC §2 lists them, each with `meta.docs.url` stamped. */
export const RULES: readonly Rule[] = [
  kindMismatch, idDuplicate, refUnknown, refKind, refRetired, controlUnknown, approvalMissing, dateOrder,
  reviewOverdue, reviewDueSoon, licenceExpired, licenceRenewalDue, licenceExpiring, licenceOverAllocated,
  sectionsMissing, linkBroken, fileMissing, approvalStale, licenceCancelBy, licenceRenewed,
  contractExpired, contractRenewalDue, contractCancelBy, contractExpiring, contractRenewed, slaGap,
  changeUnapproved, changeReviewOverdue, manualOutdated, continuityTestOverdue, continuityRtoMissed,
  incidentReviewOverdue,
  actionOverdue, auditOpenFindings, riskAboveAppetite, riskAcceptanceExpired, trainingBehind,
  assetDisposalEvidence, assetDisposalMethod, assetWarrantyExpiring, assetSerialCount,
  budgetOverspend, budgetCurrency, budgetLines,
].map(stamped);

/** Codes the loader emits while reading files (not rule modules). */
export const LOADER_CODES: readonly LoaderCode[] = [
  { code: "parse/yaml", severity: "error", description: "Require YAML (records and front matter) to parse." },
  { code: "parse/front-matter", severity: "error", description: "Require governed Markdown to start with closed `---` YAML front matter." },
  { code: "parse/encoding", severity: "error", description: "Require governed files to be UTF-8 text (not binary, no invalid bytes)." },
  { code: "file/unreadable", severity: "error", description: "Require governed files to be readable: no broken or looping symlinks, none leading out of the repository, readable permissions." },
  { code: "file/too-large", severity: "error", description: "Disallow governed files larger than 5 MB." },
  { code: "folder/ungoverned", severity: "info", description: "Require each top-level folder holding Markdown or YAML files to be governed by a kind, referenced by a path field, or listed under `ignore:`." },
  { code: "schema/*", severity: "error", description: "Require each document to match its kind's JSON Schema (`schema/required`, `schema/enum`, `schema/additional-properties`…)." },
];

export function ruleCodes(): string[] {
  return [...LOADER_CODES.map((c) => c.code), ...RULES.map((r) => r.meta.code)];
}

/** True if `code` names a rule or loader code (`schema/<keyword>` for any keyword). */
export function isKnownCode(code: string): boolean {
  if (code.endsWith("/*")) return ruleCodes().some((c) => c.startsWith(code.slice(0, -1)));
  return code.startsWith("schema/") ? /^schema\/[a-z-]+$/.test(code) : ruleCodes().includes(code);
}
