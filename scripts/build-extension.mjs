#!/usr/bin/env node
// Builds the VS Code extension in extension/:
//   - extension/package.json `activationEvents`, derived from the kinds' schemas (every
//     `x-policyops.folder`, with its format's file extensions) plus policyops.yaml and
//     kinds/*.schema.json: no list of kinds is written by hand;
//   - extension/dist/extension.js: the client, bundled with esbuild (vscode-languageclient
//     inside, `vscode` external), CommonJS as the extension host loads it;
//   - extension/dist/server/: the engine's own bundles (dist/cli.js, which serves
//     `policyops lsp --stdio`, or dist/lsp.js when the build makes the server its own bundle,
//     and the parse worker beside it) with a package.json marking
//     them ESM, and the schemas and catalogues, so nothing is installed in the user's repository.
// `npm run build` runs it after the engine's bundles (it takes about a second); alone:
// `npm run extension:build`.
import { build } from "esbuild";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXT = join(ROOT, "extension");

/** `workspaceContains:` events for policyops.yaml, the repository's own kinds and every built-in kind's folder. */
export function activationEvents() {
  const events = new Set(["workspaceContains:policyops.yaml", "workspaceContains:kinds/*.schema.json"]);
  for (const f of readdirSync(join(ROOT, "schemas")).filter((f) => f.endsWith(".schema.json")).sort()) {
    const meta = JSON.parse(readFileSync(join(ROOT, "schemas", f), "utf8"))["x-policyops"];
    if (!meta?.folder) continue;
    events.add(`workspaceContains:${meta.folder}/**/*.${meta.format === "markdown" ? "md" : "{yaml,yml}"}`);
  }
  return [...events];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const manifestFile = join(EXT, "package.json");
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  const events = activationEvents();
  if (JSON.stringify(manifest.activationEvents) !== JSON.stringify(events)) {
    manifest.activationEvents = events;
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  }
  const serverFiles = [existsSync(join(ROOT, "dist", "lsp.js")) ? "lsp.js" : "cli.js", "parse-worker.js"];
  for (const f of serverFiles) {
    if (!existsSync(join(ROOT, "dist", f))) {
      process.stderr.write(`build-extension: \`dist/${f}\` is missing; run \`npm run build\` first.\n`);
      process.exit(1);
    }
  }
  const out = join(EXT, "dist");
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: [join(EXT, "src", "extension.ts")],
    outfile: join(out, "extension.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["vscode"],
    minify: true,
    keepNames: true,
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const server = join(out, "server");
  mkdirSync(server, { recursive: true });
  // The server's bundle and the worker it starts from its own folder (no maps, no types).
  for (const f of serverFiles) copyFileSync(join(ROOT, "dist", f), join(server, f));
  writeFileSync(join(server, "package.json"), JSON.stringify({ type: "module", private: true }, null, 2) + "\n");
  cpSync(join(ROOT, "schemas"), join(out, "schemas"), { recursive: true });
  cpSync(join(ROOT, "src", "engine", "domain", "frameworks", "catalogs"), join(out, "catalogs"), { recursive: true, filter: (p) => !p.includes(`${"/"}source`) });
  process.stderr.write(`build-extension: extension/dist built in ${Date.now() - started} ms\n`);
}
