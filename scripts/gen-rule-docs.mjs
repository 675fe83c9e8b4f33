#!/usr/bin/env node
// Writes the header of every rule's README (src/engine/rules/<code>/README.md) from the
// rule's `meta`: its code as the title, severity, what it applies to, description, and
// every message id with its template. The header ends at the END marker; the hand-written
// prose below it (what it checks, why, how to fix, examples) is left as it is. A README
// without markers gets its header replaced up to its first `## ` heading.
// tests/rules-meta.test.ts fails when a header is not what this writes.
//
// It reads the built engine (dist/engine.js: run `npm run build` first), so the header
// shows the registered rules exactly as the engine has them.
//
//   node scripts/gen-rule-docs.mjs          rewrite the headers
//   node scripts/gen-rule-docs.mjs --check  exit 1, naming each stale README, if any is out of date
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

const ENGINE = fileURLToPath(new URL("../dist/engine.js", import.meta.url));
const RULES_DIR = new URL("../src/engine/rules/", import.meta.url);
export const BEGIN = "<!-- BEGIN header generated from the rule's meta by `node scripts/gen-rule-docs.mjs`: edit rule.ts, not this block -->";
export const END = "<!-- END generated header -->";

const code = (v) => "`" + v + "`";
/** A table cell: `|` escaped, one line. */
const cell = (s) => String(s).replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/**
 * What the rule looks at: the selection its meta declares (`appliesTo`: a trait, fields the
 * kind's schema declares, or a predicate) and, as an example, the built-in kinds it selects
 * today (`kinds`, the built-in definitions and `applies` from the engine).
 */
function appliesTo(meta, engine) {
  const to = meta.appliesTo;
  if (to === undefined) return "every kind";
  const builtin = engine ? engine.BUILTIN_KINDS.defs.filter((d) => engine.applies(to, d)).map((d) => code(d.kind)) : [];
  const now = builtin.length ? ` (built in: ${builtin.join(", ")})` : "";
  if (typeof to === "function") return `kinds its predicate selects${now}`;
  if (to.trait) return `kinds with the ${code(to.trait)} trait${now}`;
  if (to.fields) return `kinds whose schema declares ${to.fields.map(code).join(", ")}${now}`;
  return "every kind";
}

export function header(meta, engine) {
  const lines = [
    `# ${meta.code}`,
    "",
    BEGIN,
    "",
    `Severity: ${code(meta.severity)} · Applies to: ${appliesTo(meta, engine)}`,
    "",
    meta.description,
    "",
    "| Message id | Message |",
    "|---|---|",
    ...Object.entries(meta.messages).map(([id, template]) => `| ${code(id)} | ${cell(template)} |`),
    "",
    `Messages fill \`{placeholders}\` from the finding's data; \`{n, plural, …}\` picks the wording for the number \`n\`.`,
    "",
    END,
  ];
  return lines.join("\n") + "\n";
}

/** The README with its header replaced; throws if there is no END marker and no `## ` heading to stop at. */
export function withHeader(readme, meta, engine) {
  const text = readme.replace(/\r\n/g, "\n");
  const end = text.indexOf(END);
  let rest;
  if (end >= 0) rest = text.slice(end + END.length).replace(/^\n+/, "");
  else {
    const h2 = text.search(/^## /m);
    if (h2 < 0) throw new Error(`${meta.code}/README.md has neither ${END} nor a \`## \` heading; add a \`## What it checks\` section`);
    rest = text.slice(h2);
  }
  return header(meta, engine) + "\n" + rest;
}

async function main() {
  if (!existsSync(ENGINE)) {
    process.stderr.write("gen-rule-docs: dist/engine.js is missing; run `npm run build` first.\n");
    process.exit(2);
  }
  const engine = await import(pathToFileURL(ENGINE).href);
  const { RULES } = engine;
  const check = process.argv.includes("--check");
  const stale = [];
  for (const rule of RULES) {
    const file = fileURLToPath(new URL(`${rule.meta.code}/README.md`, RULES_DIR));
    if (!existsSync(file)) {
      stale.push(`src/engine/rules/${rule.meta.code}/README.md (missing: write its prose first)`);
      continue;
    }
    const before = readFileSync(file, "utf8");
    const after = withHeader(before, rule.meta, engine);
    if (after === before) continue;
    if (check) stale.push(`src/engine/rules/${rule.meta.code}/README.md`);
    else writeFileSync(file, after);
  }
  if (stale.length) {
    process.stderr.write(`gen-rule-docs: ${stale.length} rule README${stale.length === 1 ? " is" : "s are"} out of date (${stale.join(", ")}); run \`node scripts/gen-rule-docs.mjs\`.\n`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
