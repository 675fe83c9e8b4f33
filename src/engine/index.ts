/**
 * PolicyOps engine: the library API every front end (CLI, language server, site) uses.
 * It never prints, never exits, and reads files only through a Host.
 */
export { load, resolveToday, type LoadOptions } from "./open.js";
export { checkAborted } from "./model/abort.js";
export { parallelParser, defaultWorkers, type ParseStats } from "./facts/parse-parallel.js";
export { ParseCache, defaultCacheFile } from "./io/run-cache.js";
export { StatHelper, type StatMany } from "./io/stat-helper.js";
export { PathRefused, readBounded } from "./io/safe-path.js";
export { validate, resultOf, summarise } from "./validate.js";
export { Workspace, compareFindings, applyRuleSettings, type FindingsDelta, type SourceFile } from "./workspace/workspace.js";
export { pointerAtText, tolerantRanges, yamlRegion, offsetOf, type PointerAt, type Position, type OffsetRange } from "./facts/pointer.js";
export { YamlEditor } from "./facts/fixes.js";
export { schemaAt, schemaInfo, type SchemaInfo } from "./facts/schema-at.js";
export { overlayHost, emptyHost, type OverlayHost } from "./io/overlay-host.js";
export { parseFile, type FileResult } from "./facts/parse-file.js";
export { discover, kindOf, type Governed } from "./facts/discover.js";
export { loadConfig } from "./config/load-config.js";
export { defaultConfig, type Config } from "./config/config.js";
export { isSymlinkVia, type Host } from "./io/host.js";
export { nodeHost } from "./io/node-host.js";
export { readOnceHost } from "./io/read-once-host.js";
export { UsageError, ConfigError } from "./model/errors.js";
export { RULES, LOADER_CODES, ruleCodes, isKnownCode, ruleDocsUrl, RULE_DOCS_BASE_URL, REPOSITORY_URL } from "./rules/registry.js";
export type { Rule, RuleMeta, RuleContext, RuleDocs, Report as RuleReport, WholeLine, RepoView } from "./rules/rule.js";
export { controlsFromOscal, type CatalogControl, type OscalCatalog } from "./domain/frameworks/oscal.js";
export { BUILTIN_CATALOGUES, type Catalogue } from "./domain/frameworks/builtin.js";
export { addMonths, parseDay, formatDay, isFourDigitYear, dayFromCivil, civilFromDay, type Day } from "./model/dates.js";
export { renewal, renewalStatus, DEFAULT_RENEWAL_TERM_MONTHS, type Renewal, type RenewalTerms, type RenewalState, type RenewalStatus } from "./domain/renewal.js";
export { invalidRecords, invalidNote, isInvalidityCode, isUnlistable, recordNoun, type InvalidRecords } from "./reports/values.js";
export * from "./model/types.js";
export { BUILTIN_KINDS, KindRegistry, kinds, kindDef, fieldValue, fieldLabel, isCatalogue, withKinds, useKinds, applies, TRAITS, type KindDef, type Trait, type AppliesTo, type ReferenceField, type DatePair } from "./model/kinds.js";
export { loadKinds, KINDS_FOLDER } from "./facts/repo-kinds.js";
export { draft, type DraftOptions } from "./domain/draft.js";
import { BUILTIN_KINDS as BUILTIN } from "./model/kinds.js";
/** The built-in kinds' names, from their schemas. */
export const KINDS: readonly string[] = BUILTIN.names();
export { compareWithRef, type ChangedSince } from "./changed.js";
export { readGitFacts, type Commit, type GitFacts } from "./io/git-history.js";
export { licenceReport, licenceKinds, LICENCE_FIELDS, licenceStatus, inAnnualTotals, annualCost, oneOffCost, oneOffCosts, vendorNames, LICENCE_STATUSES, type LicenceRow, type LicenceStatus, type LicenceReportOptions, type Money } from "./reports/licences.js";
export { contractReport, contractRow, contractKinds, contractInAnnualTotals, CONTRACT_FIELDS, CONTRACT_STATUSES, type ContractRow, type ContractStatus, type ContractSla } from "./reports/contracts.js";
export { budgetReport, budgetKinds, budgetYearEnds, type BudgetReport, type BudgetRow, type BudgetLineRow, type BudgetTotals, type BudgetCommitment, type UnallocatedCost, type UnallocatedReason, type BudgetYearEnd } from "./reports/budget.js";
export { BUDGET_FIELDS, costKinds, formatCents } from "./domain/budget.js";
export { renewalPlans, reminderDays, type RenewalPlan, type Reminder, type NoticeAction } from "./reports/renewals.js";
export { reviewReport, isReviewOverdue, reviewedKinds, REVIEW_STATES, type ReviewRow, type ReviewState, type ReviewReportOptions } from "./reports/reviews.js";
export { decidesCoverage } from "./reports/compliance.js";
export { actionReport, actionInvalidCount, scheduledTests, actionKinds, reviewDueKinds, nextDueKinds, compareActionRows, ACTION_SOURCES, type ActionRow, type ActionSource, type ScheduledTest } from "./reports/actions.js";
export { warrantyReport, warrantyKinds, WARRANTY_FIELDS, type WarrantyRow } from "./reports/assets.js";
export { registerReport, registerKind, registerFields, type RegisterRow } from "./reports/register.js";
export { complianceReport, complianceJson, complianceDetail, unknownFrameworks, controlStatus, coverageOf, CONTROL_STATUSES, type ComplianceFramework, type ComplianceControl, type OpenFindingRef, type ComplianceOptions, type FrameworkDetail, type ControlDetail, type MappedDocument, type ControlStatus } from "./reports/compliance.js";
