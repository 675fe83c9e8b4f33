import type { Config } from "../config/config.js";
import type { Day } from "../dates.js";
import type { DocumentFacts, Heading, Range, RelatedLocation, Severity } from "../types.js";
import type { AppliesTo } from "../model/kinds.js";
import type { Commit } from "../git/history.js";

/**
 * The read-only view of the whole repository a rule may consult. Every lookup is
 * recorded, so an incremental workspace knows which documents to re-check when the
 * answer to that lookup changes.
 */
export interface RepoView {
  /** Every document declaring `id`, in path order (the first one is the definition). */
  declarations(id: string): readonly DocumentFacts[];
  /** The controls of a framework (built-in or in the repo), or undefined if unknown. */
  framework(id: string): ReadonlySet<string> | undefined;
  /** True if a repo-relative file or folder exists (false for one that leaves the repository). */
  exists(path: string): boolean;
  /** True if a repo-relative path's real path (through symlinks) leaves the repository; it is then never read. */
  leaves(path: string): boolean;
  /** True if a repo-relative path is a folder. */
  isFolder(path: string): boolean;
  /** A document's headings (computed on first use when a bulk load skipped its body). */
  headings(doc: DocumentFacts): readonly Heading[];
  /** The span of a value or key of a document (`/id`, `/status#key`), computed on first use. */
  rangeOf(doc: DocumentFacts, pointer: string): Range | undefined;
  /** GitHub anchors of a Markdown file in the repo (governed or not), undefined if it is not Markdown or absent. */
  anchors(path: string): ReadonlySet<string> | undefined;
  /** Commits that touched a file (under its current path), newest first; undefined outside git or in a shallow clone (rules then stay silent). */
  history(file: string): readonly Commit[] | undefined;
  /** How `commit` changed `file` (its current path): its `version`, and anything beyond review bookkeeping. */
  changeIn(commit: string, file: string): { version: boolean; content: boolean };
}

export interface Report {
  /** Key of `meta.messages`; its `{placeholders}` are filled from `data`. */
  messageId: string;
  data?: Record<string, string | number>;
  /** A JSON pointer of the document's values (`/expiry_date`, `/controls/2`) or an explicit range. */
  at: string | Range;
  related?: RelatedLocation[];
}

export interface RuleContext {
  readonly doc: DocumentFacts;
  readonly repo: RepoView;
  readonly config: Config;
  /** Today as a Day (SPEC: `--today`, `POLICYOPS_TODAY`, or the real date). */
  readonly today: Day;
  report(r: Report): void;
}

export interface RuleMeta {
  /** Stable code, e.g. `review/overdue`: the rule's folder and its id in every output. */
  code: string;
  severity: Severity;
  /** Imperative, one line: what the rule requires. */
  description: string;
  /**
   * Kinds the rule looks at, by what they are, never by name: a trait of their schema
   * (`{ trait: "reviewed" }`), fields their schema declares (`{ fields: ["expiry_date"] }`)
   * or a predicate over the kind's definition. Omitted means all.
   */
  appliesTo?: AppliesTo;
  /** Message templates by id, one sentence: what is wrong, then what to do. */
  messages: Record<string, string>;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Codes emitted by the loader rather than a rule module; listed for docs, SARIF and config. */
export interface LoaderCode {
  code: string;
  severity: Severity;
  description: string;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** `{name}` → data.name; a missing placeholder is a bug in the rule, so it throws. */
export function interpolate(template: string, data: Record<string, string | number> = {}, code = "?"): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in data)) throw new Error(`rule ${code}: message placeholder {${name}} has no value`);
    return String(data[name]);
  });
}
