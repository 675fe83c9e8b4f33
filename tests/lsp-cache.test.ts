import { afterAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CompletionItem } from "vscode-languageserver";
import { load } from "../src/engine/index.js";
import { completion } from "../src/lsp/features.js";
import { RepoCache } from "../src/lsp/repo-cache.js";
import { policy, tempDir, writeRepo } from "./helpers/repo.js";
import { SCENARIO } from "./helpers/scenario.js";

describe("language server completion on a large repository (issue 15)", () => {
  const t = tempDir("policyops-lsp-cache-");
  afterAll(() => t.cleanup());

  it("completion in a reference list lists the documents once per edit that changes an id or title, not once per request, and drops duplicate labels", async () => {
    const root = join(t.dir, "r");
    const policies = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`policies/p${i}.md`, policy(`POL-${String(100 + i)}`)]));
    writeRepo(root, { ...SCENARIO, ...policies });
    const ws = await load(root, { today: "2026-06-30" });
    // The real workspace, with its full listings of documents counted.
    let listings = 0;
    const documents = ws.documents.bind(ws);
    ws.documents = () => (listings++, documents());
    const ctx = { ws, uriOf: (f: string) => pathToFileURL(join(root, f)).href, cache: new RepoCache() };
    const sop = SCENARIO["sops/s1.md"]!.replace("policies: [POL-001, POL-002]", "policies: [POL-001, POL-002, P]");
    ws.update("sops/s1.md", sop);
    const line = sop.split("\n").findIndex((l) => l.startsWith("policies:"));
    const at = { line, character: sop.split("\n")[line]!.indexOf(", P]") + 3 };
    const ids = () => (completion(ctx, "sops/s1.md", at) as CompletionItem[]).map((i) => i.label);
    const first = ids();
    expect(first).toEqual(expect.arrayContaining(["POL-001", "POL-002", "POL-100", "POL-129"]));
    expect(new Set(first).size).toBe(first.length);
    for (let i = 0; i < 5; i++) expect(ids()).toEqual(first);
    // A body edit of a policy changes no id or title: the list stays.
    ws.update("policies/p3.md", policy("POL-103").replace("Why.", "Why, edited."));
    ctx.cache.changed(ws, ["policies/p3.md"]);
    expect(ids()).toEqual(first);
    expect(listings).toBe(1);
    // An id change: offered at once.
    ws.update("policies/p3.md", policy("POL-903"));
    ctx.cache.changed(ws, ["policies/p3.md"]);
    const after = ids();
    expect(after).toContain("POL-903");
    expect(after).not.toContain("POL-103");
    expect(after).toHaveLength(first.length);
  });
});
