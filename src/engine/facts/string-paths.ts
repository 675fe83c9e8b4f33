import type { JsonSchema } from "../model/schemas.js";

/**
 * The pointers (array indices as `*`) at which a schema wants a string, following
 * `$ref`s. The YAML reader uses this to keep plain scalars as written there:
 * `version: 1.10` must reach the schema as "1.10", not as the number 1.1.
 */
export function stringPointers(root: JsonSchema, resolve: (ref: string) => JsonSchema | undefined): Set<string> {
  const out = new Set<string>();
  const seen = new Set<JsonSchema>();
  const visit = (schema: JsonSchema | undefined, pointer: string, depth: number): void => {
    if (!schema || typeof schema !== "object" || depth > 12) return;
    if (typeof schema.$ref === "string") visit(resolve(schema.$ref), pointer, depth + 1);
    const type = schema.type;
    if (type === "string" || (Array.isArray(type) && type.includes("string"))) out.add(pointer);
    for (const key of ["allOf", "anyOf", "oneOf"]) for (const sub of (schema[key] as JsonSchema[] | undefined) ?? []) visit(sub, pointer, depth + 1);
    for (const key of ["then", "else"]) visit(schema[key] as JsonSchema | undefined, pointer, depth + 1);
    const props = schema.properties as Record<string, JsonSchema> | undefined;
    if (props) for (const [k, v] of Object.entries(props)) visit(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1);
    if (schema.items && typeof schema.items === "object") visit(schema.items as JsonSchema, `${pointer}/*`, depth + 1);
    if (seen.has(schema)) return;
    seen.add(schema);
  };
  visit(root, "", 0);
  return out;
}
