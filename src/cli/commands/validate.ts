import { Command, Option } from "commander";
import { documentsChangedSince, load, resultOf, ruleCodes, type Finding, type Severity, type ValidationResult } from "../../engine/index.js";
import { parallelParser } from "../../engine/load/parse-parallel.js";
import { ParseCache, defaultCacheFile } from "../../engine/load/cache.js";
import { BUILD_ID, VERSION } from "../version.js";
import { resolve } from "node:path";
import { exitCodeFor } from "../exit-code.js";
import { formatGithub } from "../format/github.js";
import { formatJson } from "../format/json.js";
import { formatJunit } from "../format/junit.js";
import { formatSarif } from "../format/sarif.js";
import { formatText } from "../format/text.js";
import type { CliIO } from "../io.js";
import { choice, SEVERITIES, wholeNumber, withDateAndConfig } from "../options.js";

export const VALIDATE_FORMATS = ["text", "json", "sarif", "github", "junit"] as const;
type Format = (typeof VALIDATE_FORMATS)[number];

/** What a formatter may need besides the result: the resolved repository root, colour. */
interface FormatContext {
  root: string;
  colour: boolean;
  failOn: Severity;
  maxWarnings: number;
}

const FORMATTERS: Record<Format, (result: ValidationResult, ctx: FormatContext) => string> = {
  text: (result, { colour }) => formatText(result, colour),
  json: formatJson,
  sarif: (result, { root }) => formatSarif(result, { root }),
  github: formatGithub,
  junit: (result, { failOn, maxWarnings }) => formatJunit(result, { failOn, maxWarnings }),
};

interface ValidateFlags {
  format: Format;
  today?: string;
  config?: string;
  failOn: Severity;
  maxWarnings: number;
  cache?: boolean;
  changedSince?: string;
}

/**
 * GitHub reads annotation and SARIF paths from the top of the checkout. When the policy
 * repository is a folder inside a larger one, its paths need that folder in front.
 */
function relativeToCheckout(result: ValidationResult, prefix: string): ValidationResult {
  if (!prefix) return result;
  const findings = result.findings.map((f): Finding => ({ ...f, file: prefix + f.file, ...(f.related ? { related: f.related.map((r) => ({ ...r, file: prefix + r.file })) } : {}) }));
  return { ...result, findings, documents: result.documents.map((d) => ({ ...d, file: prefix + d.file })) };
}

export function validateCommand(io: CliIO, setExit: (code: number) => void): Command {
  return withDateAndConfig(new Command("validate"))
    .description("Check every governed document against its schema and the cross-document rules.")
    .argument("[root]", "policy repository", ".")
    .addOption(new Option("--format <format>", "output format").choices(VALIDATE_FORMATS).default("text"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").argParser(choice(SEVERITIES)).default("error"))
    .option("--max-warnings <n>", "exit 1 when there are more warnings than this (-1: no limit)", wholeNumber, -1)
    .option("--cache", "reuse results of unchanged files (content-hash cache)")
    .option("--changed-since <ref>", "report only documents changed since a git ref, and those whose cross-document checks involve them")
    .addHelpText("after", `\nRule codes:\n  ${ruleCodes().join("\n  ")}\n\nExit codes: 0 clean, 1 findings at or above --fail-on (or too many warnings), 2 usage or config error.`)
    .action(async (root: string, flags: ValidateFlags) => {
      const workers = process.env.POLICYOPS_WORKERS ? Number(process.env.POLICYOPS_WORKERS) : undefined;
      const cache = flags.cache ? new ParseCache(defaultCacheFile(resolve(root)), `policyops@${VERSION}+${BUILD_ID}`) : null;
      const parseAll = cache ? cache.parser(parallelParser({ workers })) : parallelParser({ workers });
      const ws = await load(root, { today: flags.today, config: flags.config, parseAll, previousGit: cache ? () => cache.git : undefined, ruleMemos: cache ?? undefined, incremental: Boolean(flags.changedSince) });
      let result = resultOf(ws);
      if (cache) {
        // After the rules: positions computed for findings are remembered too.
        cache.git = ws.git;
        cache.save();
      }
      if (flags.changedSince) {
        const docs = await documentsChangedSince(ws, flags.changedSince);
        if (docs) result = resultOf(ws, (f) => docs.has(f.file));
      }
      let formatRoot = resolve(root);
      if ((flags.format === "github" || flags.format === "sarif") && ws.git?.prefix) {
        result = relativeToCheckout(result, ws.git.prefix);
        formatRoot = ws.git.toplevel;
      }
      io.out(FORMATTERS[flags.format](result, { root: formatRoot, colour: io.colour, failOn: flags.failOn, maxWarnings: flags.maxWarnings }));
      setExit(exitCodeFor(result.findings, flags.failOn, flags.maxWarnings));
    });
}
