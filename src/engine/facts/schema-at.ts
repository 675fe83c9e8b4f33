import { builtinKindSchemas, commonSchema, configSchema, type JsonSchema } from "../model/schemas.js";
import { kindDef, kinds } from "../model/kinds.js";

/** What the schema says about one place of a document, for hover and completion. */
export interface SchemaInfo {
  description?: string;
  /** `string`, `integer`, `array`… (or several, as the schema lists them). */
  type?: string | string[];
  enum?: unknown[];
  examples?: unknown[];
  default?: unknown;
  /** Keys a mapping at this place may have (for completing a new key). */
  properties?: string[];
}

/** `schemasById` per set of kinds in force (a set of kinds is never changed, only replaced): an editor asks for every hover and completion. */
const byIdMemo = new WeakMap<object, Map<string, JsonSchema>>();

/** Every bundled schema by its `$id`, for `$ref`s across files. */
function schemasById(): Map<string, JsonSchema> {
  const registry = kinds();
  let out = byIdMemo.get(registry);
  if (!out) byIdMemo.set(registry, (out = schemasByIdNow()));
  return out;
}

function schemasByIdNow(): Map<string, JsonSchema> {
  const out = new Map<string, JsonSchema>();
  // The kinds in force (a repository's own too) and the bundled ones, for `$ref`s by `$id`.
  for (const s of [commonSchema, configSchema, ...builtinKindSchemas, ...kinds().names().map((k) => kindDef(k)!.schema)]) {
    if (typeof s.$id === "string") out.set(s.$id, s);
  }
  return out;
}


const unescape = (segment: string) => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** Follows a JSON pointer fragment (`/$defs/date`) inside a schema document. */
function follow(root: JsonSchema, fragment: string): JsonSchema | undefined {
  let at: unknown = root;
  for (const seg of fragment.split("/").slice(1)) {
    if (!at || typeof at !== "object") return undefined;
    at = (at as Record<string, unknown>)[unescape(decodeURIComponent(seg))];
  }
  return at && typeof at === "object" ? (at as JsonSchema) : undefined;
}

/**
 * The schema objects that apply at one place: the schema itself and, transitively, what its
 * `$ref`, `allOf`, `anyOf`/`oneOf` and `if`/`then`/`else` branches add, each with the document
 * it came from (so a local `$ref` inside common.schema.json resolves there).
 */
function applicable(schema: JsonSchema, doc: JsonSchema, out: { schema: JsonSchema; doc: JsonSchema }[] = [], seen = new Set<JsonSchema>()): { schema: JsonSchema; doc: JsonSchema }[] {
  if (seen.has(schema)) return out;
  seen.add(schema);
  out.push({ schema, doc });
  const ref = schema.$ref;
  if (typeof ref === "string") {
    const hash = ref.indexOf("#");
    const base = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? "" : ref.slice(hash + 1);
    const target = base === "" ? doc : schemasById().get(base);
    const resolved = target && (fragment === "" ? target : follow(target, fragment));
    if (target && resolved) applicable(resolved, target, out, seen);
  }
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    const list = schema[key];
    if (Array.isArray(list)) for (const s of list) if (s && typeof s === "object") applicable(s as JsonSchema, doc, out, seen);
  }
  // `if` is a condition, not a constraint: what `then` and `else` say applies in one case or the other.
  for (const key of ["then", "else"] as const) {
    const s = schema[key];
    if (s && typeof s === "object") applicable(s as JsonSchema, doc, out, seen);
  }
  return out;
}

/** The subschemas for one step of a pointer (a property name or an array index). */
function step(list: { schema: JsonSchema; doc: JsonSchema }[], segment: string): { schema: JsonSchema; doc: JsonSchema }[] {
  const out: { schema: JsonSchema; doc: JsonSchema }[] = [];
  const seen = new Set<JsonSchema>();
  const isIndex = /^(0|[1-9][0-9]*)$/.test(segment);
  for (const { schema, doc } of list) {
    const next: JsonSchema[] = [];
    const props = schema.properties as Record<string, JsonSchema> | undefined;
    if (props && Object.prototype.hasOwnProperty.call(props, segment)) next.push(props[segment]!);
    const patterns = schema.patternProperties as Record<string, JsonSchema> | undefined;
    if (patterns) for (const [re, s] of Object.entries(patterns)) if (new RegExp(re, "u").test(segment)) next.push(s);
    if (next.length === 0 && props && !Object.prototype.hasOwnProperty.call(props, segment) && schema.additionalProperties && typeof schema.additionalProperties === "object") next.push(schema.additionalProperties as JsonSchema);
    if (isIndex) {
      const prefix = schema.prefixItems as JsonSchema[] | undefined;
      if (prefix && prefix[Number(segment)]) next.push(prefix[Number(segment)]!);
      else if (schema.items && typeof schema.items === "object") next.push(schema.items as JsonSchema);
    }
    for (const s of next) applicable(s, doc, out, seen);
  }
  return out;
}

/**
 * What the schema of `kind` (a kind's name, or `policyops.yaml` for the config) says at a JSON
 * pointer (`/status`, `/controls/0`, `/cost/amount`): description, type, enum, examples, default
 * and the keys a mapping there may have, merged over `$ref`, `allOf`, `anyOf`/`oneOf` and
 * `if`/`then`/`else` (the nearest, most specific schema wins for single values; examples and
 * property names are collected from all). Undefined when the schema knows nothing there.
 */
export function schemaAt(kind: string, pointer: string): SchemaInfo | undefined {
  const root = kind === "policyops.yaml" || kind === "config" ? configSchema : kindDef(kind)?.schema;
  return root ? schemaInfo(root, pointer) : undefined;
}

/** `schemaAt` over any JSON Schema (its local `$ref`s and the bundled schemas' `$id`s resolve). */
export function schemaInfo(root: JsonSchema, pointer: string): SchemaInfo | undefined {
  let list = applicable(root, root);
  for (const seg of pointer === "" ? [] : pointer.split("/").slice(1)) {
    list = step(list, unescape(seg));
    if (list.length === 0) return undefined;
  }
  const info: SchemaInfo = {};
  const examples: unknown[] = [];
  const properties = new Set<string>();
  for (const { schema } of list) {
    if (info.description === undefined && typeof schema.description === "string") info.description = schema.description;
    if (info.type === undefined && (typeof schema.type === "string" || Array.isArray(schema.type))) info.type = schema.type as string | string[];
    if (info.enum === undefined && Array.isArray(schema.enum)) info.enum = [...schema.enum];
    if (info.enum === undefined && schema.const !== undefined) info.enum = [schema.const];
    if (info.default === undefined && schema.default !== undefined) info.default = schema.default;
    if (Array.isArray(schema.examples)) for (const e of schema.examples) if (!examples.some((x) => JSON.stringify(x) === JSON.stringify(e))) examples.push(e);
    if (schema.properties && typeof schema.properties === "object") for (const k of Object.keys(schema.properties)) properties.add(k);
  }
  if (examples.length) info.examples = examples;
  if (properties.size) info.properties = [...properties];
  return info;
}
