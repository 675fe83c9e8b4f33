import type { Config } from "../config/config.js";
import { clampRange } from "../facts/line-index.js";
import type { Day } from "../model/dates.js";
import { applies, kindDef } from "../model/kinds.js";
import type { DocumentFacts, Finding, LineLengths, Range } from "../model/types.js";
import { interpolate, type Report, type RepoView, type Rule } from "../rules/rule.js";
import { LINE1 } from "./findings.js";

/** The rules that apply to a kind, worked out once per kind and cached in `cache`. */
export function rulesFor(cache: Map<DocumentFacts["kind"], readonly Rule[]>, rules: readonly Rule[], kind: DocumentFacts["kind"]): readonly Rule[] {
  let list = cache.get(kind);
  if (!list) cache.set(kind, (list = rules.filter((r) => applies(r.meta.appliesTo, kindDef(kind)))));
  return list;
}

/** Where a document's findings go: the span a pointer names, and the line lengths to clamp to (the RepoLookups). */
interface Positions {
  rangeOf(doc: DocumentFacts, pointer: string): Range | undefined;
  positionsOf(doc: DocumentFacts): { lineLengths: LineLengths };
}

/**
 * Runs `rules` on one document and returns their findings. A rule that throws becomes an
 * `engine/rule-error` finding (fail soft: one broken rule must not hide the others), unless
 * `strict` (tests), which rethrows and also refuses a range outside the file.
 */
export function runRules(doc: DocumentFacts, rules: readonly Rule[], repo: RepoView, config: Config, today: Day, positions: Positions, strict: boolean): Finding[] {
  const found: Finding[] = [];
  let rule: Rule;
  const ctx = { doc, repo, config, today, report: (rep: Report) => found.push(toFinding(rule, doc, rep, positions, strict)) };
  for (rule of rules) {
    try {
      rule.check(ctx);
    } catch (e) {
      if (strict) throw e;
      found.push({ code: "engine/rule-error", severity: "error", message: `Rule \`${rule.meta.code}\` failed on this document (${(e as Error).message}); please report this bug.`, file: doc.file, ...LINE1, docId: doc.id });
    }
  }
  return found;
}

function toFinding(rule: Rule, doc: DocumentFacts, rep: Report, positions: Positions, strict: boolean): Finding {
  const template = rule.meta.messages[rep.messageId];
  if (template === undefined) throw new Error(`unknown messageId ${rep.messageId}`);
  const { lineLengths } = positions.positionsOf(doc);
  const range = typeof rep.at === "string" ? positions.rangeOf(doc, rep.at) ?? LINE1 : "endLine" in rep.at ? rep.at : wholeLine(rep.at.line, lineLengths);
  const clamped = clampRange(range, lineLengths);
  if (strict && !sameRange(range, clamped)) {
    throw new RangeError(`rule \`${rule.meta.code}\` reported the range ${showRange(range)} (messageId \`${rep.messageId}\`) outside \`${doc.file}\`; the engine would have clamped it to ${showRange(clamped)}, so fix the range the rule computes`);
  }
  const finding: Finding = {
    code: rule.meta.code,
    severity: rep.severity ?? rule.meta.severity,
    message: interpolate(template, rep.data, rule.meta.code),
    file: doc.file,
    ...clamped,
    docId: doc.id,
  };
  if (rep.related?.length) finding.related = rep.related;
  return withRuleFields(finding, rule, rep);
}

/** What a rule's finding carries beyond SPEC §2: its message id, the rule's docs URL and the message's data. */
export function withRuleFields(finding: Finding, rule: Rule, rep: Report): Finding {
  finding.messageId = rep.messageId;
  if (rule.meta.docs) finding.docsUrl = rule.meta.docs.url;
  finding.data = { ...rep.data };
  return finding;
}

/** Line `line` from its start to its end; the last line when the file is shorter. */
function wholeLine(line: number, lineLengths: LineLengths): Range {
  const n = Math.min(Math.max(1, line), Math.max(1, lineLengths.length));
  return { line: n, column: 1, endLine: n, endColumn: (lineLengths[n - 1] ?? 0) + 1 };
}

const sameRange = (a: Range, b: Range): boolean => a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;
const showRange = (r: Range): string => `${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
