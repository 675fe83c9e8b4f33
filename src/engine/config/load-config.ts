import { isAbsolute, join, relative } from "node:path";
import { ConfigError } from "../errors.js";
import type { Host } from "../host/host.js";
import { LineIndex } from "../text/line-index.js";
import { decodeText } from "../text/decode.js";
import { parseYamlRecord } from "../parse/yaml-record.js";
import { rangeFor } from "../load/parse-file.js";
import { validateConfigValues } from "../schema/validator.js";
import { isKnownCode, ruleCodes } from "../rules/registry.js";
import { closest } from "../rules/shared.js";
import { configFrom, defaultConfig, type Config } from "./config.js";
import type { Range } from "../types.js";

export const CONFIG_FILES = ["policyops.yaml", "policyops.yml"];

/**
 * Reads `policyops.yaml` (or the file given with `--config`) and fills in defaults.
 * Anything wrong with it is a ConfigError naming the file, line and reason: a wrong
 * config silently ignored would validate the wrong thing.
 */
export function loadConfig(root: string, host: Host, explicit?: string): Config {
  let path: string | undefined;
  if (explicit) {
    path = isAbsolute(explicit) ? explicit : join(process.cwd(), explicit);
    if (!host.exists(path)) throw new ConfigError(explicit, 1, 1, "config file not found");
  } else {
    path = CONFIG_FILES.map((f) => join(root, f)).find((p) => host.exists(p));
    if (!path) return defaultConfig();
  }
  const shown = explicit ?? relative(root, path).replace(/\\/g, "/");
  let bytes: Uint8Array;
  try {
    const st = host.stat(path);
    if (st.isDirectory) throw new ConfigError(shown, 1, 1, "is a directory, not a YAML file");
    if (st.size > 1024 * 1024) throw new ConfigError(shown, 1, 1, "is larger than 1 MB; this is not a policyops config");
    bytes = host.readFile(path);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
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
