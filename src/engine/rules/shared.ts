import { posix } from "node:path";
import type { Config } from "../config/config.js";
import { addMonths, parseDay, type Day } from "../dates.js";
import type { DocumentFacts, Kind } from "../types.js";
import { DEFAULT_RENEWAL_TERM_MONTHS, renewal, type Renewal } from "../domain/renewal.js";

/** Helpers several rules share. Pure functions over facts; no I/O. */

export const isActive = (doc: DocumentFacts): boolean => doc.values.status === "active";

/** A reference field and the kinds its ids may name. */
export interface ReferenceField {
  field: string;
  kinds: readonly Kind[] | "any";
}

const RELATED: ReferenceField = { field: "related", kinds: "any" };
export const REFERENCE_FIELDS: Record<Kind, readonly ReferenceField[]> = {
  policy: [RELATED],
  sop: [RELATED, { field: "policies", kinds: ["policy"] }, { field: "systems", kinds: ["system"] }],
  manual: [RELATED, { field: "system", kinds: ["system"] }],
  licence: [{ field: "vendor", kinds: ["vendor"] }, { field: "systems", kinds: ["system"] }],
  vendor: [],
  system: [{ field: "vendor", kinds: ["vendor"] }, { field: "licences", kinds: ["licence"] }, { field: "manuals", kinds: ["manual"] }, { field: "sops", kinds: ["sop"] }],
  framework: [],
};

export interface Reference {
  pointer: string;
  id: string;
  ref: ReferenceField;
}

/** Three rules read each document's references: work them out once per facts object. */
const referencesMemo = new WeakMap<DocumentFacts, readonly Reference[]>();

/** Every id a document references, with the pointer of the value that names it. */
export function references(doc: DocumentFacts): readonly Reference[] {
  let out = referencesMemo.get(doc);
  if (!out) referencesMemo.set(doc, (out = collectReferences(doc)));
  return out;
}

function collectReferences(doc: DocumentFacts): Reference[] {
  const out: Reference[] = [];
  for (const ref of REFERENCE_FIELDS[doc.kind]) {
    const v = doc.values[ref.field];
    if (typeof v === "string") out.push({ pointer: `/${ref.field}`, id: v, ref });
    else if (Array.isArray(v)) v.forEach((item, i) => typeof item === "string" && out.push({ pointer: `/${ref.field}/${i}`, id: item, ref }));
  }
  return out;
}

/** Next review date: baseline (`last_reviewed`, else `approved_on`) + cycle calendar months. */
export function nextReview(doc: DocumentFacts, config: Config): { due: Day; baseline: Day; baselineField: string; months: number } | null | "never" {
  const lastReviewed = doc.values.last_reviewed;
  const approvedOn = doc.values.approved_on;
  const baselineField = lastReviewed !== undefined ? "last_reviewed" : approvedOn !== undefined ? "approved_on" : null;
  if (!baselineField) return "never";
  const baseline = parseDay(doc.values[baselineField]);
  if (baseline === null) return null; // the schema reports the bad date
  const cycle = doc.values.review_cycle_months;
  const months = typeof cycle === "number" && Number.isInteger(cycle) && cycle >= 1 && cycle <= 60 ? cycle : config.reviews.default_cycle_months;
  return { due: addMonths(baseline, months), baseline, baselineField, months };
}

/** Where review findings point: `last_reviewed`, or `status` when there is none. */
export const reviewPointer = (doc: DocumentFacts): string => (doc.values.last_reviewed !== undefined ? "/last_reviewed" : "/status");

/** The notice period of a licence: `renewal_notice_days`, or `licences.default_notice_days`. */
export function noticeDaysOf(doc: DocumentFacts, config: Config): number {
  const n = doc.values.renewal_notice_days;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : config.licences.default_notice_days;
}

/**
 * A licence's renewal model (SPEC §2, `domain/renewal.ts`): the current term, its
 * deadline and state, or null if it has no valid `expiry_date`. Licences renew by the
 * default 12-month term (the licence schema has no term field).
 */
export function licenceWindow(doc: DocumentFacts, config: Config, today: Day): Renewal | null {
  const end = parseDay(doc.values.expiry_date);
  if (end === null) return null;
  return renewal({ end, autoRenew: doc.values.auto_renew === true, renewalTermMonths: DEFAULT_RENEWAL_TERM_MONTHS, noticeDays: noticeDaysOf(doc, config) }, today);
}

export const productOf = (doc: DocumentFacts): string => String(doc.values.product ?? doc.id ?? doc.file);

/**
 * A path as the repository sees it: `target` relative to `fromFile`'s folder, or to the
 * root when it starts with `/`. Null when it climbs out of the repository.
 */
export function resolveRepoPath(fromFile: string | null, target: string): string | null {
  const base = target.startsWith("/") || fromFile === null ? "" : posix.dirname(fromFile);
  const joined = posix.normalize(posix.join(base, target.replace(/^\/+/, "")));
  if (joined === ".." || joined.startsWith("../") || posix.isAbsolute(joined)) return null;
  return joined === "." ? "" : joined.replace(/\/+$/, "");
}

/** Levenshtein distance, bounded: enough for "did you mean" on ids and anchors. */
export function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within a small edit distance, for "did you mean". */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(value.length / 4)) + 1;
  for (const c of candidates) {
    const d = distance(value.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
