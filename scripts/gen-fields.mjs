#!/usr/bin/env node
// Writes docs/fields.md, the field reference, from schemas/*.schema.json (which are
// normative): every field of every schema with its type, whether it is required, what it
// means and an example. tests/docs.test.ts fails when the file is not what this writes.
//
//   node scripts/gen-fields.mjs          write docs/fields.md
//   node scripts/gen-fields.mjs --check  exit 1 if docs/fields.md is out of date
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const SCHEMAS = new URL("../schemas/", import.meta.url);
const TARGET = fileURLToPath(new URL("../docs/fields.md", import.meta.url));

const files = readdirSync(SCHEMAS).filter((f) => f.endsWith(".schema.json")).sort();
const byId = new Map(files.map((f) => {
  const s = JSON.parse(readFileSync(new URL(f, SCHEMAS), "utf8"));
  return [s.$id, { file: f, schema: s }];
}));

/** Follows a $ref (absolute or local) to the schema it names, merging local annotations over it. */
function deref(node, base) {
  let n = node;
  let b = base;
  for (let guard = 0; n && n.$ref && guard < 10; guard++) {
    const [uri, pointer = ""] = n.$ref.split("#");
    const doc = uri ? byId.get(uri)?.schema : b;
    if (!doc) break;
    let target = doc;
    for (const part of pointer.split("/").filter(Boolean)) target = target?.[decodeURIComponent(part)];
    const { $ref, ...local } = n;
    n = { ...target, ...local };
    b = doc;
  }
  return { node: n ?? {}, base: b };
}

const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
const code = (v) => "`" + (typeof v === "string" ? v : JSON.stringify(v)) + "`";

function typeOf(node, base) {
  const { node: n, base: b } = deref(node, base);
  if (n.enum) return `one of ${n.enum.map(code).join(", ")}`;
  if (n.const !== undefined) return code(n.const);
  const alts = n.oneOf ?? n.anyOf;
  if (alts) return alts.map((a) => typeOf(a, b)).join(" or ");
  const t = Array.isArray(n.type) ? n.type.join(" or ") : n.type;
  if (t === "array") return n.items ? `list of ${typeOf(n.items, b)}` : "list";
  if (t === "string" && n.format === "date") return "date (YYYY-MM-DD)";
  if (t === "string" && n.format) return `string (${n.format})`;
  if (t === "object" && n.additionalProperties && typeof n.additionalProperties === "object") return `map of ${typeOf(n.additionalProperties, b)}`;
  return t ?? "any";
}

function rows(schema, base, prefix, out, depth) {
  const { node: s, base: b } = deref(schema, base);
  const required = new Set(s.required ?? []);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const { node: p, base: pb } = deref(prop, b);
    const field = `${prefix}${name}`;
    const example = p.examples?.[0];
    const refs = p["x-policyops-ref"] ? ` Names ${[].concat(p["x-policyops-ref"]).map(code).join(" or ")} ids.` : "";
    out.push(`| ${code(field)} | ${cell(typeOf(prop, b))} | ${required.has(name) ? "yes" : ""} | ${cell((p.description ?? "") + refs)} | ${example === undefined ? "" : cell(code(example))} |`);
    if (depth < 3) {
      const inner = p.type === "array" ? deref(p.items ?? {}, pb) : { node: p, base: pb };
      if (inner.node.properties) rows(inner.node, inner.base, `${field}${p.type === "array" ? "[]" : ""}.`, out, depth + 1);
    }
  }
}

export function render() {
  const parts = [
    "# Field reference",
    "",
    "<!-- Generated from schemas/*.schema.json by `node scripts/gen-fields.mjs`; do not edit by hand. -->",
    "",
    "Every field PolicyOps reads, by file kind, as the JSON Schemas in `schemas/` define them",
    "(they are normative: `policyops validate` checks documents against them). Keys starting",
    "with `x-` are allowed everywhere; any other unknown key is an error. Dates are",
    "`YYYY-MM-DD`; quote version numbers (`version: \"1.10\"`).",
    "",
  ];
  for (const f of files) {
    const { schema } = [...byId.values()].find((v) => v.file === f);
    if (!schema.properties) continue; // shared definitions only (common.schema.json)
    parts.push(`## ${schema.title ?? f}`, "", `\`schemas/${f}\``, "");
    if (schema.description) parts.push(schema.description, "");
    const out = ["| field | type | required | meaning | example |", "|---|---|---|---|---|"];
    rows(schema, schema, "", out, 0);
    parts.push(...out, "");
  }
  return parts.join("\n");
}

const text = render();
if (process.argv.includes("--check")) {
  const now = existsSync(TARGET) ? readFileSync(TARGET, "utf8") : "";
  if (now !== text) {
    console.error("docs/fields.md is out of date: run `node scripts/gen-fields.mjs`.");
    process.exit(1);
  }
} else {
  mkdirSync(new URL("../docs/", import.meta.url), { recursive: true });
  writeFileSync(TARGET, text);
  console.log(`wrote ${TARGET}`);
}
