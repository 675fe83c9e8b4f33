// The engine's layer rule (STYLE §14), checked by dependency-cruiser from tests/architecture.test.ts:
//
//   model ← facts ← domain ← rules ← workspace ← reports ← open/index
//
// A layer imports only layers to its left. io/ (the disk, overlays, git, the run cache) is
// injected: the layers use the Host contract (io/host.ts) and the path-containment checks
// (io/safe-path.ts) and name io's types, but only the entry points (open.ts, index.ts,
// changed.ts, and the parse worker threads, facts/parse-{parallel,worker}.ts) reach the disk
// (io/node-host.ts), git or the run cache; the workspace wraps the host it is given in an overlay. Front
// ends (src/cli, src/lsp, src/site, extension/) import the engine only through index.ts.
// config/config.ts (the Config type and its defaults) sits with model; config/load-config.ts
// (reading and checking policyops.yaml, which knows the rule codes) sits just above rules.

const ENGINE = "^src/engine/";
const MODEL = "^src/engine/(model/|config/config\\.ts$)";
const FACTS = "^src/engine/facts/";
const DOMAIN = "^src/engine/domain/";
const RULES = "^src/engine/rules/";
const LOAD_CONFIG = "^src/engine/config/load-config\\.ts$";
const WORKSPACE = "^src/engine/workspace/";
const REPORTS = "^src/engine/reports/";
const TOP = "^src/engine/(open|index|validate|changed)\\.ts$";
const IO = "^src/engine/io/";

/** `from` may not import any of `above`. */
const layer = (name, from, above, comment) => ({
  name: `layer-${name}`,
  severity: "error",
  comment,
  from: { path: from },
  to: { path: `(${above.join("|")})` },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    layer("model", MODEL, [FACTS, DOMAIN, RULES, LOAD_CONFIG, WORKSPACE, REPORTS, TOP], "model/ (types, kinds, dates, errors, suggestions) imports no other layer of the engine."),
    layer("facts", FACTS, [DOMAIN, RULES, LOAD_CONFIG, WORKSPACE, REPORTS, TOP], "facts/ (reading and parsing files) imports only model/."),
    layer("domain", DOMAIN, [RULES, LOAD_CONFIG, WORKSPACE, REPORTS, TOP], "domain/ (renewal, reviews, references, controls) imports only model/ and facts/."),
    layer("rules", RULES, [LOAD_CONFIG, WORKSPACE, REPORTS, TOP], "rules/ import model/, facts/ and domain/, never the workspace, a report or the entry points."),
    layer("load-config", LOAD_CONFIG, [WORKSPACE, REPORTS, TOP], "Loading the config may know the rules, not the workspace."),
    layer("workspace", WORKSPACE, [REPORTS, TOP], "workspace/ does not know the reports or the entry points."),
    layer("reports", REPORTS, [TOP], "reports/ are built on a loaded workspace, never on open.ts or index.ts."),
    {
      name: "io-is-injected",
      severity: "error",
      comment: "The layers use the Host contract and io/safe-path.ts's checks and name io/'s types; only the entry points reach the disk, git or the run cache.",
      from: { path: `(${MODEL}|${FACTS}|${DOMAIN}|${RULES}|${LOAD_CONFIG}|${REPORTS})`, pathNot: "^src/engine/facts/parse-(parallel|worker)\\.ts$" },
      to: { path: IO, pathNot: "^src/engine/io/(host|safe-path)\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "io-below-the-checks",
      severity: "error",
      comment: "io/ may read facts, not rules, reports or entry points (the workspace only by type).",
      from: { path: IO },
      to: { path: `(${RULES}|${REPORTS}|${TOP})` },
    },
    {
      name: "front-ends-use-the-public-api",
      severity: "error",
      comment: "The CLI, language server, site and extension import the engine only through src/engine/index.ts.",
      from: { path: "^(src/(cli|lsp|site)/|extension/)" },
      to: { path: ENGINE, pathNot: "^src/engine/index\\.ts$" },
    },
    {
      name: "engine-knows-no-front-end",
      severity: "error",
      from: { path: ENGINE },
      to: { path: "^(src/(cli|lsp|site)/|extension/)" },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles (type-only imports included).",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)fixtures/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".json"] },
  },
};
