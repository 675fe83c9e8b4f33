import type { Config } from "../config/config.js";
import type { Day } from "../model/dates.js";
import type { DocumentFacts, Heading, Range, RelatedLocation, Severity } from "../model/types.js";
import type { AppliesTo } from "../model/kinds.js";
import type { Commit } from "../io/git-history.js";

/**
 * The read-only view of the whole repository a rule may consult. Every lookup is
 * recorded, so an incremental workspace knows which documents to re-check when the
 * answer to that lookup changes.
 */
export interface RepoView {
  /**
   * Every document declaring `id`, in path order (the first one is the definition). What a
   * rule may read of them and still be re-checked when it changes: file, kind, status,
   * whether it parsed. A rule that reads other values asks `document`.
   */
  declarations(id: string): readonly DocumentFacts[];
  /** The document declaring `id` (the first declaration), for a rule that reads its values: any edit to it re-checks the rule's document. */
  document(id: string): DocumentFacts | undefined;
  /**
   * Every document of the kinds `to` selects (by trait or by fields, never by name), in path
   * order, for a rule that reads across documents (`manual/outdated` reads the changes): any
   * edit to, addition or removal of such a document re-checks the rule's document.
   */
  documents(to: AppliesTo): readonly DocumentFacts[];
  /** Ids declared by documents of a kind, in path order of their first declaration (for "did you mean"). */
  idsOf(kind: string): readonly string[];
  /** Documents with a reference field naming `id` (an item reference `ID/ITEM` names `ID`), in path order. */
  referrers(id: string): readonly DocumentFacts[];
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

export interface Report<M extends string = string> {
  /** Key of `meta.messages` (typed: an id the rule does not declare does not compile); its placeholders are filled from `data`. */
  messageId: M;
  data?: Record<string, string | number>;
  /**
   * A JSON pointer of the document's values (`/expiry_date`, `/controls/2`), an explicit
   * range (it must lie inside the file), or `{ line }`: that whole line, or the file's last
   * line when the file ends before it (a document that ends at its closing `---`).
   */
  at: string | Range | WholeLine;
  related?: RelatedLocation[];
  /** A severity other than `meta.severity` for this one report (`action/overdue`: an open major audit finding is an error); `rules:` in the config still overrides it. */
  severity?: Severity;
}

/** A whole line of the document (see `Report.at`). */
export interface WholeLine {
  line: number;
}

export interface RuleContext<M extends string = string> {
  readonly doc: DocumentFacts;
  readonly repo: RepoView;
  readonly config: Config;
  /** Today as a Day (SPEC: `--today`, `POLICYOPS_TODAY`, or the real date). */
  readonly today: Day;
  report(r: Report<M>): void;
}

export interface RuleDocs {
  /** The rule's README in the repository; stamped by the registry from its code, never written in a rule. */
  url: string;
}

export interface RuleMeta<M extends string = string> {
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
  /**
   * Message templates by id, one sentence: what is wrong, then what to do. `{name}` is
   * filled from the report's data; `{n, plural, =0 {today} one {# day} other {# days}}`
   * picks a form by `Intl.PluralRules` (en) for the number `n` (`#` is the number).
   */
  messages: Record<M, string>;
  /** Set by the registry (`docs.url`, the rule's README); absent on a rule that is not registered. */
  docs?: RuleDocs;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  check(ctx: RuleContext<M>): void;
}

/** Codes emitted by the loader rather than a rule module; listed for docs, SARIF and config. */
export interface LoaderCode {
  code: string;
  severity: Severity;
  description: string;
}

/**
 * Every rule module's default export. Generic over its messages, so `report({ messageId })`
 * accepts only the ids `meta.messages` declares (typescript-eslint's `createRule`).
 */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

const PLURALS = new Intl.PluralRules("en-GB");

/**
 * Fills a message template: `{name}` → data.name, and a plural block
 * `{name, plural, =0 {…} one {…} other {…}}` → the branch for data.name chosen by an exact
 * `=N` match first, then `Intl.PluralRules`' category, then `other`; `#` in a branch is the
 * number. A missing value, a non-number in a plural, or a block without `other` is a bug in
 * the rule, so it throws.
 */
export function interpolate(template: string, data: Record<string, string | number> = {}, code = "?"): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = matchingBrace(template, open, code);
    out += fill(template.slice(open + 1, close), data, code);
    i = close + 1;
  }
  return out;
}

function matchingBrace(s: string, open: number, code: string): number {
  let depth = 0;
  for (let j = open; j < s.length; j++) {
    if (s[j] === "{") depth++;
    else if (s[j] === "}" && --depth === 0) return j;
  }
  throw new Error(`rule ${code}: message has an unclosed \`{\` at ${open}`);
}

function valueOf(name: string, data: Record<string, string | number>, code: string): string | number {
  if (!(name in data)) throw new Error(`rule ${code}: message placeholder {${name}} has no value`);
  return data[name]!;
}

function fill(inner: string, data: Record<string, string | number>, code: string): string {
  const simple = /^\s*(\w+)\s*$/.exec(inner);
  if (simple) return String(valueOf(simple[1]!, data, code));
  const head = /^\s*(\w+)\s*,\s*plural\s*,/.exec(inner);
  if (!head) throw new Error(`rule ${code}: message placeholder {${inner}} is neither {name} nor {name, plural, …}`);
  const name = head[1]!;
  const n = valueOf(name, data, code);
  if (typeof n !== "number") throw new Error(`rule ${code}: plural placeholder {${name}} needs a number, got \`${n}\``);
  const branches = new Map<string, string>();
  const rest = inner.slice(head[0].length);
  const branch = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/g;
  let k = 0;
  while (k < rest.length) {
    branch.lastIndex = k;
    const m = branch.exec(rest);
    if (!m || m.index !== k) {
      if (rest.slice(k).trim() === "") break;
      throw new Error(`rule ${code}: plural {${name}} has a malformed branch near \`${rest.slice(k).trim()}\``);
    }
    const open = m.index + m[0].length - 1;
    const close = matchingBrace(rest, open, code);
    branches.set(m[1]!, rest.slice(open + 1, close));
    k = close + 1;
  }
  if (!branches.has("other")) throw new Error(`rule ${code}: plural {${name}} has no \`other\` branch`);
  const chosen = branches.get(`=${n}`) ?? branches.get(PLURALS.select(n)) ?? branches.get("other")!;
  return interpolate(chosen.replace(/#/g, String(n)), data, code);
}
