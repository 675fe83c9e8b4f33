import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { emptyHost, load, nodeHost, overlayHost } from "../src/engine/index.js";
import { corpus } from "./helpers/corpus.js";
import { policy, useTempRepos } from "./helpers/repo.js";
import { sop } from "./helpers/scenario.js";

const today = "2026-06-01";
const { repo } = useTempRepos("policyops-api-");

describe("engine API: every read goes through the Host", () => {
  it("load() on an overlay host over an empty base sees only the overlay (a root that exists nowhere on disk)", async () => {
    const root = "/nonexistent/policyops-overlay-root";
    const host = overlayHost(emptyHost);
    host.set(join(root, "policies/a.md"), policy("POL-001"));
    host.set(join(root, "sops/s.md"), sop("SOP-001", ["POL-001", "POL-404"]));
    host.set(join(root, "policyops.yaml"), "version: 1\nframeworks: []\n");
    const ws = await load(root, { today, host, git: false });
    expect(ws.documents().map((d) => d.file)).toEqual(["policies/a.md", "sops/s.md"]);
    const codes = ws.findings().map((f) => `${f.code} ${f.file} ${f.message}`);
    expect(codes.some((c) => c.startsWith("ref/unknown sops/s.md") && c.includes("`POL-404`"))).toBe(true);
    expect(ws.config.frameworks).toEqual([]);
  });

  it("load() with a relative root on a host without a working directory is a usage error, not a read of process.cwd()", async () => {
    const host = overlayHost(emptyHost);
    await expect(load("policies", { today, host, git: false })).rejects.toThrow(/`policies` is relative and the host has no working directory/);
  });

  it("an overlay buffer wins over the disk and a deleted buffer hides the file on disk", async () => {
    const root = repo({ "policies/a.md": policy("POL-001"), "sops/s.md": sop("SOP-001", ["POL-001"]) });
    const host = overlayHost(nodeHost);
    host.set(join(root, "policies/a.md"), policy("POL-009"));
    host.delete(join(root, "sops/s.md"));
    host.set(join(root, "policies/new/b.md"), policy("POL-002"));
    const ws = await load(root, { today, host, git: false });
    expect(ws.documents().map((d) => `${d.file} ${d.id}`)).toEqual(["policies/a.md POL-009", "policies/new/b.md POL-002"]);
  });

  it("Workspace.update ignores an update whose version is older than the last one seen for that file", async () => {
    const root = repo({ "policies/a.md": policy("POL-001"), "sops/s.md": sop("SOP-001", ["POL-001"]) });
    const ws = await load(root, { today, git: false });
    const v3 = ws.update("policies/a.md", policy("POL-003"), 3);
    expect(v3.get("sops/s.md")?.map((f) => f.message).join(" ")).toContain("`POL-001`");
    expect(ws.update("policies/a.md", policy("POL-001"), 2).size).toBe(0);
    expect(ws.facts("policies/a.md")?.id).toBe("POL-003");
    expect(ws.version("policies/a.md")).toBe(3);
    ws.update("policies/a.md", policy("POL-001"), 4);
    expect(ws.facts("policies/a.md")?.id).toBe("POL-001");
    expect(ws.findingsFor("sops/s.md")).toEqual([]);
  });
});

describe("engine API: config edits take effect", () => {
  it("reads the assurance settings `continuity`, `risks` and `changes` with their SPEC defaults, and a value given overrides only its own key", async () => {
    const host = overlayHost(emptyHost);
    const root = "/nonexistent/policyops-assurance-config";
    host.set(join(root, "policies/a.md"), policy("POL-001"));
    const defaults = await load(root, { today, host, git: false });
    expect([defaults.config.continuity, defaults.config.risks, defaults.config.changes]).toEqual([{ test_interval_months: 12 }, { appetite: 8 }, { review_within_days: 30 }]);
    host.set(join(root, "policyops.yaml"), "version: 1\ncontinuity: { test_interval_months: 6 }\nrisks: { appetite: 12 }\nchanges: { review_within_days: 14 }\n");
    const set = await load(root, { today, host, git: false });
    expect([set.config.continuity, set.config.risks, set.config.changes]).toEqual([{ test_interval_months: 6 }, { appetite: 12 }, { review_within_days: 14 }]);
    host.set(join(root, "policyops.yaml"), "version: 1\nrisks: { apetite: 12 }\n");
    await expect(load(root, { today, host, git: false })).rejects.toThrow(/Unknown field `risks.apetite` \(did you mean `appetite`\?\)/);
  });

  it("updating policyops.yaml re-derives the config: a changed kind folder, a rule turned off and a severity change apply at once", async () => {
    const root = repo({
      "policyops.yaml": "version: 1\n",
      "policies/a.md": policy("POL-001"),
      "rules-docs/b.md": policy("POL-002", "", "## Purpose\n\nx\n"),
      "sops/s.md": sop("SOP-001", ["POL-002"]),
    });
    const ws = await load(root, { today, git: false });
    expect(ws.findingsFor("sops/s.md").map((f) => f.code)).toEqual(["ref/unknown"]);
    const delta = ws.update("policyops.yaml", "version: 1\npaths:\n  policy: rules-docs\nrules:\n  sections/missing: warning\n");
    expect(ws.config.paths.policy).toBe("rules-docs");
    expect(ws.documents().map((d) => d.file)).toEqual(["rules-docs/b.md", "sops/s.md"]);
    expect(delta.get("sops/s.md")).toEqual([]);
    const sections = ws.findingsFor("rules-docs/b.md").filter((f) => f.code === "sections/missing");
    expect(sections.length).toBeGreaterThan(0);
    expect(sections.every((f) => f.severity === "warning")).toBe(true);
    ws.update("policyops.yaml", "version: 1\npaths:\n  policy: rules-docs\nrules:\n  sections/missing: 'off'\n");
    expect(ws.findingsFor("rules-docs/b.md").filter((f) => f.code === "sections/missing")).toEqual([]);
  });

  it("a config edited into something invalid is a config/invalid finding on policyops.yaml, the last valid config stays, and fixing it clears the finding", async () => {
    const root = repo({ "policyops.yaml": "version: 1\n", "policies/a.md": policy("POL-001") });
    const ws = await load(root, { today, git: false });
    const delta = ws.update("policyops.yaml", "version: 1\nrules:\n  link/brokn: warning\n");
    const problem = delta.get("policyops.yaml");
    expect(problem).toHaveLength(1);
    expect(problem![0]).toMatchObject({ code: "config/invalid", file: "policyops.yaml", line: 3, column: 3 });
    expect(problem![0]!.message).toContain("unknown rule `link/brokn` under `rules` (did you mean `link/broken`?)");
    expect(ws.config.rules).toEqual({});
    const broken = ws.update("policyops.yaml", "version: 1\nrules: [\n");
    expect(broken.get("policyops.yaml")?.[0]?.code ?? ws.findingsFor("policyops.yaml")[0]?.code).toBe("config/invalid");
    const fixed = ws.update("policyops.yaml", "version: 1\nrules:\n  link/broken: warning\n");
    expect(fixed.get("policyops.yaml")).toEqual([]);
    expect(ws.config.rules).toEqual({ "link/broken": "warning" });
  });
});

describe("engine API: cancellation", () => {
  it("an AbortSignal aborts the load of a large generated corpus promptly, and stops a long re-check (revalidate) that a later revalidate settles", async () => {
    const { root } = corpus({ docs: 2000, seed: 7 });
    const fullStart = Date.now();
    const ws = await load(root, { today, git: false });
    const fullLoad = Date.now() - fullStart;
    const all = ws.findings();

    const controller = new AbortController();
    let abortedAt = 0;
    controller.signal.addEventListener("abort", () => (abortedAt = Date.now()));
    const started = Date.now();
    setTimeout(() => controller.abort(), 20);
    await expect(load(root, { today, git: false, signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
    const settled = Date.now();
    expect(abortedAt).toBeGreaterThan(0);
    expect(settled - abortedAt).toBeLessThan(250);
    expect(settled - started).toBeLessThan(fullLoad);

    const early = new AbortController();
    early.abort(new Error("newer edit"));
    await expect(ws.revalidate(early.signal)).rejects.toThrow("newer edit");
    const racing = new AbortController();
    const run = ws.revalidate(racing.signal);
    setImmediate(() => racing.abort());
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    await ws.revalidate();
    expect(ws.findings()).toEqual(all);
  });
});

describe("engine API: what the site needs", () => {
  it("Workspace.text gives a file's text as edited, and sourceFiles lists every published file with its sha256, skipping .git and node_modules", async () => {
    const root = repo({
      "policies/a.md": policy("POL-001"),
      "licences/l.yaml": "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nagreement: agreements/x.pdf\n",
      "agreements/x.pdf": Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]),
      "README.md": "# Readme\n",
      ".git/HEAD": "ref: refs/heads/main\n",
      "node_modules/x/index.js": "x",
      ".cache/policyops/c.json": "{}",
    });
    const ws = await load(root, { today, git: false });
    expect(ws.text("README.md")).toBe("# Readme\n");
    ws.update("README.md", "# Edited\n");
    expect(ws.text("README.md")).toBe("# Edited\n");
    expect(ws.text("missing.md")).toBeUndefined();
    const files = ws.sourceFiles();
    expect(files.map((f) => f.file)).toEqual(["README.md", "agreements/x.pdf", "licences/l.yaml", "policies/a.md"]);
    const sha = (s: string | Uint8Array) => createHash("sha256").update(s).digest("hex");
    expect(files[0]).toEqual({ file: "README.md", sha256: sha("# Edited\n"), size: 9 });
    expect(files[1]).toEqual({ file: "agreements/x.pdf", sha256: sha(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff])), size: 6 });
    expect(files[3]!.sha256).toBe(sha(policy("POL-001")));
  });
});
