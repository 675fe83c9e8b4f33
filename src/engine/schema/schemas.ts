/**
 * The JSON Schemas in /schemas, bundled into the engine so that it needs no file system
 * path at run time. They are the normative description of every kind (SPEC §1).
 */
import common from "../../../schemas/common.schema.json" with { type: "json" };
import policy from "../../../schemas/policy.schema.json" with { type: "json" };
import sop from "../../../schemas/sop.schema.json" with { type: "json" };
import manual from "../../../schemas/manual.schema.json" with { type: "json" };
import licence from "../../../schemas/licence.schema.json" with { type: "json" };
import vendor from "../../../schemas/vendor.schema.json" with { type: "json" };
import system from "../../../schemas/system.schema.json" with { type: "json" };
import framework from "../../../schemas/framework.schema.json" with { type: "json" };
import config from "../../../schemas/policyops.schema.json" with { type: "json" };
import type { Kind } from "../types.js";

export type JsonSchema = Record<string, unknown>;

export const commonSchema = common as JsonSchema;
export const configSchema = config as JsonSchema;
export const kindSchemas: Record<Kind, JsonSchema> = {
  policy: policy as JsonSchema,
  sop: sop as JsonSchema,
  manual: manual as JsonSchema,
  licence: licence as JsonSchema,
  vendor: vendor as JsonSchema,
  system: system as JsonSchema,
  framework: framework as JsonSchema,
};
