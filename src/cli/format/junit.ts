import { XMLBuilder } from "fast-xml-parser";
import type { Finding, ValidationResult } from "../../engine/index.js";
import { failingPredicate, type FailPolicy } from "../exit-code.js";
import { neutralise } from "./neutralise.js";

/**
 * `validate --format junit`: a JUnit XML report for CI test views (Jenkins JUnit plugin,
 * GitLab `artifacts:reports:junit`, Azure Pipelines `PublishTestResults`).
 *
 * Layout: one `<testsuite name="<file>">` per governed document file, in path order.
 * - a finding that makes the exit code non-zero (at or above `--fail-on`, or any warning
 *   once there are more than `--max-warnings`; `failingPredicate` in exit-code.ts) is a
 *   failed `<testcase classname="<file>" name="<code> at line L:C">` holding
 *   `<failure type="<code>" message="<message>">file:line:col severity message</failure>`.
 *   SPEC §3: JUnit and the exit code agree, so a red report always means a failed job.
 * - any other finding is a *passing* testcase whose `<system-out>` carries the same line.
 *   All three servers show a passing test's output in its details, count it as passed,
 *   and none of them shows testcase `<properties>`; `<skipped>` would read as "not
 *   checked", which is wrong. So these are visible but never turn a report red.
 * - a document with no findings gets one passing testcase (`<id>: no problems`), so the
 *   report counts the clean documents too.
 * Two findings of one code at one position (two missing sections) get `#2`, `#3`…
 * appended to the name: test views merge or drop duplicate names.
 * `errors` and `skipped` are always 0 (the CLI reports no crashes as tests), `time` 0.
 *
 * The XML is built with fast-xml-parser's XMLBuilder; every text and attribute value goes
 * through its value processors, which neutralise other control characters (neutralise.ts),
 * escape `& < > " '`, write tab, CR and LF as
 * character references (a literal newline in an attribute would be normalised to a
 * space by the reader) and replace characters XML 1.0 cannot carry at all with U+FFFD.
 */

// Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text and attribute values as XML: the five markup characters, plus tab, CR and LF as references. */
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" };
const escape = (_name: string, value: unknown) => neutralise(String(value), "\t\n\r").replace(NOT_XML_CHAR, "\uFFFD").replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c]!);

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  format: true,
  indentBy: "  ",
  suppressEmptyNode: true,
  // Otherwise an attribute whose value is the string "true" loses its value.
  suppressBooleanAttributes: false,
  // The builder's own entity step knows only the five markup characters; `escape` does
  // those and the whitespace references in one pass, so it runs instead.
  processEntities: false,
  tagValueProcessor: escape,
  attributeValueProcessor: escape,
});

type Node = Record<string, unknown>;

function testcase(f: Finding, name: string, failing: boolean): Node {
  const line = `${f.file}:${f.line}:${f.column} ${f.severity} ${f.message}`;
  const base = { "@_classname": f.file, "@_name": name, "@_time": "0" };
  if (!failing) return { ...base, "system-out": { "#text": line } };
  return { ...base, failure: { "@_type": f.code, "@_message": f.message, "#text": line } };
}

export function formatJunit(result: ValidationResult, policy: FailPolicy = { failOn: "error", maxWarnings: -1 }): string {
  const failing = failingPredicate(result.findings, policy);
  const byFile = new Map<string, Finding[]>();
  const docIds = new Map<string, string | null>();
  for (const d of result.documents) {
    byFile.set(d.file, []);
    docIds.set(d.file, d.id);
  }
  for (const f of result.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }

  let tests = 0;
  let failures = 0;
  const suites: Node[] = [];
  for (const [file, findings] of byFile) {
    const cases: Node[] = [];
    let suiteFailures = 0;
    if (findings.length === 0) {
      cases.push({ "@_classname": file, "@_name": `${docIds.get(file) ?? file}: no problems`, "@_time": "0" });
    }
    const names = new Map<string, number>();
    for (const f of findings) {
      const base = `${f.code} at line ${f.line}:${f.column}`;
      const n = (names.get(base) ?? 0) + 1;
      names.set(base, n);
      const fails = failing(f);
      cases.push(testcase(f, n === 1 ? base : `${base} #${n}`, fails));
      if (fails) suiteFailures++;
    }
    tests += cases.length;
    failures += suiteFailures;
    suites.push({
      "@_name": file,
      "@_tests": cases.length,
      "@_failures": suiteFailures,
      "@_errors": 0,
      "@_skipped": 0,
      "@_time": "0",
      testcase: cases,
    });
  }

  const xml = builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    testsuites: { "@_name": "policyops", "@_tests": tests, "@_failures": failures, "@_errors": 0, "@_time": "0", testsuite: suites },
  }) as string;
  return xml.endsWith("\n") ? xml : xml + "\n";
}
