import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { builtinKindSchemas, commonSchema, configSchema, KIND_KEYWORDS, type JsonSchema } from "../model/schemas.js";
import { stringPointers } from "./string-paths.js";
import { precompiled } from "./precompiled.js";
import { closest } from "../model/suggestions.js";
import { kindDef, kinds } from "../model/kinds.js";

// ajv-formats is CommonJS with a default export; bundlers and Node disagree on where it lands.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** One JSON Schema violation, ready to become a `schema/<keyword>` finding. */
export interface SchemaProblem {
  code: string;
  message: string;
  /** Key into the record's ranges: a value pointer, `<ptr>#key` or `<ptr>#first`. */
  at: string;
  data: Record<string, unknown>;
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();
const stringPaths = new WeakMap<JsonSchema, Set<string>>();

/** A strict ajv that knows the kind annotations and the shared definitions. */
function newAjv(): Ajv2020 {
  const a = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(a);
  for (const k of KIND_KEYWORDS) a.addKeyword(k);
  a.addSchema(commonSchema);
  return a;
}

function instance(): Ajv2020 {
  if (!ajv) {
    ajv = newAjv();
    for (const s of builtinKindSchemas) ajv.addSchema(s);
    ajv.addSchema(configSchema);
  }
  return ajv;
}

/** Validators of a repository's own kind schemas (compiled with the shared definitions); throws ajv's reason for a bad schema. */
const repoValidators = new WeakMap<JsonSchema, ValidateFunction>();
export function compileKindSchema(schema: JsonSchema): ValidateFunction {
  let v = repoValidators.get(schema);
  if (!v) {
    v = newAjv().compile(schema);
    repoValidators.set(schema, v);
  }
  return v;
}

/**
 * The validator for a schema: precompiled into the bundle by scripts/build.mjs (ajv's
 * standalone code, so a run does not spend its first 50 ms compiling), or compiled here
 * when running from source.
 */
function validator(schema: JsonSchema): ValidateFunction {
  const id = schema.$id as string;
  let v = validators.get(id);
  if (!v) {
    v = (precompiled?.[id] as ValidateFunction | undefined) ?? instance().getSchema(id)!;
    validators.set(id, v);
  }
  return v;
}

const ALL_SCHEMAS = [commonSchema, configSchema, ...builtinKindSchemas];

/** `https://…/common.schema.json#/$defs/date` → that part of the bundled schema JSON. */
function resolveRef(ref: string): JsonSchema | undefined {
  const [base, pointer = ""] = ref.split("#");
  let node: unknown = ALL_SCHEMAS.find((s) => s.$id === base);
  for (const part of pointer.split("/").slice(1)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return node as JsonSchema | undefined;
}

/** Pointers (array index `*`) where the kind's schema wants a string. */
export function expectsStringFor(kind: string): (pattern: string) => boolean {
  const schema = schemaOf(kind);
  let test = stringTests.get(schema);
  if (!test) {
    let set = stringPaths.get(schema);
    if (!set) {
      set = stringPointers(schema, resolveRef);
      stringPaths.set(schema, set);
    }
    const paths = set;
    test = (p) => paths.has(p);
    stringTests.set(schema, test);
  }
  return test;
}
/** One test per schema, so a caller can tell two parses were made with the same schema (parse-file's front-matter memo). */
const stringTests = new WeakMap<object, (pattern: string) => boolean>();

function schemaOf(kind: string): JsonSchema {
  const def = kindDef(kind);
  if (!def) throw new Error(`unknown kind \`${kind}\``);
  return def.schema;
}

export function validateKind(kind: string, values: unknown): SchemaProblem[] {
  const def = kindDef(kind);
  if (!def) throw new Error(`unknown kind \`${kind}\``);
  const v = def.builtin ? validator(def.schema) : compileKindSchema(def.schema);
  const problems = v(values) ? [] : toProblems(v.errors ?? [], values, def.schema);
  // `kind:` names one of the kinds there are: data (the built-in schemas and kinds/), so
  // no schema can list them; checked here as the enum it is.
  const declared = (values as Record<string, unknown> | null)?.kind;
  // Only a document that declares a kind pays for the list (once per file on a bulk load).
  const known = typeof declared === "string" ? kinds().names() : [];
  if (typeof declared === "string" && /^[a-z][a-z0-9-]*$/.test(declared) && !known.includes(declared)) {
    problems.push({ code: "schema/enum", at: "/kind", message: `\`kind\` must be one of ${known.map((k) => `\`${k}\``).join(", ")}; got \`${declared}\`.`, data: { expected: known, actual: declared } });
  }
  return problems;
}

export function validateConfigValues(values: unknown): SchemaProblem[] {
  const v = validator(configSchema);
  return v(values) ? [] : toProblems(v.errors ?? [], values, configSchema);
}

/**
 * `/contracts/0/end` → `contracts[0].end`, the way people read a path. With the values,
 * a numeric part is an index only where its container is a list: a key `1:` is `1`.
 */
export function fieldName(pointer: string, root?: unknown): string {
  if (pointer === "") return "document";
  let container: unknown = root;
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => {
      const index = root === undefined ? /^\d+$/.test(part) : Array.isArray(container);
      container = container !== null && typeof container === "object" ? (container as Record<string, unknown>)[part] : undefined;
      return index ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part;
    }, "");
}

/** A value as the message shows it; numbers YAML allows but JSON cannot hold are written as YAML writes them. */
const show = (v: unknown): string => {
  if (typeof v === "string") return v;
  if (typeof v === "number" && !Number.isFinite(v)) return Number.isNaN(v) ? ".nan" : v > 0 ? ".inf" : "-.inf";
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return JSON.stringify(v) ?? String(v);
};
const typeOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "list" : v instanceof Date ? "a `!!timestamp` value" : v instanceof Uint8Array ? "`!!binary` data" : typeof v === "number" && !Number.isFinite(v) ? (Number.isNaN(v) ? "not-a-number" : "an infinite number") : typeof v === "object" ? "mapping" : typeof v;

/** What to do about a value of the wrong type, for the values people write by accident. */
function typeAdvice(actual: unknown): string {
  if (actual instanceof Date) return "; remove the `!!timestamp` tag (quote the value if it is text)";
  if (actual instanceof Uint8Array) return "; remove the `!!binary` tag (quote the value if it is text)";
  if (typeof actual === "number" && !Number.isFinite(actual)) return "; write a finite number (`.inf`, `.nan` and numbers too large to hold, such as `1e309`, are not)";
  return "";
}

/**
 * Hints for the patterns people most often get wrong, keyed by the pattern itself, so
 * a framework id is not told to look like a policy id. Other patterns show the schema's
 * example.
 */
const PATTERN_HINTS: Record<string, string> = {
  "^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$": "use upper-case words and digits joined by hyphens, e.g. `POL-001` or `SOP-OFFBOARD-2`",
  "^[A-Z][A-Z0-9]*(-[A-Z0-9.]+)+$": "use upper-case letters and digits in hyphen-joined parts (dots allowed after the first), e.g. `ISO27001-2022` or `NIST-CSF-2.0`",
  "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))?$": "use MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. `\"1.2\"` (quote it)",
  "^[^:\\s]+:\\S+$": "write `FRAMEWORK:CONTROL`, e.g. `NIST-CSF-2.0:PR.AA-01`",
  "^\\S+$": "remove the spaces",
};
const FIELD_HINTS: Record<string, string> = {
  currency: "use an ISO 4217 code such as `GBP`, `EUR` or `USD`",
};

/** The schema object an error's `schemaPath` names, without its final keyword (its parent). */
function schemaAt(schemaPath: string, root: JsonSchema): JsonSchema | undefined {
  const hash = schemaPath.indexOf("#");
  const base = schemaPath.slice(0, hash);
  const parts = schemaPath.slice(hash + 1).split("/").slice(1, -1);
  let node: unknown = base ? ALL_SCHEMAS.find((s) => s.$id === base) : root;
  for (const part of parts) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return node !== null && typeof node === "object" ? (node as JsonSchema) : undefined;
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const part of pointer.split("/").slice(1)) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return v;
}

/**
 * Problems of the top level that name only a key (`required`, `additionalProperties` at
 * pointer ""), by schema, path and key: their wording depends on nothing else, and a docs
 * site's thousand pages repeat the same few unknown keys (each a "did you mean" search).
 */
const topLevelProblems = new WeakMap<JsonSchema, Map<string, SchemaProblem>>();

function describeOnce(e: ErrorObject, root: unknown, schema: JsonSchema): SchemaProblem {
  if (e.instancePath !== "" || (e.keyword !== "required" && e.keyword !== "additionalProperties")) return describe(e, root, schema);
  const p = e.params as Record<string, unknown>;
  const key = `${e.keyword}\0${e.schemaPath}\0${String(e.keyword === "required" ? p.missingProperty : p.additionalProperty)}`;
  let memo = topLevelProblems.get(schema);
  if (!memo) topLevelProblems.set(schema, (memo = new Map()));
  let problem = memo.get(key);
  if (!problem) memo.set(key, (problem = describe(e, root, schema)));
  // A copy: findings get their own data objects, as before.
  return { ...problem, data: { ...problem.data } };
}

function toProblems(errors: ErrorObject[], root: unknown, schema: JsonSchema): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // `if` only says "must match then": the `required` error it wraps says what is wrong.
    if (e.keyword === "if") continue;
    // A bad key under `propertyNames` also fails the key's `pattern`: keep the one that names the key.
    if (e.keyword === "pattern" && e.propertyName !== undefined) continue;
    const problem = describeOnce(e, root, schema);
    const key = `${problem.code}|${problem.at}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

function describe(e: ErrorObject, root: unknown, schema: JsonSchema): SchemaProblem {
  const ptr = e.instancePath;
  const field = fieldName(ptr, root);
  const actual = valueAt(root, ptr);
  const lastName = ptr.split("/").filter((p) => !/^\d+$/.test(p)).pop() ?? "";
  const code = `schema/${e.keyword.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}`;
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const missing = String(p.missingProperty);
      const where = ptr ? ` to \`${field}\`` : "";
      return { code, at: `${ptr}#first`, message: `Missing required field \`${missing}\`; add it${where}.`, data: { missing } };
    }
    case "additionalProperties": {
      const extra = String(p.additionalProperty);
      const child = `${ptr}/${extra.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      const name = ptr ? `${field}.${extra}` : extra;
      const data = { field: extra };
      if (extra === "<<") {
        return { code, at: `${child}#key`, message: `YAML merge keys (\`<<\`) are not supported${ptr ? ` in \`${field}\`` : ""}; write the fields out in full instead of merging an alias.`, data };
      }
      const parent = schemaAt(e.schemaPath, schema);
      const known = Object.keys((parent?.properties as Record<string, unknown> | undefined) ?? {});
      const near = extra.length >= 3 ? closest(extra, known) : undefined;
      const ownData = Object.keys((parent?.patternProperties as Record<string, unknown> | undefined) ?? {}).includes("^x-");
      const own = ", or prefix it with `x-` to keep your own data";
      const todo = near ? `correct its spelling or remove it${ownData ? own : ""}` : ownData ? `remove it, correct its spelling${own}` : "remove it or correct its spelling";
      return { code, at: `${child}#key`, message: `Unknown field \`${name}\`${near ? ` (did you mean \`${near}\`?)` : ""}; ${todo}.`, data: near ? { ...data, suggestion: near } : data };
    }
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map(show);
      if (allowed.length > 12) {
        // A long list (ISO 4217 currencies) helps nobody in one line: suggest the nearest.
        const near = closest(String(actual), allowed);
        return { code, at: ptr, message: `\`${field}\` value \`${show(actual)}\` is not one of the ${allowed.length} allowed values${near ? ` (did you mean \`${near}\`?)` : ""}; see the schema's description for the list.`, data: { expected: allowed, actual } };
      }
      return { code, at: ptr, message: `\`${field}\` must be one of ${allowed.map((a) => `\`${a}\``).join(", ")}; got \`${show(actual)}\`.`, data: { expected: allowed, actual } };
    }
    case "const":
      return { code, at: ptr, message: `\`${field}\` must be \`${show(p.allowedValue)}\`; got \`${show(actual)}\`.`, data: { expected: p.allowedValue, actual } };
    case "type": {
      const want = String(p.type).replace("object", "mapping").replace("array", "list");
      return { code, at: ptr, message: `\`${field}\` must be ${/^[aeiou]/.test(want) ? "an" : "a"} ${want}; got ${typeOf(actual)} \`${show(actual)}\`${typeAdvice(actual)}.`, data: { expected: p.type, actual: typeAdvice(actual) ? show(actual) : actual } };
    }
    case "pattern": {
      const examples = schemaAt(e.schemaPath, schema)?.examples;
      const example = Array.isArray(examples) && examples.length > 0 ? `, e.g. \`${show(examples[0])}\`` : "";
      const hint = PATTERN_HINTS[String(p.pattern)] ?? FIELD_HINTS[lastName] ?? `match \`${String(p.pattern)}\`${example}`;
      return { code, at: ptr, message: `\`${field}\` value \`${show(actual)}\` is not valid; ${hint}.`, data: { pattern: p.pattern, actual } };
    }
    case "format": {
      const hint = p.format === "date" ? "a real date written YYYY-MM-DD, e.g. `2026-06-30`" : `a valid ${String(p.format)}`;
      return { code, at: ptr, message: `\`${field}\` must be ${hint}; got \`${show(actual)}\`.`, data: { format: p.format, actual } };
    }
    case "uniqueItems": {
      const dup = Math.max(Number(p.i), Number(p.j));
      return { code, at: `${ptr}/${dup}`, message: `\`${field}\` lists \`${show((actual as unknown[])?.[dup])}\` twice; remove the duplicate.`, data: {} };
    }
    case "minimum": case "maximum": case "exclusiveMinimum": case "exclusiveMaximum":
      return { code, at: ptr, message: `\`${field}\` must be ${String(p.comparison)} ${String(p.limit)}; got \`${show(actual)}\`.`, data: { limit: p.limit, actual } };
    case "propertyNames": {
      const name = String(p.propertyName);
      return { code, at: `${ptr}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}#key`, message: `\`${field}\` has an unknown key \`${name}\`; check its spelling.`, data: { key: name } };
    }
    case "minItems":
      return { code, at: ptr, message: `\`${field}\` must list at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}.`, data: { limit: p.limit } };
    case "minLength":
      return { code, at: ptr, message: `\`${field}\` must not be empty.`, data: { limit: p.limit } };
    default:
      return { code, at: ptr, message: `\`${field}\` ${e.message ?? "is not valid"}.`, data: { params: p } };
  }
}
