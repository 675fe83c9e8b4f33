/**
 * The JSON Schemas in /schemas, bundled into the engine so that it needs no file system
 * path at run time. They are the normative description of every kind (SPEC §1): a schema
 * with an `x-policyops` block declares a kind; the others are the shared definitions and
 * the config.
 */
import { builtinSchemas } from "./builtin-schemas.js";

export type JsonSchema = Record<string, unknown>;

const byName = (name: string): JsonSchema => {
  const s = builtinSchemas.find((x) => String(x.$id).endsWith(`/${name}.schema.json`));
  if (!s) throw new Error(`schemas/${name}.schema.json is missing from the build`);
  return s;
};

export const commonSchema = byName("common");
export const configSchema = byName("policyops");
/** The built-in kinds' schemas, in file-name order. */
export const builtinKindSchemas: readonly JsonSchema[] = builtinSchemas.filter((s) => s["x-policyops"] !== undefined);
/** The annotation keywords a kind schema may carry (ajv's strict mode must be told of them). */
export const KIND_KEYWORDS = ["x-policyops", "x-policyops-ref", "x-policyops-path", "x-policyops-after", "x-policyops-ref-item"] as const;
