import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { PROJECT } from "./helpers/repo.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020;
const DIR = join(PROJECT, "schemas");
const schemas = readdirSync(DIR).filter((f) => f.endsWith(".schema.json")).map((f) => ({ file: f, json: JSON.parse(readFileSync(join(DIR, f), "utf8")) }));

/** Every property schema, anywhere (properties, patternProperties, items, $defs), with its path. */
function* properties(node: unknown, path: string): Generator<[string, Record<string, unknown>]> {
  if (!node || typeof node !== "object") return;
  const n = node as Record<string, unknown>;
  for (const key of ["properties", "$defs"]) {
    for (const [name, sub] of Object.entries((n[key] as Record<string, unknown>) ?? {})) {
      yield [`${path}/${key}/${name}`, sub as Record<string, unknown>];
      yield* properties(sub, `${path}/${key}/${name}`);
    }
  }
  if (n.items) yield* properties(n.items, `${path}/items`);
  for (const key of ["then", "else"]) if (n[key]) yield* properties(n[key], `${path}/${key}`);
}

describe("schemas/", () => {
  it("are JSON Schema 2020-12 with stable $ids, compiling under ajv's strict mode", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    addFormats(ajv);
    // The kind annotations of SPEC §1 "Kinds are data".
    for (const k of ["x-policyops", "x-policyops-ref", "x-policyops-path", "x-policyops-after", "x-policyops-ref-item"]) ajv.addKeyword(k);
    for (const { json } of schemas) {
      expect(json.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(json.$id).toMatch(/^https:\/\/policyops\.dev\/schemas\/v1\/[a-z][a-z-]*\.schema\.json$/);
      ajv.addSchema(json);
    }
    for (const { json } of schemas) expect(() => ajv.getSchema(json.$id)).not.toThrow();
  });

  it("give every field a description and examples, which the editor will show", () => {
    const missing: string[] = [];
    for (const { file, json } of schemas) {
      for (const [path, prop] of properties(json, file)) {
        if (path.includes("/then/")) continue; // a then-branch only restates a requirement
        if (typeof prop.description !== "string" || !prop.description) missing.push(`${path}: description`);
        if (!Array.isArray(prop.examples) || prop.examples.length === 0) missing.push(`${path}: examples`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("cover every kind of SPEC §1 and the config", () => {
    expect(schemas.map((s) => s.file).sort()).toEqual(["asset.schema.json", "audit.schema.json", "budget.schema.json", "change.schema.json", "common.schema.json", "contract.schema.json", "dr-test.schema.json", "framework.schema.json", "incident.schema.json", "licence.schema.json", "manual.schema.json", "policy.schema.json", "policyops.schema.json", "risk.schema.json", "sop.schema.json", "system.schema.json", "training.schema.json", "vendor.schema.json"]);
  });
});
