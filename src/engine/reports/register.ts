import { UsageError } from "../model/errors.js";
import { kinds, type KindDef } from "../model/kinds.js";
import type { Workspace } from "../workspace/workspace.js";
import { byString, invalidRecords, reportable, str, withWorkspaceKinds } from "./values.js";

/** One document of a kind's register (`policyops list <kind>`). */
export interface RegisterRow {
  id: string;
  kind: string;
  /** The kind's title field: `title`, or `product` / `name` for records without one. */
  title: string | null;
  status: string | null;
  owner: string | null;
  file: string;
  /** False when the record does not validate (SPEC §2: never shown as valid). */
  valid: boolean;
  /** The kind's register columns (`registerFields`), as written or their schema default (scalars as text, lists joined). */
  fields: Record<string, string | null>;
}

const ALWAYS = new Set(["id", "kind", "title", "status", "owner"]);

/** The fields a register shows beyond id, title, status and owner: the kind's `columns` (its `x-policyops` block), else its other required fields. */
export const registerFields = (def: KindDef): string[] => (def.columns ?? def.required).filter((f) => !ALWAYS.has(f) && f !== def.titleField);

/** A field's value, or its schema `default` when absent (an asset's `quantity` is 1 unless written). */
const valueOrDefault = (def: KindDef, values: Record<string, unknown>, field: string): unknown =>
  values[field] ?? ((def.schema.properties as Record<string, { default?: unknown }> | undefined)?.[field]?.default);

const text = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : Array.isArray(v) ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ") : v && typeof v === "object" ? JSON.stringify(v) : null;

/** The kind the user named, or a usage error listing the kinds there are. */
export function registerKind(kind: string): KindDef {
  const def = kinds().get(kind);
  if (!def) throw new UsageError(`unknown kind \`${kind}\`; use one of ${kinds().names().map((n) => `\`${n}\``).join(", ")}, or declare it in \`kinds/${kind}.schema.json\``);
  return def;
}

/** Every document of one kind, built in or the repository's own, by id. */
function registerReportIn(ws: Workspace, kind: string): RegisterRow[] {
  const def = registerKind(kind);
  const invalid = invalidRecords(ws, [kind]).files;
  const extra = registerFields(def);
  return reportable(ws.allFacts(), [kind])
    .map((doc): RegisterRow => ({
      id: doc.id,
      kind: doc.kind,
      title: str(doc.values[def.titleField]) ?? doc.title,
      status: str(doc.values.status),
      owner: str(doc.values.owner),
      file: doc.file,
      valid: !invalid.has(doc.file),
      fields: Object.fromEntries(extra.map((f) => [f, text(valueOrDefault(def, doc.values, f))])),
    }))
    .sort((a, b) => byString(a.id, b.id) || byString(a.file, b.file));
}

/** `registerReportIn`, run with the workspace's own kinds. */
export const registerReport = withWorkspaceKinds(registerReportIn);
