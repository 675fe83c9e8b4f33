// The peers `npm run bench` compares against, each run on the same corpus as policyops.
// Each checks only part of what policyops checks; for each we report wall time, peak
// RSS, and which of the corpus's injected defects it flagged (by file: a peer that names
// the file of a defect is credited with it, whatever it said).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { timeNode } from "./measure.mjs";

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
  for (const kind of ["policy", "sop", "manual", "licence", "vendor", "system"]) {
    const file = join(outDir, `${kind}.schema.json`);
    writeFileSync(file, JSON.stringify(inline(all[`https://policyops.dev/schemas/v1/${kind}.schema.json`]), null, 1));
    files[kind] = file;
  }
  return files;
}

/**
 * What a peer reported, as `{file, line}` (line null when the tool gives no positions).
 * remark prints a file name, then indented `line:col` messages; markdownlint prints
 * `file:line[:col] rule`; ajv-cli prints `file invalid` with no position at all.
 */
function reported(text, style) {
  const out = [];
  const clean = text.replace(/\u001b\[[0-9;]*m/g, "");
  const FILE = /^((?:policies|sops|manuals|licences|vendors|systems|frameworks)\/[\w./-]+\.(?:md|ya?ml))/;
  let current = null;
  for (const line of clean.split("\n")) {
    if (style === "remark") {
      const f = FILE.exec(line.trim());
      if (f && !/^\s/.test(line)) current = f[1];
      const m = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(?:warning|error|info)/.exec(line);
      if (current && m) out.push({ file: current, line: Number(m[1]) });
      else if (current && /^\s+(warning|error)/.test(line)) out.push({ file: current, line: null });
    } else if (style === "markdownlint") {
      const m = /^((?:policies|sops|manuals)\/[\w./-]+\.md):(\d+)/.exec(line);
      if (m) out.push({ file: m[1], line: Number(m[2]) });
    } else {
      const m = /^((?:licences|vendors|systems)\/[\w./-]+\.ya?ml) invalid/.exec(line);
      if (m) out.push({ file: m[1], line: null });
    }
  }
  return out;
}

/** How many injected defects a peer reported where they are (same file; same line when both have one), and how many of its messages point at no defect. */
function credit(messages, expected) {
  const found = expected.filter((e) => messages.some((m) => m.file === e.file && (m.line === null || e.line === null || m.line === e.line))).length;
  const elsewhere = messages.filter((m) => !expected.some((e) => e.file === m.file && (m.line === null || e.line === null || m.line === e.line))).length;
  return { found, of: expected.length, elsewhere };
}

export function runPeers(root, expected) {
  // Inside the corpus: remark-lint-frontmatter-schema resolves schema paths from the workspace root.
  const schemas = standaloneSchemas(join(root, ".peer-schemas"));
  const results = [];

  // remark-cli + remark-frontmatter + remark-lint-frontmatter-schema: front-matter schemas only.
  const rc = join(root, ".remarkrc.mjs");
  const rel = (f) => f.slice(root.length + 1);
  writeFileSync(rc, `import remarkFrontmatter from "remark-frontmatter";\nimport schema from "remark-lint-frontmatter-schema";\nexport default { plugins: [remarkFrontmatter, [schema, { schemas: ${JSON.stringify({ [rel(schemas.policy)]: ["policies/**/*.md"], [rel(schemas.sop)]: ["sops/**/*.md"], [rel(schemas.manual)]: ["manuals/**/*.md"] })} }]] };\n`);
  const remark = timeNode([BIN("remark-cli/cli.js"), ".", "--quiet", "--no-stdout", "--ignore-pattern", "README.md"], { cwd: root });
  results.push({ name: "remark-cli + remark-lint-frontmatter-schema", checks: "front-matter schemas", wallMs: remark.wallMs, maxRssKiB: remark.maxRssKiB, ...credit(reported(remark.stderr + remark.stdout, "remark"), expected) });

  // markdownlint-cli2, default rules: Markdown style, no schemas, no cross-file checks.
  const mdl = timeNode([BIN("markdownlint-cli2/markdownlint-cli2-bin.mjs"), "policies/**/*.md", "sops/**/*.md", "manuals/**/*.md"], { cwd: root });
  results.push({ name: "markdownlint-cli2 (default rules)", checks: "Markdown style", wallMs: mdl.wallMs, maxRssKiB: mdl.maxRssKiB, ...credit(reported(mdl.stderr + mdl.stdout, "markdownlint"), expected) });

  // ajv-cli over the YAML records, one process per kind.
  let wall = 0;
  let rss = 0;
  let text = "";
  for (const [kind, folder] of [["licence", "licences"], ["vendor", "vendors"], ["system", "systems"]]) {
    const r = timeNode([BIN("ajv-cli/dist/index.js"), "validate", "-s", schemas[kind], "-d", `${folder}/*.yaml`, "-c", "ajv-formats", "--all-errors", "--errors=line", "--strict=false"], { cwd: root });
    wall += r.wallMs;
    rss = Math.max(rss, r.maxRssKiB ?? 0);
    text += r.stdout + r.stderr;
  }
  results.push({ name: "ajv-cli (YAML records, 3 processes)", checks: "record schemas", wallMs: wall, maxRssKiB: rss, ...credit(reported(text, "ajv"), expected) });
  return results;
}
