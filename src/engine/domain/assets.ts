/**
 * Assets (SPEC §1 asset, §2 `asset/*`): what the rules and reports share about a record
 * that has a status, a warranty and disposal evidence. Selected by fields, never by the
 * kind's name: any kind with these fields (a repository's own `device` kind) is treated alike.
 */
import { parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";

/** A mapping value, or an empty one (a missing or mistyped `disposal:` the schema reports). */
export const mappingOf = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The asset's display name: `name`, else `title`, else its id. */
export const assetName = (doc: DocumentFacts): string => String(doc.values.name ?? doc.values.title ?? doc.id ?? doc.file);

/** `quantity`, 1 when absent (a record is one item unless it says it is a batch). */
export function assetQuantity(doc: DocumentFacts): number {
  const q = doc.values.quantity;
  return typeof q === "number" && Number.isInteger(q) && q >= 1 ? q : 1;
}

/** Statuses whose warranty still matters: an asset in use (SPEC §2 `asset/warranty-expiring`, the calendar). */
export const WARRANTY_STATUSES: readonly string[] = ["in-use"];

/** An in-use asset's warranty end and the days left (0 on the last day of cover, negative once it ended); null otherwise. */
export function warrantyOf(doc: DocumentFacts, today: Day): { end: Day; daysLeft: number } | null {
  if (!WARRANTY_STATUSES.includes(String(doc.values.status))) return null;
  const end = parseDay(doc.values.warranty_end);
  return end === null ? null : { end, daysLeft: end - today };
}

/** Data classifications whose media NIST SP 800-88 says must be purged or destroyed, not cleared. */
export const PURGE_CLASSES: readonly string[] = ["confidential", "restricted"];
