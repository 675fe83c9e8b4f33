import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { LOADER_CODES, REPOSITORY_URL, RULES, ruleDocsUrl, type Finding, type Range, type RelatedLocation, type Severity, type ValidationResult } from "../../engine/index.js";
import { VERSION } from "../version.js";
import { safeJson } from "./neutralise.js";

/**
 * `validate --format sarif`: SARIF 2.1.0, valid against the official OASIS schema
 * (tests/schemas/sarif-schema-2.1.0.json) and shaped for GitHub code scanning: one run,
 * a reportingDescriptor per rule code, repo-relative URIs against `%SRCROOT%`, and
 * partial fingerprints so alerts are tracked across runs.
 */

const REPO_URL = REPOSITORY_URL;
const SCHEMA_FAMILY = "schema/*";
/** The key GitHub keeps alongside its own `primaryLocationLineHash`; bump `v1` if the recipe changes. */
const FINGERPRINT_KEY = "policyops/v1";
const SRCROOT = "%SRCROOT%";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

export interface SarifOptions {
  /** Absolute path of the policy repository: the base every finding's `file` is relative to. */
  root: string;
}

interface Descriptor {
  code: string;
  severity: Severity;
  description: string;
  helpUri: string;
}

/** `review/overdue` → `ReviewOverdue`, `schema/additional-properties` → `SchemaAdditionalProperties`. */
export function ruleName(code: string): string {
  return code
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}

/** A repo-relative path as a URI reference: each segment percent-encoded, `/` kept. */
function uriOf(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

function mimeTypeOf(file: string): string | undefined {
  if (/\.md$/i.test(file)) return "text/markdown";
  if (/\.ya?ml$/i.test(file)) return "application/yaml";
  return undefined;
}

/**
 * Every descriptor the run declares: the loader codes and the rules in registry order,
 * then the concrete `schema/<keyword>` codes (and any other code the registry does not
 * know, such as `engine/rule-error`) in the order the findings first use them.
 */
function descriptors(findings: readonly Finding[]): Descriptor[] {
  const loaderHelp = `${REPO_URL}/blob/main/README.md#rule-codes`;
  const out: Descriptor[] = [];
  for (const c of LOADER_CODES) {
    if (c.code !== SCHEMA_FAMILY) out.push({ code: c.code, severity: c.severity, description: c.description, helpUri: loaderHelp });
  }
  for (const r of RULES) {
    out.push({ code: r.meta.code, severity: r.meta.severity, description: r.meta.description, helpUri: r.meta.docs?.url ?? ruleDocsUrl(r.meta.code) });
  }
  const family = LOADER_CODES.find((c) => c.code === SCHEMA_FAMILY);
  const known = new Set(out.map((d) => d.code));
  for (const f of findings) {
    if (known.has(f.code)) continue;
    known.add(f.code);
    if (family && f.code.startsWith("schema/")) {
      out.push({ code: f.code, severity: family.severity, description: family.description, helpUri: loaderHelp });
    } else {
      // A code outside the registry (e.g. `engine/rule-error`): still a valid ruleId.
      out.push({ code: f.code, severity: f.severity, description: `PolicyOps finding \`${f.code}\`.`, helpUri: loaderHelp });
    }
  }
  return out;
}

function reportingDescriptor(d: Descriptor) {
  return {
    id: d.code,
    name: ruleName(d.code),
    shortDescription: { text: d.description },
    fullDescription: { text: `${d.description} Code \`${d.code}\`, ${d.severity} by default (\`rules:\` in policyops.yaml can change it).` },
    help: {
      text: `${d.description} Each finding's message says what is wrong and what to do. See the rule's README: ${d.helpUri}`,
      markdown: `${d.description}\n\nEach finding's message says what is wrong and what to do. See the [rule's README](${d.helpUri}).`,
    },
    helpUri: d.helpUri,
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties: { tags: ["policyops", d.code.split("/")[0]!] },
  };
}

const region = (r: Range) => ({
  startLine: Math.max(1, r.line),
  startColumn: Math.max(1, r.column),
  endLine: Math.max(1, r.endLine),
  endColumn: Math.max(1, r.endColumn),
});

/**
 * A fingerprint that survives re-runs: code, file, document id and message. Day counts
 * (`29 days ago`, `in 10 days`, and `(today` where a message says it for 0 days) are
 * masked first, or every licence and review alert would be closed and reopened each day.
 * Identical findings get `:1`, `:2`… in order.
 */
function fingerprints(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const message = f.message.replace(/\b\d+ days?\b/g, "N days").replace(/\(today\b/g, "(in N days");
    const hash = createHash("sha256").update([f.code, f.file, f.docId ?? "", message].join("\0")).digest("hex");
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
}

export function formatSarif(result: ValidationResult, options: SarifOptions): string {
  const rules = descriptors(result.findings);
  const ruleIndex = new Map(rules.map((d, i) => [d.code, i]));

  const artifactIndex = new Map<string, number>();
  const artifact = (file: string): number => {
    let i = artifactIndex.get(file);
    if (i === undefined) artifactIndex.set(file, (i = artifactIndex.size));
    return i;
  };
  const physicalLocation = (file: string, r: Range) => ({
    artifactLocation: { uri: uriOf(file), uriBaseId: SRCROOT, index: artifact(file) },
    region: region(r),
  });
  const related = (locations: readonly RelatedLocation[]) =>
    locations.map((l, id) => ({ id, physicalLocation: physicalLocation(l.file, l), message: { text: l.message } }));

  const prints = fingerprints(result.findings);
  const results = result.findings.map((f, i) => ({
    ruleId: f.code,
    ruleIndex: ruleIndex.get(f.code)!,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physicalLocation(f.file, f) }],
    ...(f.related?.length ? { relatedLocations: related(f.related) } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: prints[i]! },
    ...(f.docId !== null ? { properties: { docId: f.docId } } : {}),
  }));

  let rootUri = pathToFileURL(options.root).href;
  if (!rootUri.endsWith("/")) rootUri += "/";

  // Every file a location names: those with findings, then any only a related location names.
  const artifacts = [...artifactIndex.keys()].map((file) => {
    const mimeType = mimeTypeOf(file);
    return { location: { uri: uriOf(file), uriBaseId: SRCROOT }, roles: ["analysisTarget"], ...(mimeType ? { mimeType } : {}) };
  });

  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "policyops",
            semanticVersion: VERSION,
            informationUri: REPO_URL,
            rules: rules.map(reportingDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri } },
        artifacts,
        results,
        columnKind: "utf16CodeUnits",
        properties: { today: result.today, documents: result.summary.documents },
      },
    ],
  };
  return safeJson(log) + "\n";
}
