import type { ValidationResult } from "../../engine/index.js";
import { styler } from "../style.js";
import { neutralise } from "./neutralise.js";
import { plural } from "./words.js";


/**
 * Human output: one line a finding, `file:line:col severity message code`, grouped by
 * file with a blank line between files (editors and terminals make `file:line:col`
 * clickable), then a summary.
 */
export function formatText(result: ValidationResult, colour: boolean): string {
  const s = styler(colour);
  const sev = { error: s("red", "error"), warning: s("yellow", "warning"), info: s("blue", "info") };
  const out: string[] = [];
  let last: string | null = null;
  for (const f of result.findings) {
    if (last !== null && f.file !== last) out.push("");
    last = f.file;
    // Neutralised: a newline in a file name or an escape sequence in a value can neither
    // forge a finding line nor drive the terminal.
    out.push(`${s("underline", `${neutralise(f.file)}:${f.line}:${f.column}`)} ${sev[f.severity]} ${neutralise(f.message)} ${s("dim", neutralise(f.code))}`);
  }
  const { documents, errors, warnings, infos } = result.summary;
  if (out.length) out.push("");
  const problems = errors + warnings + infos;
  const mark = errors ? s("red", "✖") : warnings ? s("yellow", "⚠") : s("green", "✔");
  out.push(
    problems === 0
      ? `${mark} ${plural(documents, "document")} checked, no problems (today is ${result.today}).`
      : `${mark} ${plural(problems, "problem")} (${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(infos, "info")}) in ${plural(documents, "document")} (today is ${result.today}).`,
  );
  return out.join("\n") + "\n";
}
