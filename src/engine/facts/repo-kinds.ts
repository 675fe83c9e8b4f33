/**
 * A repository's own kinds: `kinds/<kind>.schema.json`, each a JSON Schema (2020-12) with
 * an `x-policyops` block like the built-in ones (SPEC §1). A bad one is a usage error that
 * names the file and the reason: validating with a kind half understood would be wrong.
 */
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { UsageError } from "../model/errors.js";
import type { Host } from "../io/host.js";
import { compileKindSchema } from "./validator.js";
import type { JsonSchema } from "../model/schemas.js";
import { BUILTIN_KINDS, KIND_BLOCK_SCHEMA, KindRegistry, kindFromSchema, type KindDef } from "../model/kinds.js";

/** Where a repository keeps its own kinds (SPEC §1). */
export const KINDS_FOLDER = "kinds";
const MAX_KIND_BYTES = 1024 * 1024;

let checkBlock: ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

function blockProblem(block: unknown): string | null {
  checkBlock ??= new Ajv2020({ allErrors: false, strict: true }).compile(KIND_BLOCK_SCHEMA);
  if (checkBlock(block)) return null;
  const e = checkBlock.errors?.[0];
  const where = e?.instancePath ? `\`x-policyops${e.instancePath.replace(/\//g, ".")}\`` : "`x-policyops`";
  return `${where} ${e?.message ?? "is not valid"}`;
}

/** Reads one kind schema: the definition, or a UsageError naming the file and reason. */
function readKind(root: string, file: string, host: Host): JsonSchema {
  const fail = (reason: string): never => {
    throw new UsageError(`${file}: ${reason}`);
  };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(host.readFile(join(root, file), MAX_KIND_BYTES));
  } catch (e) {
    return fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); make it a UTF-8 JSON file under 1 MB`);
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (e) {
    return fail(`is not valid JSON (${(e as Error).message}); fix the syntax`);
  }
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return fail("is not a JSON Schema object; write one `{ ... }` with an `x-policyops` block");
  const s = schema as JsonSchema;
  const stem = file.slice(KINDS_FOLDER.length + 1, -".schema.json".length);
  if (s["x-policyops"] === undefined) return fail(`has no \`x-policyops\` block; add \`"x-policyops": { "kind": "${stem}", "folder": "…", "format": "yaml" }\``);
  const problem = blockProblem(s["x-policyops"]);
  if (problem) return fail(`${problem}; see SPEC §1 "Kinds are data" for the block's fields`);
  const kind = (s["x-policyops"] as { kind: string }).kind;
  if (kind !== stem) return fail(`declares kind \`${kind}\` but is named \`${stem}.schema.json\`; rename the file or the kind so they agree`);
  if (BUILTIN_KINDS.has(kind)) return fail(`redefines the built-in kind \`${kind}\`; choose another name (a built-in kind's folder can be moved with \`paths\` in policyops.yaml)`);
  if (s.type !== "object") return fail("must describe a mapping; add `\"type\": \"object\"`");
  return s;
}

/**
 * The built-in kinds plus the repository's `kinds/*.schema.json`. Each schema is checked
 * (its block, its file name, references to known kinds, and that ajv compiles it) before
 * any document is read.
 */
export function loadKinds(root: string, host: Host): KindRegistry {
  const dir = join(root, KINDS_FOLDER);
  let entries: { name: string; isFile: boolean }[];
  try {
    if (!host.stat(dir).isDirectory) return BUILTIN_KINDS;
    entries = host.readdir(dir);
  } catch {
    return BUILTIN_KINDS;
  }
  const files = entries.filter((e) => e.name.endsWith(".schema.json")).map((e) => `${KINDS_FOLDER}/${e.name}`).sort();
  if (files.length === 0) return BUILTIN_KINDS;
  const own: KindDef[] = [];
  for (const file of files) {
    const schema = readKind(root, file, host);
    if (schema.$id === undefined) schema.$id = `https://policyops.dev/repository/kinds/${(schema["x-policyops"] as { kind: string }).kind}.schema.json`;
    try {
      compileKindSchema(schema);
    } catch (e) {
      throw new UsageError(`${file}: is not a valid JSON Schema (${(e as Error).message}); correct the schema`);
    }
    own.push(kindFromSchema(schema, file, false));
  }
  const registry = new KindRegistry([...BUILTIN_KINDS.defs, ...own]);
  const folders = new Map(BUILTIN_KINDS.defs.map((d) => [d.folder, d.kind]));
  for (const def of own) {
    const clash = folders.get(def.folder);
    if (clash) throw new UsageError(`${def.source}: folder \`${def.folder}\` is already the folder of kind \`${clash}\`; give the kind a folder of its own`);
    folders.set(def.folder, def.kind);
    for (const ref of def.references) {
      if (ref.kinds === "any") continue;
      const unknown = ref.kinds.find((k) => !registry.has(k));
      if (unknown) throw new UsageError(`${def.source}: \`${ref.field}\` references the unknown kind \`${unknown}\` in \`x-policyops-ref\`; name one of ${registry.names().map((n) => `\`${n}\``).join(", ")}`);
    }
  }
  return registry;
}
