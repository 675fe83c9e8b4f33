// The peers `npm run bench` compares against, each run on a scratch copy of the corpus
// (they write their configuration into the folder they check) and timed as whole processes
// by the same helper as policyops (bench/measure.mjs).
//
// Each checks only part of what policyops checks, so each has a scope: the files it reads
// and the classes of defect it can report. A peer is credited with an injected defect only
// when the defect is in its scope and the peer reported, on that file (and line, where both
// give one), a message of the same class (e.g. remark-lint-frontmatter-schema's
// `#/properties/status/enum` for `schema/enum`). Any other message is counted apart as
// "other messages" (style notes, or false alarms such as ajv-cli reading 2026-01-01 as a
// YAML 1.1 timestamp: `must be string`). markdownlint checks Markdown style, which no
// injected defect is: it is a speed reference only, credited with nothing.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeMeasured } from "./measure.mjs";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const BIN = (p) => join(PROJECT, "node_modules", p);

/** Our 2020-12 schemas with every $ref inlined and no $schema/$id/$defs: what draft-07 tools read. */
export function standaloneSchemas(outDir) {
  const dir = join(PROJECT, "schemas");
  const all = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith(".schema.json")).map((f) => {
    const s = JSON.parse(readFileSync(join(dir, f), "utf8"));
    return [s.$id, s];
  }));
  const resolve = (ref) => {
    const [base, ptr = ""] = ref.split("#");
    let node = all[base];
    for (const part of ptr.split("/").slice(1)) node = node?.[part];
    return node;
  };
  const inline = (node, depth = 0) => {
    if (Array.isArray(node)) return node.map((n) => inline(n, depth));
    if (!node || typeof node !== "object" || depth > 30) return node;
    let out = {};
    if (typeof node.$ref === "string") out = { ...inline(resolve(node.$ref), depth + 1) };
    for (const [k, v] of Object.entries(node)) if (!["$ref", "$schema", "$id", "$defs"].includes(k)) out[k] = inline(v, depth + 1);
    return out;
  };
  mkdirSync(outDir, { recursive: true });
  const files = {};
  // Every schema that validates a document (the config's and the shared definitions' aside).
  for (const [id, schema] of Object.entries(all)) {
    const kind = /\/([a-z0-9-]+)\.schema\.json$/.exec(id)?.[1];
    if (!kind || kind === "common" || kind === "policyops") continue;
    const file = join(outDir, `${kind}.schema.json`);
    writeFileSync(file, JSON.stringify(inline(schema), null, 1));
    files[kind] = file;
  }
  return files;
}

/** `additionalProperties` → `additional-properties`: a JSON Schema keyword as a policyops code's second half. */
const kebab = (keyword) => keyword.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const strip = (text) => text.replace(/\u001b\[[0-9;]*m/g, "");

/**
 * remark prints a file name, then indented `line:col[-line:col] warning message … #/schema/path rule`
 * lines. remark-lint-frontmatter-schema ends each schema message with the schema path
 * whose last part is the keyword; anything else (a YAML error) is class `parse/yaml`.
 */
export function remarkMessages(text) {
  const out = [];
  let current = null;
  for (const line of strip(text).split("\n")) {
    if (/^\S.*\.md$/.test(line.trim()) && !/^\s/.test(line)) current = line.trim();
    const m = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(?:warning|error|info)\s+(.*)$/.exec(line);
    if (!current || !m) continue;
    const keyword = /#\/(?:[^\s]*\/)?([A-Za-z]+)\s/.exec(m[3] + " ")?.[1];
    const cls = keyword ? `schema/${kebab(keyword)}` : /yaml/i.test(m[3]) ? "parse/yaml" : "other";
    out.push({ file: current, line: Number(m[1]), class: cls, text: m[3] });
  }
  return out;
}

/**
 * ajv-cli with `--errors=line` prints `FILE invalid` then a JSON array of errors, one
 * message per error (class `schema/<keyword>`, no line: ajv gives an instance path), and a
 * file it cannot parse as `error: …` without naming the file (not attributable).
 */
export function ajvMessages(text) {
  const out = [];
  let current = null;
  for (const line of strip(text).split("\n")) {
    const f = /^(\S+\.ya?ml) invalid$/.exec(line.trim());
    if (f) {
      current = f[1];
      continue;
    }
    if (current && line.trim().startsWith("[")) {
      let errors = [];
      try {
        errors = JSON.parse(line);
      } catch {}
      for (const e of errors) out.push({ file: current, line: null, class: `schema/${kebab(String(e.keyword))}`, text: `${e.instancePath} ${e.message}` });
      current = null;
    } else if (/^error:/.test(line.trim())) out.push({ file: null, line: null, class: "parse/yaml", text: line.trim() });
  }
  return out;
}

/**
 * Credit: an injected defect in the peer's scope is found when the peer reported a message
 * of the same class on its file (and on its line, when both give one). Other messages: the
 * peer's messages that match no injected defect (in or out of its scope).
 */
export function credit(messages, expected, inScope) {
  const scoped = expected.filter(inScope);
  const matches = (m, e) => m.file === e.file && m.class === e.code && (m.line === null || e.line === null || m.line === e.line);
  const found = scoped.filter((e) => messages.some((m) => matches(m, e))).length;
  const other = messages.filter((m) => !scoped.some((e) => matches(m, e))).length;
  return { found, of: scoped.length, other };
}

/** Classes of defect a schema checker can report: schema keywords, and YAML it cannot parse. */
const schemaClass = (code) => code.startsWith("schema/") || code === "parse/yaml";

/**
 * Runs the peers in `root` (a scratch copy: they write their configuration into it).
 * `layout` is [{kind, folder, format}] as policyops reported the corpus's documents.
 */
export function runPeers(root, expected, layout) {
  const schemas = standaloneSchemas(join(root, ".peer-schemas"));
  const markdown = layout.filter((l) => l.format === "markdown" && schemas[l.kind]);
  const records = layout.filter((l) => l.format === "yaml" && schemas[l.kind]);
  const inFolders = (folders) => (file) => folders.some((l) => file.startsWith(`${l.folder}/`));
  const results = [];

  // remark-cli + remark-frontmatter + remark-lint-frontmatter-schema: front-matter schemas only.
  // Plugins are imported by absolute URL: the scratch copy has no node_modules.
  const rel = (f) => f.slice(root.length + 1);
  const url = (name) => import.meta.resolve(name);
  writeFileSync(join(root, ".remarkrc.mjs"), `import remarkFrontmatter from ${JSON.stringify(url("remark-frontmatter"))};\nimport schema from ${JSON.stringify(url("remark-lint-frontmatter-schema"))};\nexport default { plugins: [remarkFrontmatter, [schema, { schemas: ${JSON.stringify(Object.fromEntries(markdown.map((l) => [rel(schemas[l.kind]), [`${l.folder}/**/*.md`]])))} }]] };\n`);
  const remark = nodeMeasured([BIN("remark-cli/cli.js"), ...markdown.map((l) => l.folder), "--quiet", "--no-stdout"], { cwd: root });
  const mdInScope = inFolders(markdown);
  results.push({
    name: "remark-cli + remark-lint-frontmatter-schema", checks: "front-matter schemas", scope: "`schema/*`, `parse/yaml` in Markdown front matter",
    ...remark, ...credit(remarkMessages(remark.stderr + remark.stdout), expected, (e) => mdInScope(e.file) && schemaClass(e.code)),
  });

  // markdownlint-cli2, default rules: Markdown style, no schemas, no cross-file checks: speed only.
  const mdl = nodeMeasured([BIN("markdownlint-cli2/markdownlint-cli2-bin.mjs"), ...markdown.map((l) => `${l.folder}/**/*.md`)], { cwd: root });
  const mdlMessages = strip(mdl.stdout + mdl.stderr).split("\n").filter((l) => /^\S+\.md:\d+/.test(l)).length;
  results.push({ name: "markdownlint-cli2 (default rules)", checks: "Markdown style (speed reference only)", scope: "none of the injected defects", ...mdl, found: null, of: 0, other: mdlMessages });

  // ajv-cli over the YAML records, one process per kind (times and CPU summed, peak RSS the largest).
  const ajv = { wallMs: 0, cpuMs: 0, maxRssKiB: 0, text: "" };
  for (const l of records) {
    const r = nodeMeasured([BIN("ajv-cli/dist/index.js"), "validate", "-s", schemas[l.kind], "-d", `${l.folder}/*.yaml`, "-c", "ajv-formats", "--all-errors", "--errors=line", "--strict=false"], { cwd: root });
    ajv.wallMs += r.wallMs;
    ajv.cpuMs = r.cpuMs == null || ajv.cpuMs == null ? null : ajv.cpuMs + r.cpuMs;
    ajv.maxRssKiB = Math.max(ajv.maxRssKiB, r.maxRssKiB ?? 0);
    ajv.text += r.stdout + r.stderr;
  }
  const recInScope = inFolders(records);
  results.push({
    name: `ajv-cli (YAML records, ${records.length} processes)`, checks: "record schemas", scope: "`schema/*`, `parse/yaml` in YAML records",
    wallMs: ajv.wallMs, cpuMs: ajv.cpuMs, maxRssKiB: ajv.maxRssKiB, ...credit(ajvMessages(ajv.text), expected, (e) => recInScope(e.file) && schemaClass(e.code)),
  });
  return results;
}
