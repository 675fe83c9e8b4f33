/**
 * `policyops new <kind>`'s draft, from the kind's schema alone (SPEC §1 "Kinds are data"):
 * any kind, built in or the repository's own, with no code per kind.
 */
import { addMonths, formatDay, parseDay } from "../model/dates.js";
import { UsageError } from "../model/errors.js";
import { commonSchema } from "../model/schemas.js";
import { validateKind } from "../facts/validator.js";
import type { DocumentSummary } from "../model/types.js";
import type { KindDef } from "../model/kinds.js";

export interface DraftOptions {
  id: string;
  title: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  today: string;
  /** The repository's documents: a required reference names the first of the kind it wants. */
  documents: readonly DocumentSummary[];
  /**
   * Values a front end was given for required reference fields, by field (the CLI's
   * `--system` gives `{ system }`). A field listed here, even without a value, is one the
   * front end has a flag for, and the message says so.
   */
  refs?: Readonly<Record<string, string | undefined>>;
}

/** A property's schema with a local `$ref` into the shared definitions followed once (its own annotations win). */
function propertyOf(def: KindDef, field: string): Record<string, unknown> {
  const own = ((def.schema.properties ?? {}) as Record<string, Record<string, unknown>>)[field] ?? {};
  const ref = typeof own.$ref === "string" ? own.$ref : "";
  const target = ref.includes("#/$defs/") ? ((commonSchema.$defs as Record<string, Record<string, unknown>>)[ref.split("#/$defs/")[1]!] ?? {}) : {};
  return { ...target, ...own };
}

/**
 * A fresh document of any kind, from its schema alone: the id (`idPrefix`), the title
 * field, the owner, every field with a `default`, then whatever the schema still requires
 * (conditionally too): a date is today (the later of an `x-policyops-after` pair a year on,
 * its earlier one today), a reference names the value given for it (`--system`) or the first document of the kind it
 * references, anything else its `default`, first allowed value or first example.
 */
export function draft(def: KindDef, o: DraftOptions): Record<string, unknown> {
  const { id, title, owner, today } = o;
  // Required fields with a default first, then the owner, then whatever else is required, then optional defaults.
  const values: Record<string, unknown> = { id, [def.titleField]: title };
  const defaults = def.fields.filter((f) => !(f in values) && f !== "owner" && propertyOf(def, f).default !== undefined);
  for (const field of defaults.filter((f) => def.required.includes(f))) values[field] = structuredClone(propertyOf(def, field).default);
  values.owner = owner;
  const optional = defaults.filter((f) => !def.required.includes(f));
  const yearOn = formatDay(addMonths(parseDay(today)!, 12));
  for (let round = 0; round < 8; round++) {
    const missing = validateKind(def.kind, values).filter((p) => p.code === "schema/required" && p.at === "#first").map((p) => String(p.data.missing));
    if (missing.length === 0) break;
    for (const field of missing) values[field] = valueFor(def, field, values, { today, yearOn, documents: o.documents, refs: o.refs });
  }
  for (const field of optional) if (!(field in values)) values[field] = structuredClone(propertyOf(def, field).default);
  return values;
}

function valueFor(def: KindDef, field: string, values: Record<string, unknown>, c: { today: string; yearOn: string; documents: readonly DocumentSummary[]; refs?: Readonly<Record<string, string | undefined>> }): unknown {
  const p = propertyOf(def, field);
  if (p.format === "date") {
    const pair = def.datePairs.find((d) => d.base === "" && d.later === field && !d.earlier.includes("."));
    if (pair && values[pair.earlier] === undefined) values[pair.earlier] = c.today;
    return pair ? c.yearOn : c.today;
  }
  const ref = def.references.find((r) => r.field === field);
  if (ref) {
    const wanted = ref.kinds;
    const given = c.refs && Object.hasOwn(c.refs, field);
    const id = (given ? c.refs![field] : undefined) ?? c.documents.find((d) => d.id && (wanted === "any" || wanted.includes(d.kind)))?.id ?? undefined;
    if (!id) throw new UsageError(`a ${def.kind} needs \`${field}\`: ${given ? `pass --${field} <id> or ` : ""}add a ${wanted === "any" ? "document" : wanted.join(" or ")} first (the repository has none yet)`);
    return p.type === "array" ? [id] : id;
  }
  if (p.default !== undefined) return structuredClone(p.default);
  if (Array.isArray(p.enum) && p.enum.length > 0) return p.enum[0];
  if (Array.isArray(p.examples) && p.examples.length > 0) return structuredClone(p.examples[0]);
  throw new UsageError(`cannot draft a ${def.kind}: its schema requires \`${field}\` but gives no \`default\` or \`examples\`; add one to ${def.source}`);
}

