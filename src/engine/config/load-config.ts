import { isAbsolute, join, posix, relative } from "node:path";
import { isInside, PathRefused, realRootOf } from "../io/safe-path.js";
import { ConfigError } from "../model/errors.js";
import { isSymlinkVia, type Host } from "../io/host.js";
import { LineIndex } from "../facts/line-index.js";
import { decodeText } from "../facts/decode.js";
import { parseYamlRecord } from "../facts/yaml-record.js";
import { rangeFor } from "../facts/parse-file.js";
import { validateConfigValues } from "../facts/validator.js";
import { isKnownCode, ruleCodes } from "../rules/registry.js";
import { closest } from "../model/suggestions.js";
import { configFrom, defaultConfig, type Config } from "./config.js";
import type { Range } from "../model/types.js";
import { kinds } from "../model/kinds.js";

export const CONFIG_FILES = ["policyops.yaml", "policyops.yml"];
const MAX_CONFIG_BYTES = 1024 * 1024;

/** A `paths` folder that is absolute or climbs out with `..` (its real path is checked at load). */
function leavesLexically(folder: string): boolean {
  const f = folder.replace(/\\/g, "/");
  if (f.startsWith("/") || /^[A-Za-z]:/.test(f)) return true;
  const n = posix.normalize(f);
  return n === ".." || n.startsWith("../");
}

/**
 * Reads `policyops.yaml` (or the file given with `--config`) and fills in defaults.
 * Anything wrong with it is a ConfigError naming the file, line and reason: a wrong
 * config silently ignored would validate the wrong thing.
 */
export function loadConfig(root: string, host: Host, explicit?: string, cwd?: string): Config {
  let path: string | undefined;
  if (explicit) {
    // Named on the command line by the person running the tool: it may live anywhere, but
    // it is still never a FIFO or device, and never read past the cap.
    if (!isAbsolute(explicit) && cwd === undefined && !host.cwd) throw new ConfigError(explicit, 1, 1, "is a relative path and this host has no working directory; give an absolute path");
    path = isAbsolute(explicit) ? explicit : join(cwd ?? host.cwd!(), explicit);
    if (!host.exists(path)) throw new ConfigError(explicit, 1, 1, "config file not found");
  } else {
    // A dangling symlink counts as present: silently using defaults would validate the wrong thing.
    path = CONFIG_FILES.map((f) => join(root, f)).find((p) => host.exists(p) || isSymlinkVia(host, p));
    if (!path) return defaultConfig();
  }
  const shown = explicit ?? relative(root, path).replace(/\\/g, "/");
  if (!explicit) {
    let where: { real: string; exists: boolean };
    try {
      where = host.locate(path);
    } catch {
      throw new ConfigError(shown, 1, 1, "is a symlink that loops back on itself; replace it with a regular YAML file");
    }
    // One message whatever lies outside: its content, or whether it exists, is never told.
    if (!isInside(realRootOf(root, host), where.real)) throw new ConfigError(shown, 1, 1, "is a symlink that leaves the repository, so it was not read; replace it with a regular YAML file inside the repository");
    if (!where.exists) throw new ConfigError(shown, 1, 1, "is a broken symlink; replace it with a regular YAML file");
  }
  let bytes: Uint8Array;
  try {
    bytes = host.readFile(path, MAX_CONFIG_BYTES);
  } catch (e) {
    if (e instanceof PathRefused) {
      if (e.code === "EISDIR") throw new ConfigError(shown, 1, 1, "is a directory, not a YAML file");
      if (e.code === "EFBIG") throw new ConfigError(shown, 1, 1, "is larger than 1 MB, so it was not read; this is not a policyops config");
      throw new ConfigError(shown, 1, 1, "is not a regular file (a FIFO, device or socket), so it was not read; replace it with a regular YAML file");
    }
    throw new ConfigError(shown, 1, 1, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) throw new ConfigError(shown, 1, 1, decoded.message);
  const text = decoded.text;
  const lines = new LineIndex(text);
  const record = parseYamlRecord(text, 0, text.length, lines);
  if (!record.ok) {
    const r = record.error!.range;
    throw new ConfigError(shown, r.line, r.column, record.error!.message);
  }
  const raw: unknown = record.values;
  const problems = validateConfigValues(raw);
  if (problems.length > 0) {
    const p = problems[0]!;
    const r = rangeFor(record.ranges, p.at) ?? { line: 1, column: 1 };
    throw new ConfigError(shown, r.line, r.column, `${p.message} (${p.code})`);
  }
  const values = raw as Record<string, unknown>;
  const paths = (values.paths ?? {}) as Record<string, unknown>;
  for (const [kind, folder] of Object.entries(paths)) {
    if (typeof folder !== "string" || !leavesLexically(folder)) continue;
    const r = record.ranges[`/paths/${kind.replace(/~/g, "~0").replace(/\//g, "~1")}`] ?? { line: 1, column: 1 };
    throw new ConfigError(shown, r.line, r.column, `\`paths.${kind}\` is \`${folder}\`, which leaves the repository; give a folder inside the repository, relative to its root`);
  }
  // `paths` and `sections` name kinds: the built-in ones and the repository's own (kinds/).
  const registry = kinds();
  for (const key of ["paths", "sections"] as const) {
    for (const kind of Object.keys((values[key] ?? {}) as Record<string, unknown>)) {
      const def = registry.get(kind);
      if (def && (key === "paths" || def.format === "markdown")) continue;
      const r = record.ranges[`/${key}/${kind.replace(/~/g, "~0").replace(/\//g, "~1")}#key`] ?? { line: 1, column: 1 };
      if (def) throw new ConfigError(shown, r.line, r.column, `\`sections.${kind}\` names a kind of YAML records, which have no sections; remove it (only Markdown kinds have sections)`);
      const candidates = key === "paths" ? registry.names() : registry.defs.filter((d) => d.format === "markdown").map((d) => d.kind);
      const near = closest(kind, candidates);
      throw new ConfigError(shown, r.line, r.column, `unknown kind \`${kind}\` under \`${key}\`${near ? ` (did you mean \`${near}\`?)` : ""}; use one of ${candidates.map((c) => `\`${c}\``).join(", ")}, or declare it in \`kinds/${kind}.schema.json\``);
    }
  }
  const rules = (values.rules ?? {}) as Record<string, unknown>;
  for (const code of Object.keys(rules)) {
    if (!isKnownCode(code)) {
      const r = record.ranges[`/rules/${code.replace(/~/g, "~0").replace(/\//g, "~1")}#key`] ?? { line: 1, column: 1 };
      const near = closest(code, ruleCodes());
      throw new ConfigError(shown, r.line, r.column, `unknown rule \`${code}\` under \`rules\`${near ? ` (did you mean \`${near}\`?)` : ""}; run \`policyops validate --help\` for the list of codes`);
    }
  }
  const config = configFrom(values, shown);
  // Where each framework and not-applicable entry is written, for `control/unknown` findings on the config.
  config.entries = configEntries(config, record.ranges);
  return config;
}

function configEntries(config: Config, ranges: Record<string, Range>): Config["entries"] {
  const at = (pointer: string) => ranges[pointer] ?? null;
  return {
    frameworks: config.frameworks.map((_, i) => at(`/frameworks/${i}`)),
    not_applicable: config.not_applicable.map((_, i) => at(`/not_applicable/${i}/control`)),
  };
}
