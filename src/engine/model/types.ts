/**
 * The engine's public data model. Everything here is plain, serialisable data so that
 * the CLI, the language server, the site and worker threads can all pass it around.
 */

/** A kind's name. Kinds are data: their schemas declare them (src/engine/model/kinds.ts). */
export type Kind = string;

export type Severity = "error" | "warning" | "info";
export type SeveritySetting = Severity | "off";

/** A span in a file: 1-based lines and columns (UTF-16 code units), end exclusive. */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A span with its UTF-16 offsets in the file's text as well as 1-based lines and columns (end exclusive). */
export interface OffsetRange extends Range {
  offset: number;
  endOffset: number;
}

/** One text edit: replace `range` of `file` by `newText`. */
export interface TextEdit {
  file: string;
  range: OffsetRange;
  newText: string;
}

/** A quick fix as data (what an editor offers for a finding), never prose to follow. */
export interface Suggestion {
  messageId: string;
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation extends Range {
  file: string;
  message: string;
}

/** One problem, in the exact shape of SPEC §2 plus optional extras for editors. */
export interface Finding extends Range {
  code: string;
  severity: Severity;
  message: string;
  /** Repo-relative path with `/`. */
  file: string;
  docId: string | null;
  /** Other places that explain this finding (the first declaration of a duplicate id…). */
  related?: RelatedLocation[];
  /** The key of the rule's `meta.messages` this finding's message was rendered from (rule findings only). */
  messageId?: string;
  /** The rule's documentation (its README), as stamped by the registry (rule findings only). */
  docsUrl?: string;
  /** Structured values behind the message (expected/actual…), for quick fixes. */
  data?: Record<string, unknown>;
  /** Quick fixes, when asked for (`Workspace.findingsFor(file, { suggest: true })`). */
  suggest?: Suggestion[];
}

export interface Heading {
  depth: number;
  text: string;
  /** GitHub-style anchor, unique within its document (`purpose`, `purpose-1`). */
  slug: string;
  range: Range;
}

export interface Link {
  /** Destination as written, with escapes and character references decoded. */
  url: string;
  kind: "link" | "image" | "definition";
  range: Range;
}

/**
 * What the parse phase learns about one governed file: the input of every rule.
 * `values` holds the front matter / record as JSON, with scalars judged as written
 * (`version: 1.10` stays the string "1.10"); `ranges` maps JSON pointers of its
 * values (`/status`, `/controls/2`, `/contracts/0/end`) and keys (`/status#key`) to spans.
 *
 * Positions cost more than everything else a clean document needs, so a bulk load leaves
 * `ranges`, `lineLengths` and (for bodies no rule needs) `headings` null; the Workspace
 * fills them in when a finding, an anchor lookup or a caller asks (`Workspace.positions`,
 * `Workspace.headings`).
 */
/** The length of each line of a file, without its line break (a typed array when computed). */
export type LineLengths = ArrayLike<number>;

export interface DocumentFacts {
  file: string;
  kind: Kind;
  format: "markdown" | "yaml";
  /** False when the file could not be read or its YAML did not parse: rules skip it. */
  parsed: boolean;
  id: string | null;
  title: string | null;
  values: Record<string, unknown>;
  ranges: Record<string, Range> | null;
  headings: Heading[] | null;
  links: Link[];
  /** Raw HTML anchors (`<a id>`/`<a name>`) of the body; null while the body is not tokenized. */
  htmlAnchors: string[] | null;
  /** First line of the Markdown body (the line after the closing `---`). */
  bodyLine: number;
  /** Number of lines and the length of each, for clamping ranges (null until positions are computed). */
  lineLengths: LineLengths | null;
}

export interface DocumentSummary {
  id: string | null;
  kind: Kind;
  file: string;
  title: string | null;
}

export interface Summary {
  documents: number;
  errors: number;
  warnings: number;
  infos: number;
}

/** `validate --format json`, exactly as SPEC §3. */
export interface ValidationResult {
  version: 1;
  today: string;
  summary: Summary;
  documents: DocumentSummary[];
  findings: Finding[];
}

/**
 * The facts rules need from a Markdown body: its headings (with GitHub anchors) and its link
 * destinations, with spans (read by facts/markdown-facts.ts, micromark-facts.ts for rare blocks).
 */
export interface MarkdownFacts {
  headings: Heading[];
  links: Link[];
  /** `id`/`name` of raw HTML anchors (`<a id="x">`): link targets on GitHub as headings are. */
  htmlAnchors: string[];
}
