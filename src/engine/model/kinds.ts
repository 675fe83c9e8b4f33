/**
 * Kinds are data (SPEC §1): every kind, built in or the repository's own, is one JSON
 * Schema whose `x-policyops` block says its name, folder, format, id prefix, traits and
 * required sections, and whose field annotations say which fields reference other kinds
 * (`x-policyops-ref`), name files (`x-policyops-path`) or are dates not before another
 * (`x-policyops-after`). Everything the engine knows about kinds is derived here; rules and
 * reports select kinds by trait or by the fields they read, never by name.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { builtinKindSchemas, type JsonSchema } from "./schemas.js";

/**
 * What a trait switches on: `reviewed` (review/*), `approved` (approval/*), `controls` (control mapping, compliance),
 * `actions` (action/overdue), `catalogue` (its records are control catalogues: their `controls` are what documents
 * map to, what `control/unknown` checks and compliance reports; `import-catalog` writes into its folder).
 */
export const TRAITS = ["reviewed", "approved", "controls", "actions", "catalogue"] as const;
export type Trait = (typeof TRAITS)[number];

/** A reference field and the kinds its ids may name ("any" for any kind). */
export interface ReferenceField {
  /** A top-level field; for a field of the mappings in a list, the list's name, `/*` and `/` plus the field (a DR test's result systems). */
  field: string;
  kinds: readonly string[] | "any";
}

/** Two dates of one mapping that must not be out of order; `base` is `""` or a pointer pattern with `*` for list items (`/contracts/*`). */
export interface DatePair {
  base: string;
  earlier: string;
  later: string;
}

export interface KindDef {
  kind: string;
  folder: string;
  format: "markdown" | "yaml";
  /** Prefix of the ids `new` gives (`POL` → `POL-001`); absent for kinds `new` does not create. */
  idPrefix?: string;
  traits: readonly string[];
  /** Default required `## ` headings (Markdown kinds); `sections` in policyops.yaml overrides. */
  sections: readonly string[];
  /**
   * When the required sections apply: only to documents whose `field` holds one of `in`
   * (change: `type` normal or emergency). Absent: to every document of the kind. It also
   * governs a `sections` list from policyops.yaml.
   */
  sectionsWhen?: SectionsWhen;
  /** With the `controls` trait: whether its documents decide a control's status (`counts`, the default) or only support it (`supporting`, manuals). */
  coverage: "counts" | "supporting";
  schema: JsonSchema;
  /** Where it was declared: `schemas/<kind>.schema.json` (built in) or `kinds/<kind>.schema.json`. */
  source: string;
  builtin: boolean;
  /** Top-level fields the schema declares, in order. */
  fields: readonly string[];
  required: readonly string[];
  /** The field `new --title` fills and registers show: `title`, else the first required free-text field (`product`, `name`). */
  titleField: string;
  references: readonly ReferenceField[];
  pathFields: readonly string[];
  datePairs: readonly DatePair[];
}

/** A condition on one top-level field: its value is one of the strings `in` (an enum's values). */
export interface SectionsWhen {
  field: string;
  in: readonly string[];
}

/** True when a document's required sections apply to it (see `KindDef.sectionsWhen`). */
export function sectionsApply(def: KindDef | undefined, values: Readonly<Record<string, unknown>>): boolean {
  const when = def?.sectionsWhen;
  if (!when) return true;
  const v = values[when.field];
  return typeof v === "string" && when.in.includes(v);
}

/** The `x-policyops` block, checked in every kind schema (built in or the repository's). */
export const KIND_BLOCK_SCHEMA: JsonSchema = {
  type: "object",
  required: ["kind", "folder", "format"],
  properties: {
    kind: { type: "string", pattern: "^[a-z][a-z0-9-]*$" },
    folder: { type: "string", pattern: "^[^/\\\\.][^\\\\]*$" },
    format: { enum: ["yaml", "markdown"] },
    idPrefix: { type: "string", pattern: "^[A-Z][A-Z0-9]*$" },
    traits: { type: "array", items: { enum: [...TRAITS] }, uniqueItems: true },
    sections: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
    sectionsWhen: {
      type: "object",
      required: ["field", "in"],
      properties: {
        field: { type: "string", minLength: 1 },
        in: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true },
      },
      additionalProperties: false,
    },
    coverage: { enum: ["counts", "supporting"] },
  },
  additionalProperties: false,
};

type Block = { kind: string; folder: string; format: "yaml" | "markdown"; idPrefix?: string; traits?: string[]; sections?: string[]; sectionsWhen?: SectionsWhen; coverage?: "counts" | "supporting" };

/** Builds a kind's definition from its schema (the `x-policyops` block is assumed checked). */
export function kindFromSchema(schema: JsonSchema, source: string, builtin: boolean): KindDef {
  const block = schema["x-policyops"] as Block;
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const references: ReferenceField[] = [];
  const pathFields: string[] = [];
  const refOf = (p: JsonSchema, field: string) => {
    const ref = p["x-policyops-ref"];
    if (ref === true || ref === "any") references.push({ field, kinds: "any" });
    else if (Array.isArray(ref)) references.push({ field, kinds: ref as string[] });
  };
  for (const [field, p] of Object.entries(props)) {
    refOf(p, field);
    if (p["x-policyops-path"] === true) pathFields.push(field);
  }
  // References in the mappings of a list (a DR test's `results[].system`): field `results/*/system`.
  for (const [field, p] of Object.entries(props)) {
    const items = p.items as JsonSchema | undefined;
    const itemProps = items && typeof items === "object" ? (items.properties as Record<string, JsonSchema> | undefined) : undefined;
    for (const [inner, q] of Object.entries(itemProps ?? {})) refOf(q, `${field}/*/${inner}`);
  }
  return {
    kind: block.kind,
    folder: block.folder,
    format: block.format,
    ...(block.idPrefix ? { idPrefix: block.idPrefix } : {}),
    traits: block.traits ?? [],
    sections: block.sections ?? [],
    ...(block.sectionsWhen ? { sectionsWhen: block.sectionsWhen } : {}),
    coverage: block.coverage ?? "counts",
    schema,
    source,
    builtin,
    fields: Object.keys(props),
    required,
    titleField: titleFieldOf(props, required),
    references,
    pathFields,
    datePairs: datePairsOf(schema),
  };
}

function titleFieldOf(props: Record<string, JsonSchema>, required: readonly string[]): string {
  if (required.includes("title")) return "title";
  const free = required.find((f) => !["id", "owner", "kind"].includes(f) && props[f]?.type === "string" && !props[f]?.enum);
  return free ?? "title";
}

/** Every `x-policyops-after` in the schema's own properties and list items, at any depth. */
function datePairsOf(schema: JsonSchema): DatePair[] {
  const out: DatePair[] = [];
  const visit = (node: JsonSchema | undefined, base: string, depth: number) => {
    if (!node || typeof node !== "object" || depth > 8) return;
    const props = node.properties as Record<string, JsonSchema> | undefined;
    for (const [field, p] of Object.entries(props ?? {})) {
      if (typeof p["x-policyops-after"] === "string") out.push({ base, earlier: p["x-policyops-after"] as string, later: field });
      visit(p, `${base}/${field}`, depth + 1);
    }
    if (node.items && typeof node.items === "object") visit(node.items as JsonSchema, `${base}/*`, depth + 1);
  };
  visit(schema, "", 0);
  return out;
}

/** Which kinds a rule or report looks at: a trait, fields the kind must declare, or a predicate over its definition. */
export type AppliesTo = { trait: Trait } | { fields: readonly string[] } | ((kind: KindDef) => boolean);

export function applies(to: AppliesTo | undefined, def: KindDef | undefined): boolean {
  if (!to) return true;
  if (!def) return false;
  if (typeof to === "function") return to(def);
  if ("trait" in to) return def.traits.includes(to.trait);
  return to.fields.every((f) => def.fields.includes(f));
}

/** A set of kinds: the built-in ones plus a repository's own. */
export class KindRegistry {
  private readonly byKind: Map<string, KindDef>;
  constructor(readonly defs: readonly KindDef[]) {
    this.byKind = new Map(defs.map((d) => [d.kind, d]));
  }
  get(kind: string): KindDef | undefined {
    return this.byKind.get(kind);
  }
  has(kind: string): boolean {
    return this.byKind.has(kind);
  }
  names(): string[] {
    return this.defs.map((d) => d.kind);
  }
  /** Kind names a rule or report selects. */
  select(to: AppliesTo): string[] {
    return this.defs.filter((d) => applies(to, d)).map((d) => d.kind);
  }
  /** The repository's own kinds (not built in). */
  own(): KindDef[] {
    return this.defs.filter((d) => !d.builtin);
  }
}

const fileOf = (schema: JsonSchema): string => `schemas/${String(schema.$id).split("/").pop()}`;
export const BUILTIN_KINDS = new KindRegistry(builtinKindSchemas.map((s) => kindFromSchema(s, fileOf(s), true)));

let active: KindRegistry = BUILTIN_KINDS;
/** The kinds of the workspace whose work is running (see `withKinds`); it follows awaits. */
const scope = new AsyncLocalStorage<KindRegistry>();

/**
 * The kinds of the repository being checked. A Workspace owns its registry and runs its
 * work (`load`, checks, updates, reports) inside `withKinds`, so two workspaces with
 * different repository kinds in one process do not see each other's. Outside any
 * workspace's work: the last registry given to `useKinds` (`load` sets it, for callers that
 * ask before or after it, such as the CLI), or the built-in kinds.
 */
export function kinds(): KindRegistry {
  return scope.getStore() ?? active;
}

/** Sets the registry used outside any workspace's work (a worker thread's, the CLI's). */
export function useKinds(registry: KindRegistry): void {
  active = registry;
}

/** Runs `fn` (and whatever it awaits) with `registry` as the kinds. */
export function withKinds<T>(registry: KindRegistry, fn: () => T): T {
  return scope.getStore() === registry ? fn() : scope.run(registry, fn);
}

export function kindDef(kind: string): KindDef | undefined {
  return kinds().get(kind);
}

/** True for a kind whose records are control catalogues (the `catalogue` trait; built in: `framework`). */
export function isCatalogue(kind: string): boolean {
  return kindDef(kind)?.traits.includes("catalogue") ?? false;
}
