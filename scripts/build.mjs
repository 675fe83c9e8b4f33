#!/usr/bin/env node
// Bundles the engine (library API), the CLI and the parse worker with esbuild. One file
// each keeps start-up fast: a warm `validate --cache` spends most of its time starting.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
// CommonJS dependencies (ajv, commander) call require(); give the ESM bundle one.
const banner = { js: "import { createRequire as __policyopsCreateRequire } from 'node:module'; const require = __policyopsCreateRequire(import.meta.url);" };
// A fingerprint of everything that shapes parse results (sources, schemas, catalogues):
// caches written by another build are never trusted, even at the same version number.
const hash = createHash("sha256");
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (name === "fixtures") continue;
    if (statSync(p).isDirectory()) walk(p);
    else hash.update(p).update(readFileSync(p));
  }
};
for (const dir of ["src", "schemas"]) walk(new URL(`../${dir}`, import.meta.url).pathname);
hash.update(readFileSync(new URL("../package-lock.json", import.meta.url)));
const BUILD_ID = hash.digest("hex").slice(0, 16);

// ajv's standalone code for every schema, so no run compiles schemas at start-up. It
// replaces src/engine/facts/precompiled.ts (which exports null) inside the bundles.
function precompiledValidators() {
  const Ajv2020 = require("ajv/dist/2020").default;
  const addFormats = require("ajv-formats");
  const standaloneCode = require("ajv/dist/standalone").default;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, code: { source: true, esm: true } }); // ajv-formats points the generated code at its own formats
  addFormats(ajv);
  // The kind annotations (SPEC §1 "Kinds are data"), as src/engine/model/schemas.ts lists them.
  for (const k of ["x-policyops", "x-policyops-ref", "x-policyops-path", "x-policyops-after", "x-policyops-ref-item"]) ajv.addKeyword(k);
  const schemas = builtinSchemaJson();
  for (const s of schemas) ajv.addSchema(s);
  const refs = Object.fromEntries(schemas.map((s, i) => [`v${i}`, s.$id]));
  const code = standaloneCode(ajv, refs);
  const table = schemas.map((s, i) => `${JSON.stringify(s.$id)}: v${i}`).join(",\n  ");
  return `${code}\nexport const precompiled = {\n  ${table}\n};\n`;
}
/** Every schema in /schemas, in file-name order: what src/engine/model/builtin-schemas.ts reads from source. */
function builtinSchemaJson() {
  return readdirSync(new URL("../schemas", import.meta.url)).filter((f) => f.endsWith(".schema.json")).sort().map((f) => JSON.parse(readFileSync(new URL(`../schemas/${f}`, import.meta.url), "utf8")));
}
const precompiledPlugin = {
  name: "policyops-precompiled-validators",
  setup(b) {
    const code = precompiledValidators();
    // The specifier as validator.ts writes it; checked against the importer to be exact.
    b.onResolve({ filter: /^\.\/precompiled\.js$/ }, (args) =>
      /facts[\\/]validator\.ts$/.test(args.importer) ? { path: "precompiled-validators", namespace: "policyops" } : undefined,
    );
    b.onLoad({ filter: /^precompiled-validators$/, namespace: "policyops" }, () => ({ contents: code, loader: "js", resolveDir: new URL("..", import.meta.url).pathname }));
    // The schemas themselves, embedded: a bundle reads no /schemas folder at run time.
    b.onResolve({ filter: /^\.\/builtin-schemas\.js$/ }, (args) =>
      /model[\\/]schemas\.ts$/.test(args.importer) ? { path: "builtin-schemas", namespace: "policyops" } : undefined,
    );
    b.onLoad({ filter: /^builtin-schemas$/, namespace: "policyops" }, () => ({ contents: `export const builtinSchemas = ${JSON.stringify(builtinSchemaJson())};\n`, loader: "js" }));
  },
};

const common = { bundle: true, minify: true, keepNames: true, plugins: [precompiledPlugin], define: { __POLICYOPS_BUILD__: JSON.stringify(BUILD_ID) }, platform: "node", format: "esm", target: "node20", sourcemap: true, banner, logLevel: "warning", legalComments: "none" };

// Four self-contained bundles (the language server too: the VS Code extension ships dist/lsp.js) in one folder: the worker is found next to whichever
// bundle starts it (`new URL("./parse-worker.js", import.meta.url)`).
await build({
  ...common,
  entryPoints: { engine: "src/engine/index.ts", "parse-worker": "src/engine/facts/parse-worker.ts", lsp: "src/lsp/main.ts", "site-worker": "src/site/render-worker.ts", "site-search-worker": "src/site/search-worker.ts", "site-write-worker": "src/site/write-worker.ts" },
  outdir: "dist",
});
// The daemon's client, as CommonJS: bin/policyops.js is CommonJS too (bin/package.json), so a
// run the daemon serves never starts Node's ESM loader (~10 ms of a ~0.3 s run). Node's own
// modules only.
await build({ bundle: true, minify: true, keepNames: true, define: common.define, platform: "node", format: "cjs", target: "node20", sourcemap: true, logLevel: "warning", legalComments: "none", entryPoints: { "daemon-client": "src/cli/daemon/client.ts" }, outdir: "dist", outExtension: { ".js": ".cjs" } });
// The CLI alone is split: main.ts imports each command when it is asked for, and each
// command's code (the site builder, calendars, report formats) is a chunk of its own, so a
// run of `validate` compiles and starts only what validate uses. The chunks sit beside
// cli.js, so `new URL("./parse-worker.js", import.meta.url)` still finds the worker.
await build({ ...common, entryPoints: { cli: "src/cli/main.ts" }, outdir: "dist", splitting: true, chunkNames: "cli-[name]-[hash]" });
