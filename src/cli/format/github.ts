import type { Severity, ValidationResult } from "../../engine/index.js";
import { neutralise } from "./neutralise.js";
import { plural } from "./words.js";

/**
 * `validate --format github`: one GitHub Actions workflow command a finding, which the
 * runner turns into an annotation on the file and line, then a plain summary line.
 *
 *   ::error file=licences/a.yaml,line=5,col=14,endLine=5,endColumn=24,title=licence/expired::Licence for …
 *
 * Escaping follows the runner (actions/toolkit `command.ts`): the message is data
 * (`%`, CR, LF encoded), property values also encode `:` and `,`. A message can
 * therefore never end the line early or smuggle in a second command. GitHub shows only
 * the first few annotations of each level per step; the log keeps every line, and the
 * summary line gives the totals.
 */

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", info: "notice" };

/** Control characters other than CR and LF (which the runner decodes) are neutralised first. */
export function escapeData(s: string): string {
  return neutralise(s, "\r\n").replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}


export function formatGithub(result: ValidationResult): string {
  const lines = result.findings.map((f) => {
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(f.code)}`,
    ].join(",");
    return `::${COMMAND[f.severity]} ${props}::${escapeData(f.message)}`;
  });
  const { documents, errors, warnings, infos } = result.summary;
  const problems = errors + warnings + infos;
  lines.push(
    problems === 0
      ? `policyops: ${plural(documents, "document")} checked, no problems (today is ${result.today}).`
      : `policyops: ${plural(problems, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(infos, "info")}) in ${plural(documents, "document")} (today is ${result.today}).`,
  );
  return lines.join("\n") + "\n";
}
