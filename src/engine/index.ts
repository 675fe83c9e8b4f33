/**
 * PolicyOps engine: the library API every front end (CLI, language server, site) uses.
 * It never prints, never exits, and reads files only through a Host.
 */
export { load, resolveToday, checkAborted, type LoadOptions } from "./load/load.js";
export { parallelParser, defaultWorkers, type ParseStats } from "./load/parse-parallel.js";
export { ParseCache, defaultCacheFile } from "./load/cache.js";
export { PathRefused, readBounded } from "./host/safe-path.js";
export { validate, resultOf, summarise } from "./validate.js";
export { Workspace, compareFindings, applyRuleSettings, type FindingsDelta, type SourceFile } from "./repo/workspace.js";
export { pointerAtText, tolerantRanges, yamlRegion, offsetOf, type PointerAt, type Position, type OffsetRange } from "./facts/pointer.js";
export { YamlEditor } from "./facts/fixes.js";
export { schemaAt, schemaInfo, type SchemaInfo } from "./facts/schema-at.js";
export { overlayHost, emptyHost, type OverlayHost } from "./io/overlay-host.js";
export { parseFile, type FileResult } from "./load/parse-file.js";
export { discover, kindOf, type Governed } from "./load/discover.js";
export { loadConfig } from "./config/load-config.js";
export { defaultConfig, type Config } from "./config/config.js";
export { nodeHost, isSymlinkVia, type Host } from "./host/host.js";
export { UsageError, ConfigError } from "./errors.js";
export { RULES, LOADER_CODES, ruleCodes, isKnownCode, ruleDocsUrl, RULE_DOCS_BASE_URL, REPOSITORY_URL } from "./rules/registry.js";
export type { Rule, RuleMeta, RuleContext, RuleDocs, Report as RuleReport, WholeLine, RepoView } from "./rules/rule.js";
export { controlsFromOscal, type CatalogControl, type OscalCatalog } from "./frameworks/oscal.js";
export { BUILTIN_CATALOGUES, type Catalogue } from "./frameworks/builtin.js";
export { addMonths, parseDay, formatDay, isFourDigitYear, dayFromCivil, civilFromDay, type Day } from "./dates.js";
export { renewal, renewalStatus, DEFAULT_RENEWAL_TERM_MONTHS, type Renewal, type RenewalTerms, type RenewalState, type RenewalStatus } from "./domain/renewal.js";
export { invalidRecords, invalidNote, type InvalidRecords } from "./report/values.js";
export * from "./types.js";
export { BUILTIN_KINDS, KindRegistry, kinds, kindDef, useKinds, applies, TRAITS, type KindDef, type Trait, type AppliesTo, type ReferenceField, type DatePair } from "./model/kinds.js";
export { loadKinds, KINDS_FOLDER } from "./model/repo-kinds.js";
export { draft, type DraftOptions } from "./model/draft.js";
import { BUILTIN_KINDS as BUILTIN } from "./model/kinds.js";
/** The built-in kinds' names, from their schemas. */
export const KINDS: readonly string[] = BUILTIN.names();
export { compareWithRef, type ChangedSince } from "./changed.js";
export { readGitFacts, type Commit, type GitFacts } from "./git/history.js";
export { licenceReport, licenceKinds, LICENCE_FIELDS, licenceStatus, inAnnualTotals, annualCost, oneOffCost, oneOffCosts, vendorNames, LICENCE_STATUSES, type LicenceRow, type LicenceStatus, type LicenceReportOptions, type Money } from "./report/licences.js";
export { renewalPlans, reminderDays, type RenewalPlan, type Reminder, type NoticeAction } from "./report/renewals.js";
export { reviewReport, isReviewOverdue, reviewedKinds, REVIEW_STATES, type ReviewRow, type ReviewState, type ReviewReportOptions } from "./report/reviews.js";
export { decidesCoverage } from "./report/compliance.js";
export { registerReport, registerKind, registerFields, type RegisterRow } from "./report/register.js";
export { complianceReport, complianceJson, complianceDetail, unknownFrameworks, controlStatus, coverageOf, CONTROL_STATUSES, type ComplianceFramework, type ComplianceControl, type ComplianceOptions, type FrameworkDetail, type ControlDetail, type MappedDocument, type ControlStatus } from "./report/compliance.js";
