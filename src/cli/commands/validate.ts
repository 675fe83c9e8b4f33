import { Command, Option } from "commander";
import { compareWithRef, defaultCacheFile, load, parallelParser, ParseCache, resultOf, ruleCodes, summarise, type Finding, type Severity, type ValidationResult } from "../../engine/index.js";
import { BUILD_ID, VERSION } from "../version.js";
import { resolve } from "node:path";
import { exitCodeFor } from "../exit-code.js";
import { formatGithub } from "../format/github.js";
import { formatJsonChunks } from "../format/json.js";
import { formatJunit } from "../format/junit.js";
import { formatSarif } from "../format/sarif.js";
import { formatText } from "../format/text.js";
import { cwdOf, todayFrom, workersFrom, type CliIO } from "../io.js";
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

/** Each format's text, whole or (JSON) in pieces written one after the other. */
const FORMATTERS: Record<Format, (result: ValidationResult, ctx: FormatContext) => string | Iterable<string>> = {
  text: (result, { colour }) => formatText(result, colour),
  json: formatJsonChunks,
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
 * repository is a folder inside a larger one, or a submodule of one, its paths need that
 * folder in front.
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
    .option("--cache", "reuse results of unchanged files (content-hash cache); served by `policyops daemon` when one runs")
    .option("--changed-since <ref>", "report findings of documents changed since a git ref, plus findings elsewhere the change made appear (cleared ones are counted)")
    .addHelpText("after", `\nRule codes:\n  ${ruleCodes().join("\n  ")}\n\nExit codes: 0 clean, 1 findings at or above --fail-on (or too many warnings), 2 usage or config error.`)
    .action(async (root: string, flags: ValidateFlags) => {
      const workers = workersFrom(io);
      const cwd = cwdOf(io);
      const cache = flags.cache ? new ParseCache(defaultCacheFile(resolve(cwd, root)), `policyops@${VERSION}+${BUILD_ID}`, { root: resolve(cwd, root), statMany: io.resident?.statMany }) : null;
      const parseAll = cache ? cache.parser(parallelParser({ workers })) : parallelParser({ workers });
      const ws = await load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd, parseAll, previousGit: cache ? () => cache.git : undefined, ruleMemos: cache ?? undefined, incremental: false });
      // Notes (not findings) go to stderr in every format, so machine output stays parseable.
      for (const notice of ws.notices()) io.err(`policyops: note: ${notice}\n`);
      let result = resultOf(ws);
      if (cache) {
        // After the rules: positions computed for findings are remembered too.
        cache.git = ws.git;
        cache.save();
      }
      let cleared = 0;
      if (flags.changedSince !== undefined) {
        const since = await compareWithRef(ws, flags.changedSince, { config: flags.config, cwd });
        if (since) {
          if (since.notice) io.err(`policyops: note: ${since.notice}\n`);
          result = { ...result, summary: summarise(result.documents.length, since.findings), findings: since.findings };
          cleared = since.cleared;
        }
      }
      let formatRoot = resolve(cwd, root);
      // Relative to the outermost checkout (GITHUB_WORKSPACE): a submodule's superproject too.
      if ((flags.format === "github" || flags.format === "sarif") && ws.git?.checkoutPrefix) {
        result = relativeToCheckout(result, ws.git.checkoutPrefix);
        formatRoot = ws.git.checkoutRoot;
      }
      const output = FORMATTERS[flags.format](result, { root: formatRoot, colour: io.colour, failOn: flags.failOn, maxWarnings: flags.maxWarnings });
      if (typeof output === "string") io.out(output);
      else for (const chunk of output) io.out(chunk);
      // SPEC §3's JSON has no place for them: cleared findings are counted in the text summary only.
      if (cleared > 0 && flags.format === "text") io.out(`policyops: ${cleared} finding${cleared === 1 ? "" : "s"} elsewhere cleared by this change (compared with \`${flags.changedSince}\`).\n`);
      setExit(exitCodeFor(result.findings, flags.failOn, flags.maxWarnings));
    });
}
