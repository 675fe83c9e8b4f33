import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  CompletionRequest, HoverRequest, DefinitionRequest, ReferencesRequest, DocumentLinkRequest, CodeActionRequest, ExecuteCommandRequest,
  DidChangeWatchedFilesNotification, DidChangeConfigurationNotification, DidCloseTextDocumentNotification, FileChangeType, CancellationTokenSource,
  type CompletionItem, type CompletionList, type Diagnostic, type Hover, type Location, type DocumentLink, type CodeAction, type TextEdit,
} from "vscode-languageserver-protocol/node.js";
import { cli } from "./helpers/cli.js";
import { policy, tempDir, templateDocumentCount } from "./helpers/repo.js";
import { gitRepo } from "./helpers/git.js";
import { applyEdits, startLsp, type LspClient } from "./helpers/lsp.js";
import { renewalDescription, renewalGroups } from "../extension/src/renewals.js";
import type { ContractRow, LicenceRow } from "../extension/src/protocol.js";

const TODAY = "2026-11-22";

/** A fresh repository from the bundled template (clean on TODAY), plus `edit` applied to files on disk. */
async function templateRepo(): Promise<{ root: string; cleanup: () => void }> {
  const t = tempDir("policyops-lsp-");
  const root = join(t.dir, "repo");
  const r = await cli(["init", root, "--today", TODAY]);
  expect(r.status, r.stderr).toBe(0);
  return { root, cleanup: t.cleanup };
}

const read = (root: string, file: string) => readFileSync(join(root, file), "utf8");
/** The 0-based position of the `nth` occurrence of `needle` in `text` (plus `delta` characters). */
function posOf(text: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
const labels = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : r?.items ?? []).map((i) => i.label);
/** Waits until `cond` holds (for hooks, where expect.poll is not allowed). */
async function until(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}
const codes = (d: Diagnostic[]) => d.map((x) => x.code);
/** Every file under `dir`, repo-relative with `/`, dot folders left out. */
function readdirRecursive(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith(".") ? [] : e.isDirectory() ? readdirRecursive(dir, `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe("policyops lsp --stdio: diagnostics on a real repository", () => {
  let root: string;
  let cleanup: () => void;
  let c: LspClient;
  beforeAll(async () => {
    ({ root, cleanup } = await templateRepo());
    // A broken reference on disk before the server starts.
    writeFileSync(join(root, "sops/patching.md"), read(root, "sops/patching.md").replace("policies: [POL-011, POL-006]", "policies: [POL-011, POL-999]"));
    c = await startLsp(root, { today: TODAY });
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    cleanup?.();
  });

  it("publishes the whole workspace's findings at start with 0-based ranges, code, codeDescription and data, as validate reports them", async () => {
    const diags = await c.waitFor("sops/patching.md", (d) => d.length > 0);
    const cliJson = JSON.parse((await cli(["validate", root, "--format", "json", "--today", TODAY])).stdout) as { findings: { code: string; file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[] };
    const expected = cliJson.findings.find((f) => f.file === "sops/patching.md" && f.code === "ref/unknown")!;
    const d = diags.find((x) => x.code === "ref/unknown")!;
    expect(d.message).toBe(expected.message);
    expect(d.message).toContain("`POL-999`");
    expect(d.range).toEqual({ start: { line: expected.line - 1, character: expected.column - 1 }, end: { line: expected.endLine - 1, character: expected.endColumn - 1 } });
    expect(d.range.start).toEqual(posOf(read(root, "sops/patching.md"), "POL-999"));
    expect(d.severity).toBe(1);
    expect(d.source).toBe("policyops");
    expect(d.codeDescription?.href).toBe("https://github.com/policyops/policyops/blob/main/src/engine/rules/ref/unknown/README.md");
    expect(d.data).toEqual({ messageId: expect.any(String), docId: "SOP-PATCH" });
  });

  it("sends policyops/summary after validation with the counts and today", async () => {
    await expect.poll(() => c.summaries.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(c.summaries.at(-1)).toEqual({ documents: templateDocumentCount(), errors: 1, warnings: 0, infos: 0, overdueReviews: 0, renewalsDue: 0, today: TODAY });
  });

  it("re-checks unsaved text on didChange: a bad status becomes a schema/enum diagnostic, and fixing it clears it", async () => {
    const text = read(root, "policies/backup.md");
    await c.open("policies/backup.md", text);
    await c.change("policies/backup.md", text.replace("status: active", "status: activ"));
    const diags = await c.waitFor("policies/backup.md", (d) => d.some((x) => x.code === "schema/enum"));
    const d = diags.find((x) => x.code === "schema/enum")!;
    expect(d.message).toContain("`activ`");
    expect(d.range.start).toEqual(posOf(text, "active"));
    await c.change("policies/backup.md", text);
    expect(await c.waitFor("policies/backup.md", (x) => x.length === 0)).toEqual([]);
  });

  it("pushes cross-document effects: changing a policy's id (unsaved) gives the SOP that names it a ref/unknown, and changing it back clears it", async () => {
    const file = "policies/vulnerability-patch-management.md";
    const text = read(root, file);
    await c.open(file, text);
    await c.change(file, text.replace("id: POL-011", "id: POL-111"));
    const diags = await c.waitFor("sops/patching.md", (d) => d.filter((x) => x.code === "ref/unknown").length === 2);
    expect(diags.map((d) => d.message).join("\n")).toContain("`POL-011`");
    await c.change(file, text);
    const after = await c.waitFor("sops/patching.md", (d) => d.filter((x) => x.code === "ref/unknown").length === 1);
    expect(after[0]!.message).toContain("`POL-999`");
  });

  it("publishes diagnostics only for the files whose findings an edit changed: a body edit the edited file alone, an id change it and the documents naming the id", async () => {
    const file = "policies/supplier-security.md";
    const text = read(root, file);
    const id = /^id: (\S+)$/m.exec(text)![1]!;
    await c.open(file, text);
    // Requests are answered in order after the notifications sent before them: a hover marks the end of an edit's publishes.
    const settle = () => c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri(file) }, position: { line: 0, character: 0 } });
    await settle();
    let from = c.published.length;
    await c.change(file, `${text}\nOne more line of body.\n`);
    await c.waitFor(file);
    await settle();
    expect(c.published.slice(from)).toEqual([file]);
    // The documents whose front matter names the id in a list of ids (derived from the repository, not counted by hand).
    const names = new RegExp(`^[a-z_]+: \\[[^\\]]*\\b${id}\\b`, "m");
    const referrers = readdirRecursive(root).filter((f) => f !== file && /\.(md|ya?ml)$/.test(f) && names.test(read(root, f))).sort();
    expect(referrers.length).toBeGreaterThan(1);
    from = c.published.length;
    await c.change(file, text.replace(`id: ${id}`, "id: POL-909"));
    await c.waitFor(referrers[0]!, (d) => d.some((x) => x.message.includes(`\`${id}\``)));
    await settle();
    expect([...new Set(c.published.slice(from))].sort()).toEqual([file, ...referrers].sort());
    for (const f of referrers) expect(c.diagnostics.get(f)!.filter((d) => d.code === "ref/unknown").map((d) => d.message).join("\n")).toContain(`\`${id}\``);
    from = c.published.length;
    await c.change(file, text);
    await c.waitFor(referrers[0]!, (d) => !d.some((x) => x.message.includes(`\`${id}\``)));
    await settle();
    expect([...new Set(c.published.slice(from))].sort()).toEqual([file, ...referrers].sort());
  });

  it("keeps up with didChangeWatchedFiles: a file created on disk is checked, a file deleted on disk breaks the references to it", async () => {
    const created = read(root, "policies/backup.md").replace("id: POL-005", "id: POL-050").replace(/related: \[[^\]]*\]/, "related: [POL-777]");
    writeFileSync(join(root, "policies/new-one.md"), created);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("policies/new-one.md"), type: FileChangeType.Created }] });
    const diags = await c.waitFor("policies/new-one.md", (d) => d.length > 0);
    expect(diags.map((d) => d.message).join("\n")).toContain("`POL-777`");
    unlinkSync(join(root, "policies/change-management.md")); // POL-006, named by sops/patching.md? no: by other SOPs
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("policies/change-management.md"), type: FileChangeType.Deleted }] });
    const sop = await c.waitFor("sops/change-management.md", (d) => d.some((x) => x.code === "ref/unknown"));
    expect(sop.find((x) => x.code === "ref/unknown")!.message).toContain("`POL-006`");
    rmSync(join(root, "policies/new-one.md"));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("policies/new-one.md"), type: FileChangeType.Deleted }] });
    expect(await c.waitFor("policies/new-one.md", (d) => d.length === 0)).toEqual([]);
  });

  it("takes a policyops.yaml edit into effect: `rules: { ref/unknown: warning }` turns the error into a warning everywhere", async () => {
    const config = read(root, "policyops.yaml");
    await c.open("policyops.yaml", config);
    await c.change("policyops.yaml", `${config}\nrules:\n  ref/unknown: warning\n`);
    const diags = await c.waitFor("sops/patching.md", (d) => d.some((x) => x.code === "ref/unknown" && x.severity === 2));
    expect(diags.filter((d) => d.code === "ref/unknown").map((d) => d.severity)).toEqual([2]);
    // An invalid config is a finding on it; the last valid one stays in force.
    await c.change("policyops.yaml", `${config}\nrules:\n  ref/unknown: loud\n`);
    const bad = await c.waitFor("policyops.yaml", (d) => d.length > 0);
    expect(codes(bad)).toEqual(["config/invalid"]);
    await c.change("policyops.yaml", config);
    await c.waitFor("sops/patching.md", (d) => d.some((x) => x.code === "ref/unknown" && x.severity === 1));
  });

  it("a change to the repository's own kind schema on disk (kinds/*.schema.json) reloads the kinds", async () => {
    mkdirSync(join(root, "kinds"), { recursive: true });
    mkdirSync(join(root, "hazards"), { recursive: true });
    writeFileSync(join(root, "kinds/hazard.schema.json"), JSON.stringify({
      $schema: "https://json-schema.org/draft/2020-12/schema", $id: "https://example.org/hazard.schema.json", title: "Hazard",
      "x-policyops": { kind: "hazard", folder: "hazards", format: "yaml", idPrefix: "HAZ" },
      type: "object", required: ["id", "title", "owner"], additionalProperties: false,
      properties: { id: { type: "string" }, title: { type: "string" }, owner: { type: "string", description: "Who owns the risk." }, likelihood: { enum: ["low", "medium", "high"], description: "How likely." } },
    }));
    writeFileSync(join(root, "hazards/r1.yaml"), "id: HAZ-001\ntitle: Ransomware\n");
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("kinds/hazard.schema.json"), type: FileChangeType.Created }, { uri: c.uri("hazards/r1.yaml"), type: FileChangeType.Created }] });
    const diags = await c.waitFor("hazards/r1.yaml", (d) => d.some((x) => x.code === "schema/required"));
    expect(diags.find((x) => x.code === "schema/required")!.message).toContain("`owner`");
    const kinds = (await c.conn.sendRequest("policyops/kinds")) as { kind: string; folder: string; markdown: boolean; builtIn: boolean; count: number }[];
    expect(kinds.find((k) => k.kind === "hazard")).toEqual({ kind: "hazard", folder: "hazards", markdown: false, builtIn: false, count: 1 });
    // (`risk` is built in now: a made-up kind stands for the repository's own.) Completion of the repository's own kind: its keys and enum values.
    await c.open("hazards/r1.yaml", "id: HAZ-001\ntitle: Ransomware\nlikelihood: \n\n");
    const enumItems = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: c.uri("hazards/r1.yaml") }, position: { line: 2, character: 12 } });
    expect(labels(enumItems).sort()).toEqual(["high", "low", "medium"]);
    const keyItems = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: c.uri("hazards/r1.yaml") }, position: { line: 3, character: 0 } });
    expect(labels(keyItems)).toEqual(["owner"]);
  }, 30_000);
  it("a broken kind schema on disk is a diagnostic on that file, the last good workspace keeps answering, and removing it clears it", async () => {
    mkdirSync(join(root, "kinds"), { recursive: true });
    writeFileSync(join(root, "kinds/broken.schema.json"), "{ not json");
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("kinds/broken.schema.json"), type: FileChangeType.Created }] });
    const diags = await c.waitFor("kinds/broken.schema.json", (d) => d.length > 0);
    expect(diags[0]!.message).toMatch(/^This kind schema stops PolicyOps from checking the repository \(kinds\/broken\.schema\.json: /);
    expect(((await c.conn.sendRequest("policyops/report", { report: "validate" })) as { summary: { documents: number } }).summary.documents).toBeGreaterThan(40);
    rmSync(join(root, "kinds/broken.schema.json"));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("kinds/broken.schema.json"), type: FileChangeType.Deleted }] });
    expect(await c.waitFor("kinds/broken.schema.json", (d) => d.length === 0)).toEqual([]);
  }, 30_000);

  it("didChangeConfiguration: `severities` turn a code off or down without a reload, and a new `today` re-checks everything", async () => {
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { policyops: { severities: { "ref/unknown": "off" } } } });
    const off = await c.waitFor("sops/patching.md", (d) => !d.some((x) => x.code === "ref/unknown"));
    expect(codes(off)).toEqual([]);
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { policyops: { severities: { "ref/unknown": "info" } } } });
    const info = await c.waitFor("sops/patching.md", (d) => d.some((x) => x.code === "ref/unknown"));
    expect(info.find((x) => x.code === "ref/unknown")!.severity).toBe(3);
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { policyops: { today: "2027-06-01", severities: {} } } });
    const overdue = await c.waitFor("sops/offboarding.md", (d) => d.some((x) => x.code === "review/overdue"));
    expect(overdue.find((x) => x.code === "review/overdue")!.message).toContain("Review was due on `2027-05-05`");
    await until(() => (c.summaries.at(-1) as { today: string }).today === "2027-06-01");
  }, 30_000);
  it("a reload superseded by another (two `today` changes in a row) is aborted: the last one wins and the server answers", async () => {
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { policyops: { today: "2027-06-01" } } });
    await until(() => c.diagnostics.get("sops/offboarding.md")?.some((x) => x.code === "review/overdue") === true);
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { policyops: { today: "2029-01-01" } } });
    await c.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { policyops: { today: TODAY } } });
    await c.waitFor("sops/offboarding.md", (d) => !d.some((x) => x.code === "review/overdue"));
    await until(() => (c.summaries.at(-1) as { today: string }).today === TODAY);
    const report = (await c.conn.sendRequest("policyops/report", { report: "validate" })) as { today: string };
    expect(report.today).toBe(TODAY);
  }, 30_000);
});

describe("policyops lsp --stdio: completion, hover, navigation, quick fixes, cancellation", () => {
  let root: string;
  let cleanup: () => void;
  let c: LspClient;
  beforeAll(async () => {
    ({ root, cleanup } = await templateRepo());
    c = await startLsp(root, { today: TODAY });
    await until(() => c.summaries.length > 0);
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    cleanup?.();
  });
  const complete = async (file: string, text: string, needle: string, delta: number) => {
    await c.open(file, text);
    return c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: c.uri(file) }, position: posOf(text, needle, delta) });
  };

  it("completes keys the kind's schema allows and the document lacks, with their descriptions", async () => {
    const text = read(root, "policies/backup.md").replace("review_cycle_months: 12\n", "review_cycle_months: 12\n\n").replace(/related: \[[^\]]*\]\n/, "");
    const items = await complete("policies/backup.md", text, "review_cycle_months: 12\n", "review_cycle_months: 12\n".length);
    // Every key of the policy schema the document does not have yet (id, status… are there).
    expect(labels(items).sort()).toEqual(["kind", "related"]);
    const related = (items as CompletionItem[]).find((i) => i.label === "related")!;
    expect(related.insertText).toBe("related: ");
    expect(JSON.stringify(related.documentation)).toContain("Ids of related documents that readers should also see.");
  });

  it("completes policyops.yaml's keys from the config schema", async () => {
    const config = `${read(root, "policyops.yaml")}\n`;
    await c.open("policyops.yaml", config);
    const items = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: c.uri("policyops.yaml") }, position: { line: config.split("\n").length - 1, character: 0 } });
    expect(labels(items)).toEqual(expect.arrayContaining(["paths", "sections", "rules", "ignore"]));
    expect(labels(items)).not.toContain("frameworks");
  });

  it("completes enum values (status) and ids of the right kind in reference fields", async () => {
    const text = read(root, "sops/patching.md");
    const status = await complete("sops/patching.md", text.replace("status: active", "status: "), "status: ", 8);
    expect(labels(status).sort()).toEqual(["active", "draft", "retired", "review"]);
    const refText = text.replace("policies: [POL-011, POL-006]", "policies: [POL-011, POL-006, P]");
    const ids = await complete("sops/patching.md", refText, ", P]", 3);
    const l = labels(ids);
    expect(l).toContain("POL-001");
    expect(l).toContain("POL-015");
    expect(l.every((x) => x.startsWith("POL-"))).toBe(true);
    expect((ids as CompletionItem[]).find((i) => i.label === "POL-005")!.detail).toBe("policy: Backup Policy");
  });

  it("completes FRAMEWORK:CONTROL ids from the catalogues in a controls list", async () => {
    const text = read(root, "policies/backup.md").replace("  - NIST-CSF-2.0:PR.DS-01\n", "  - NIST-CSF-2.0:PR.DS-01\n  - N\n");
    const items = await complete("policies/backup.md", text, "  - N\n", 5);
    const l = labels(items);
    expect(l).toHaveLength(106);
    expect(l).toContain("NIST-CSF-2.0:GV.OC-01");
    expect((items as CompletionItem[]).find((i) => i.label === "NIST-CSF-2.0:PR.DS-11")!.detail).toMatch(/backup/i);
  });

  it("completes heading anchors after # in Markdown links, in the same file and in another file", async () => {
    const base = read(root, "sops/patching.md");
    const same = await complete("sops/patching.md", base.replace("## Purpose\n", "## Purpose\n\nSee [scope](#sc\n"), "(#sc", 4);
    expect(labels(same)).toContain("scope");
    expect(labels(same)).toContain("purpose");
    const other = await complete("sops/patching.md", base.replace("## Purpose\n", "## Purpose\n\nSee [b](../policies/backup.md#\n"), "backup.md#", 10);
    expect(labels(other)).toEqual(expect.arrayContaining(["purpose", "backup-design", "retention", "testing"]));
    await c.change("sops/patching.md", base);
  });

  it("hovers an id with the target's title, kind, status and file, and a key with its schema description", async () => {
    const text = read(root, "sops/patching.md");
    await c.open("sops/patching.md", text);
    const h = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "POL-011", 2) })) as Hover;
    const value = (h.contents as { value: string }).value;
    expect(value).toContain("**POL-011** — Vulnerability and Patch Management Policy");
    expect(value).toContain("kind: `policy` · status: `active` · file: `policies/vulnerability-patch-management.md`");
    expect(h.range).toEqual({ start: posOf(text, "POL-011"), end: posOf(text, "POL-011", 7) });
    const k = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "review_cycle_months", 3) })) as Hover;
    expect((k.contents as { value: string }).value).toMatch(/months/i);
    const ctl = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "NIST-CSF-2.0:ID.RA-01", 16) })) as Hover;
    expect((ctl.contents as { value: string }).value).toContain("**NIST-CSF-2.0:ID.RA-01** — ");
  });

  it("goes to an id's definition and finds its references (and a control's references)", async () => {
    const text = read(root, "sops/patching.md");
    await c.open("sops/patching.md", text);
    const def = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "POL-011", 1) })) as Location[];
    const target = read(root, "policies/vulnerability-patch-management.md");
    expect(def).toEqual([{ uri: c.uri("policies/vulnerability-patch-management.md"), range: { start: posOf(target, "POL-011"), end: posOf(target, "POL-011", 7) } }]);
    const refs = (await c.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "POL-011", 1), context: { includeDeclaration: false } })) as Location[];
    const files = refs.map((r) => r.uri.slice(c.uri("").length + 1)).sort();
    expect(files).toEqual(["policies/asset-management.md", "policies/change-management.md", "policies/risk-management.md", "sops/patching.md"]);
    expect(refs.find((r) => r.uri === c.uri("sops/patching.md"))!.range.start).toEqual(posOf(text, "POL-011"));
    const withDecl = (await c.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "POL-011", 1), context: { includeDeclaration: true } })) as Location[];
    expect(withDecl).toHaveLength(5);
    const ctlRefs = (await c.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, "NIST-CSF-2.0:ID.RA-01", 3), context: { includeDeclaration: true } })) as Location[];
    expect(ctlRefs.length).toBeGreaterThan(1);
    expect(ctlRefs.map((r) => r.uri)).toContain(c.uri("sops/patching.md"));
    // The config's not_applicable entries are references too.
    const withNa = text.replace("  - NIST-CSF-2.0:ID.RA-01\n", "  - NIST-CSF-2.0:ID.RA-01\n  - NIST-CSF-2.0:PR.PS-06\n");
    await c.change("sops/patching.md", withNa);
    const na = (await c.conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(withNa, "NIST-CSF-2.0:PR.PS-06", 3), context: { includeDeclaration: true } })) as Location[];
    const config = read(root, "policyops.yaml");
    expect(na).toContainEqual({ uri: c.uri("policyops.yaml"), range: { start: posOf(config, "\"NIST-CSF-2.0:PR.PS-06\""), end: posOf(config, "\"NIST-CSF-2.0:PR.PS-06\"", 23) } });
    expect(na).toContainEqual({ uri: c.uri("sops/patching.md"), range: { start: posOf(withNa, "NIST-CSF-2.0:PR.PS-06"), end: posOf(withNa, "NIST-CSF-2.0:PR.PS-06", 21) } });
    await c.change("sops/patching.md", text);
  });

  it("a repository's own catalogue (frameworks/*.yaml, created on disk): its controls are completed, hovered, and go to their definition", async () => {
    const fw = "id: ACME-1\ntitle: Acme controls\nowner: IT Director\ncontrols:\n  - id: AC-1\n    title: Access is reviewed\n  - id: AC-2\n    title: Backups are tested\n";
    mkdirSync(join(root, "frameworks"), { recursive: true });
    writeFileSync(join(root, "frameworks/acme.yaml"), fw);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("frameworks/acme.yaml"), type: FileChangeType.Created }] });
    const text = read(root, "sops/onboarding.md").replace(/\ncontrols:\n/, "\ncontrols:\n  - ACME-1:AC-2\n");
    await c.open("sops/onboarding.md", text);
    await c.waitFor("sops/onboarding.md", (d) => !d.some((x) => x.code === "control/unknown"));
    const def = (await c.conn.sendRequest(DefinitionRequest.type, { textDocument: { uri: c.uri("sops/onboarding.md") }, position: posOf(text, "ACME-1:AC-2", 8) })) as Location[];
    expect(def).toEqual([{ uri: c.uri("frameworks/acme.yaml"), range: { start: posOf(fw, "AC-2"), end: posOf(fw, "AC-2", 4) } }]);
    const h = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri("sops/onboarding.md") }, position: posOf(text, "ACME-1:AC-2", 8) })) as Hover;
    expect((h.contents as { value: string }).value).toBe("**ACME-1:AC-2** — Backups are tested\n\nframework: Acme controls · file: `frameworks/acme.yaml`");
    const items = await c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: c.uri("sops/onboarding.md") }, position: posOf(text, "ACME-1:AC-2", 2) });
    expect(labels(items)).toEqual(expect.arrayContaining(["ACME-1:AC-1", "ACME-1:AC-2", "NIST-CSF-2.0:GV.OC-01"]));
  });

  it("gives document links for Markdown link targets (to the heading's line) and for path fields", async () => {
    const text = read(root, "sops/patching.md");
    const links = (await c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: c.uri("sops/patching.md") } })) as DocumentLink[];
    const target = read(root, "policies/vulnerability-patch-management.md");
    const line = target.split("\n").findIndex((l) => /^#+ Remediation timescales/i.test(l)) + 1;
    expect(links.map((l) => l.target)).toContain(`${c.uri("policies/vulnerability-patch-management.md")}#L${line}`);
    const l = links.find((x) => x.target?.startsWith(c.uri("policies/vulnerability-patch-management.md")))!;
    expect(l.range.start.line).toBe(posOf(text, "Vulnerability and Patch Management Policy](").line);
    const lic = read(root, "licences/microsoft-365-e3.yaml");
    const pathLinks = (await c.conn.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: c.uri("licences/microsoft-365-e3.yaml") } })) as DocumentLink[];
    expect(pathLinks).toEqual([{ range: { start: posOf(lic, "agreements/microsoft-enterprise-agreement.md"), end: posOf(lic, "agreements/microsoft-enterprise-agreement.md", 44) }, target: c.uri("agreements/microsoft-enterprise-agreement.md"), tooltip: "Open `agreements/microsoft-enterprise-agreement.md`" }]);
  });

  /** Asks for code actions on the diagnostic of `code`, applies the one titled `title`, sends didChange, waits until `code` is gone. */
  async function applyFix(file: string, text: string, code: string, title: string | RegExp): Promise<string> {
    if (c.texts.has(file)) await c.change(file, text);
    else await c.open(file, text);
    const diags = await c.waitFor(file, (d) => d.some((x) => x.code === code));
    const diag = diags.find((x) => x.code === code)!;
    const actions = (await c.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: c.uri(file) }, range: diag.range, context: { diagnostics: [diag] } })) as CodeAction[];
    const action = actions.find((a) => (typeof title === "string" ? a.title === title : title.test(a.title)));
    expect(action, JSON.stringify(actions.map((a) => a.title))).toBeDefined();
    expect(action!.diagnostics![0]!.code).toBe(code);
    const edits = action!.edit!.changes![c.uri(file)] as TextEdit[];
    const fixed = applyEdits(text, edits);
    await c.change(file, fixed);
    await c.waitFor(file, (d) => !d.some((x) => x.code === code));
    return fixed;
  }

  it("code action 'mark reviewed today' edits last_reviewed, keeps comments, and the review/overdue diagnostic disappears", async () => {
    const text = read(root, "policies/backup.md").replace("last_reviewed: 2026-10-08", "last_reviewed: 2025-05-01 # by the board").replace("approved_on: 2026-04-22", "approved_on: 2025-05-01");
    const fixed = await applyFix("policies/backup.md", text, "review/overdue", `Mark as reviewed today (\`${TODAY}\`)`);
    expect(fixed).toContain(`last_reviewed: ${TODAY} # by the board\n`);
    expect(fixed.replace(`last_reviewed: ${TODAY}`, "last_reviewed: 2025-05-01")).toBe(text);
  });

  it("code actions 'quote a numeric version', 'add a missing required field' and 'correct to the did-you-mean' make their diagnostics disappear", async () => {
    const base = read(root, "policies/acceptable-use.md");
    const quoted = await applyFix("policies/acceptable-use.md", base.replace(/version: "[^"]*"/, "version: 2"), "schema/pattern", "Quote the version as `\"2.0\"`");
    expect(quoted).toContain('version: "2.0"\n');
    const added = await applyFix("policies/acceptable-use.md", base.replace(/\nowner: [^\n]*/, ""), "schema/required", "Add the missing field `owner`");
    expect(added).toMatch(/\nowner: \S/);
    const sop = read(root, "sops/patching.md");
    const corrected = await applyFix("sops/patching.md", sop.replace("NIST-CSF-2.0:ID.RA-01", "NIST-CSF-2.0:ID.RA-1"), "control/unknown", /^Change to `(NIST-CSF-2\.0:)?ID\.RA-01`$/);
    expect(corrected).toBe(sop);
  });

  it("executeCommand policyops.markReviewed sends workspace/applyEdit setting last_reviewed to today", async () => {
    const text = read(root, "policies/risk-management.md");
    await c.open("policies/risk-management.md", text);
    const ok = await c.conn.sendRequest(ExecuteCommandRequest.type, { command: "policyops.markReviewed", arguments: [c.uri("policies/risk-management.md")] });
    expect(ok).toBe(true);
    const edit = c.applied.at(-1)!.edit.changes![c.uri("policies/risk-management.md")]!;
    expect(applyEdits(text, edit)).toMatch(new RegExp(`\\nlast_reviewed: ${TODAY}\\n`));
  });

  it("stays responsive after $/cancelRequest and after superseded changes (only the last text counts)", async () => {
    const text = read(root, "policies/backup.md");
    await c.open("policies/backup.md", text);
    const source = new CancellationTokenSource();
    const cancelled = c.conn.sendRequest("policyops/report", { report: "compliance" }, source.token).then(() => "answered", (e: Error) => `rejected: ${e.message}`);
    source.cancel();
    expect(await cancelled).toMatch(/answered|rejected/);
    for (const status of ["x1", "x2", "x3"]) await c.change("policies/backup.md", text.replace("status: active", `status: ${status}`));
    const diags = await c.waitFor("policies/backup.md", (d) => d.some((x) => x.code === "schema/enum" && x.message.includes("`x3`")));
    expect(diags.filter((d) => d.code === "schema/enum")).toHaveLength(1);
    const h = (await c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri("policies/backup.md") }, position: posOf(text, "owner", 1) })) as Hover;
    expect((h.contents as { value: string }).value.length).toBeGreaterThan(0);
    await c.change("policies/backup.md", text);
  });
  it("completion and hover keep up with edits to other documents: a new id and title typed unsaved, a policy created and one deleted on disk, a catalogue's control added", async () => {
    // Files earlier tests opened are changed, not opened again (a re-open at version 1 would be older than their last change).
    const put = (file: string, text: string) => (c.texts.has(file) ? c.change(file, text) : c.open(file, text));
    const completeAt = async (file: string, text: string, needle: string, delta: number) => {
      await put(file, text);
      return c.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: c.uri(file) }, position: posOf(text, needle, delta) });
    };
    const sop = read(root, "sops/patching.md");
    const refText = sop.replace("policies: [POL-011, POL-006]", "policies: [POL-011, POL-006, P]");
    const ids = async () => completeAt("sops/patching.md", refText, ", P]", 3) as Promise<CompletionItem[]>;
    expect(labels(await ids())).toContain("POL-005");
    // An unsaved id and title change of the backup policy: offered at once, the old id no longer.
    const backup = read(root, "policies/backup.md");
    await put("policies/backup.md", backup);
    await c.change("policies/backup.md", backup.replace("id: POL-005", "id: POL-905").replace(/^title: .*$/m, "title: Backups Renamed"));
    let items = await ids();
    expect(labels(items)).not.toContain("POL-005");
    expect(items.find((i) => i.label === "POL-905")!.detail).toBe("policy: Backups Renamed");
    const hoverAt = (text: string, needle: string) => c.conn.sendRequest(HoverRequest.type, { textDocument: { uri: c.uri("sops/patching.md") }, position: posOf(text, needle, 2) }) as Promise<Hover | null>;
    const hovered = refText.replace("POL-006, P]", "POL-006, POL-905]");
    await c.change("sops/patching.md", hovered);
    expect(JSON.stringify((await hoverAt(hovered, "POL-905"))!.contents)).toContain("Backups Renamed");
    await c.change("policies/backup.md", backup);
    // A policy created on disk, then deleted.
    writeFileSync(join(root, "policies/new-one.md"), policy("POL-777"));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("policies/new-one.md"), type: FileChangeType.Created }] });
    items = await ids();
    expect(labels(items)).toEqual(expect.arrayContaining(["POL-005", "POL-777"]));
    unlinkSync(join(root, "policies/new-one.md"));
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("policies/new-one.md"), type: FileChangeType.Deleted }] });
    expect(labels(await ids())).not.toContain("POL-777");
    // A control added to a repository catalogue (unsaved) is completed in a controls list.
    const fw = "id: LOCAL-FW\ntitle: Local framework\nowner: IT Director\ncontrols:\n  - { id: C1, title: First control }\n";
    mkdirSync(join(root, "frameworks"), { recursive: true });
    writeFileSync(join(root, "frameworks/local.yaml"), fw);
    await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("frameworks/local.yaml"), type: FileChangeType.Created }] });
    const controlsText = backup.replace("  - NIST-CSF-2.0:PR.DS-01\n", "  - NIST-CSF-2.0:PR.DS-01\n  - L\n");
    const controls = async () => labels(await completeAt("policies/backup.md", controlsText, "  - L\n", 5));
    expect(await controls()).toContain("LOCAL-FW:C1");
    await put("frameworks/local.yaml", fw);
    await c.change("frameworks/local.yaml", `${fw}  - { id: C2, title: Second control }\n`);
    expect(await controls()).toEqual(expect.arrayContaining(["LOCAL-FW:C1", "LOCAL-FW:C2"]));
    await c.change("frameworks/local.yaml", fw);
    expect(await controls()).not.toContain("LOCAL-FW:C2");
    // Closed after being deleted on disk: the catalogue is gone, and so are its controls.
    unlinkSync(join(root, "frameworks/local.yaml"));
    await c.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: c.uri("frameworks/local.yaml") } });
    expect(await controls()).not.toContain("LOCAL-FW:C1");
    await c.change("policies/backup.md", backup);
    await c.change("sops/patching.md", sop);
  });
});

describe("policyops lsp --stdio: the custom requests return the CLI's JSON", () => {
  let root: string;
  let cleanup: () => void;
  let c: LspClient;
  beforeAll(async () => {
    ({ root, cleanup } = await templateRepo());
    // Use the bundle the extension ships, as it spawns it.
    c = await startLsp(root, { today: "2027-06-01", bundle: true });
    await until(() => c.summaries.length > 0);
  }, 60_000);
  afterAll(async () => {
    await c?.close();
    cleanup?.();
  });
  const cliJson = async (...args: string[]) => {
    const r = await cli([...args, root, "--format", "json", "--today", "2027-06-01"]);
    return JSON.parse(r.stdout) as unknown;
  };

  it("policyops/report gives exactly the JSON of `policyops <report> --format json` for licences, contracts, reviews, compliance and validate", async () => {
    for (const report of ["licences", "contracts", "reviews", "compliance", "validate"] as const) {
      expect(await c.conn.sendRequest("policyops/report", { report }), report).toEqual(await cliJson(report));
    }
    expect(await c.conn.sendRequest("policyops/report", { report: "licences", within: 90 })).toEqual(JSON.parse((await cli(["licences", root, "--format", "json", "--today", "2027-06-01", "--within", "90"])).stdout));
    // `today` per request: another day's report.
    expect(await c.conn.sendRequest("policyops/report", { report: "reviews", today: "2028-01-01" })).toEqual(JSON.parse((await cli(["reviews", root, "--format", "json", "--today", "2028-01-01"])).stdout));
  });

  it("policyops/list gives `policyops list <kind> --format json`, and an unknown kind is a clear error", async () => {
    expect(await c.conn.sendRequest("policyops/list", { kind: "licence" })).toEqual(await cliJson("list", "licence"));
    await expect(c.conn.sendRequest("policyops/list", { kind: "nope" })).rejects.toThrow("unknown kind `nope`");
  });

  it("policyops/kinds lists every kind with folder, format, origin and count", async () => {
    const kinds = (await c.conn.sendRequest("policyops/kinds")) as { kind: string; folder: string; markdown: boolean; builtIn: boolean; count: number }[];
    expect(kinds.find((k) => k.kind === "policy")).toEqual({ kind: "policy", folder: "policies", markdown: true, builtIn: true, count: 15 });
    expect(kinds.find((k) => k.kind === "licence")).toMatchObject({ folder: "licences", markdown: false, builtIn: true });
    expect(kinds.reduce((n, k) => n + k.count, 0)).toBe(templateDocumentCount());
  });

  it("policyops/calendar gives the CLI's ics output (DTSTAMP aside)", async () => {
    for (const report of ["licences", "reviews"] as const) {
      const { ics } = (await c.conn.sendRequest("policyops/calendar", { report })) as { ics: string };
      const cliIcs = (await cli([report, root, "--format", "ics", "--today", "2027-06-01"])).stdout;
      const strip = (s: string) => s.replace(/^DTSTAMP:.*$/gm, "DTSTAMP");
      expect(strip(ics)).toBe(strip(cliIcs));
      expect(ics).toContain("BEGIN:VEVENT");
    }
  });

  it("policyops/newDocument returns the next free id's draft and a free path, without writing it; the draft validates", async () => {
    const r = (await c.conn.sendRequest("policyops/newDocument", { kind: "sop", title: "Laptop rebuild" })) as { uri: string; text: string };
    expect(r.uri).toBe(c.uri("sops/laptop-rebuild.md"));
    expect(r.text).toMatch(/^---\nid: SOP-001\ntitle: Laptop rebuild\n/);
    expect(() => readFileSync(join(root, "sops/laptop-rebuild.md"))).toThrow();
    await c.open("sops/laptop-rebuild.md", r.text);
    const diags = await c.waitFor("sops/laptop-rebuild.md", () => true, 5_000).catch(() => [] as Diagnostic[]);
    expect(diags.filter((d) => d.severity === 1)).toEqual([]);
    await expect(c.conn.sendRequest("policyops/newDocument", { kind: "sop", title: "  " })).rejects.toThrow("title must not be empty");
  });

  it("policyops/summary reports overdue reviews and renewals due (licences and contracts) as the reports count them", async () => {
    const reviews = (await cliJson("reviews")) as { state: string }[];
    const licences = [...((await cliJson("licences")) as { status: string }[]), ...((await cliJson("contracts")) as { status: string }[])];
    expect(c.summaries.at(-1)).toMatchObject({
      documents: templateDocumentCount(),
      overdueReviews: reviews.filter((r) => r.state === "overdue").length,
      renewalsDue: licences.filter((r) => r.status === "renewal-due" || r.status === "cancel-by").length,
      today: "2027-06-01",
    });
    expect((c.summaries.at(-1) as { overdueReviews: number }).overdueReviews).toBeGreaterThan(0);
  });
});

describe("policyops lsp --stdio: the Renewals view's data (licences and contracts)", () => {
  it("policyops/report contracts feeds the Renewals view beside licences, grouped by status then days left; the summary counts a contract in its notice period as a renewal due", async () => {
    const t = tempDir("policyops-lsp-renewals-");
    try {
      const files: Record<string, string> = {
        "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: IT Procurement\n",
        "licences/m365.yaml": "id: LIC-M365\nproduct: Microsoft 365 E3\nowner: IT\ntype: subscription\nexpiry_date: 2026-08-15\nrenewal_notice_days: 60\n",
        "contracts/saas.yaml": "id: CON-SAAS\ntitle: Acme SaaS\nowner: IT\nvendor: VEN-ACME\ntype: saas\nstart_date: 2025-09-01\nend_date: 2026-08-31\nrenewal: auto\nnotice_days: 30\n",
        "contracts/support.yaml": "id: CON-SUPPORT\ntitle: Acme support\nowner: IT\nvendor: VEN-ACME\ntype: support\nstart_date: 2026-01-01\nend_date: 2028-12-31\nrenewal: manual\n",
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(t.dir, f.split("/")[0]!), { recursive: true });
        writeFileSync(join(t.dir, f), text);
      }
      const c = await startLsp(t.dir, { today: "2026-07-20" });
      try {
        await until(() => c.summaries.length > 0);
        const licences = (await c.conn.sendRequest("policyops/report", { report: "licences" })) as LicenceRow[];
        const contracts = (await c.conn.sendRequest("policyops/report", { report: "contracts" })) as ContractRow[];
        expect(contracts).toEqual(JSON.parse((await cli(["contracts", t.dir, "--format", "json", "--today", "2026-07-20"])).stdout));
        const groups = renewalGroups(licences, contracts);
        expect(groups.map((g) => [g.status, g.items.map((i) => `${i.record} ${i.id} ${renewalDescription(i)}`)])).toEqual([
          ["renewal-due", ["licence LIC-M365 licence · 26 days left"]],
          ["cancel-by", ["contract CON-SAAS contract · 42 days left, cancel by 2026-08-01"]],
          ["ok", ["contract CON-SUPPORT contract · 895 days left"]],
        ]);
        expect(c.summaries.at(-1)).toMatchObject({ renewalsDue: 2 });
      } finally {
        await c.close();
      }
    } finally {
      t.cleanup();
    }
  }, 60_000);
});

describe("policyops lsp --stdio: git history", () => {
  it("reads git history after the first diagnostics (approval/stale), and again after a commit (.git refs changed): a change after the new approval is stale", async () => {
    const t = tempDir("policyops-lsp-git-");
    try {
      const { commit } = await gitRepo(t.dir);
      await commit({ "policies/a.md": policy("POL-001") }, "Add the policy", "2026-02-01");
      await commit({ "policies/a.md": policy("POL-001", "", "## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat, changed.\n") }, "Change the policy after approval", "2026-04-01");
      const c = await startLsp(t.dir, { today: "2026-06-01" });
      try {
        const first = await c.waitFor("policies/a.md", (d) => d.some((x) => x.code === "approval/stale"));
        expect(first.find((x) => x.code === "approval/stale")!.message).toContain("\"Change the policy after approval\"");
        // Approved again, then changed again, both committed: only a fresh read of the history (after the refs
        // changed) knows of the later change; the old one would see no change after the new approval.
        const approved = policy("POL-001", "", "## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat, changed.\n").replace(/approved_on: 2026-03-01/, "approved_on: 2026-05-01");
        await commit({ "policies/a.md": approved }, "Record the approval", "2026-05-01");
        await commit({ "policies/a.md": approved.replace("What, changed.", "What, changed again.") }, "Change again", "2026-05-15");
        await c.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: c.uri("policies/a.md"), type: FileChangeType.Changed }, { uri: c.uri(".git/refs/heads/main"), type: FileChangeType.Changed }] });
        const again = await c.waitFor("policies/a.md", (d) => d.some((x) => x.code === "approval/stale" && x.message.includes("\"Change again\"")));
        expect(again.find((x) => x.code === "approval/stale")!.message).toContain("approval on `2026-05-01`");
      } finally {
        await c.close();
      }
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
