#!/usr/bin/env node
// Bundles the engine (library API), the CLI and the parse worker with esbuild. One file
// each keeps start-up fast: a warm `validate --cache` spends most of its time starting.
import { build } from "esbuild";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
// CommonJS dependencies (ajv, commander) call require(); give the ESM bundle one.
const banner = { js: "import { createRequire as __policyopsCreateRequire } from 'node:module'; const require = __policyopsCreateRequire(import.meta.url);" };
const common = { bundle: true, platform: "node", format: "esm", target: "node20", sourcemap: true, banner, logLevel: "warning", legalComments: "none" };

// Three self-contained bundles in one folder: the worker is found next to whichever
// bundle starts it (`new URL("./parse-worker.js", import.meta.url)`).
await build({
  ...common,
  entryPoints: { engine: "src/engine/index.ts", cli: "src/cli/main.ts", "parse-worker": "src/engine/load/parse-worker.ts" },
  outdir: "dist",
});
