import type { DocumentFacts } from "../model/types.js";

/**
 * Readers for front-matter values in reports. Reports run on repositories that may not
 * validate (reports never fail on findings), so every value is checked before use and a
 * wrong one reads as "absent": `validate` is where the user learns what is wrong.
 */
export const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export const count = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);

/** Documents a report can speak about: parsed, with an id, of one of the given kinds. */
export function reportable(all: readonly DocumentFacts[], kinds: readonly string[]): (DocumentFacts & { id: string })[] {
  return all.filter((d): d is DocumentFacts & { id: string } => d.parsed && d.id !== null && kinds.includes(d.kind));
}

export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rounds away binary floating-point noise (1213.2 × 12 = 14558.400000000001) without losing real precision. */
export const round = (n: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
};

/**
 * Codes that mean a document does not validate: it did not parse, or it breaks its kind's
 * schema. SPEC §2: such a record is never reported as valid; reports mark it `invalid`.
 */
export const isInvalidityCode = (code: string): boolean => code.startsWith("parse/") || code.startsWith("schema/") || code.startsWith("file/unreadable") || code === "kind/mismatch";

export interface InvalidRecords {
  /** Files of the given kinds that do not validate. */
  files: Set<string>;
  /** Of those, how many no report can list (no parse or no id). */
  unlisted: number;
}

/** The records of some kinds that do not validate, from the workspace's findings (severity overrides aside). */
/** A record no register can list: it did not parse, or has no id. */
export const isUnlistable = (doc: DocumentFacts): boolean => !doc.parsed || doc.id === null;

export function invalidRecords(ws: { allFacts(): DocumentFacts[]; findingsFor(file: string): { code: string }[] }, kinds: readonly string[]): InvalidRecords {
  const files = new Set<string>();
  let unlisted = 0;
  for (const doc of ws.allFacts()) {
    if (!kinds.includes(doc.kind)) continue;
    if (!doc.parsed || ws.findingsFor(doc.file).some((f) => isInvalidityCode(f.code))) {
      files.add(doc.file);
      if (isUnlistable(doc)) unlisted++;
    }
  }
  return { files, unlisted };
}

/**
 * What a report calls its records: the kind's own name when one kind has the report's trait (the
 * template's licences are `licence`), else `fallback`. Kinds are data, so the noun comes from them,
 * never from a report's code.
 */
export function recordNoun(kindNames: readonly string[], fallback = "record"): string {
  return kindNames.length === 1 ? kindNames[0]! : fallback;
}

/** The line every report adds when records do not validate (empty when all do). */
export function invalidNote(count: number, what: string): string {
  if (count === 0) return "";
  return `${count} ${what} record${count === 1 ? " does" : "s do"} not validate and ${count === 1 ? "is" : "are"} marked \`invalid\`, so totals are incomplete; run \`policyops validate\` and fix ${count === 1 ? "it" : "them"}.`;
}

/** A report over a workspace, run with that workspace's kinds (two workspaces in one process do not share theirs). */
export const withWorkspaceKinds =
  <A extends [{ inKinds<T>(fn: () => T): T }, ...unknown[]], R>(report: (...args: A) => R) =>
  (...args: A): R =>
    args[0].inKinds(() => report(...args));
