/**
 * Work an edit of a long page no longer does (issue 14, editor-sized update ≤ 10 ms p95):
 * counted, not timed, so the tests are exact on a loaded machine. The results themselves are
 * checked by the rules' fixtures and tests/workspace-incremental.test.ts.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { RULES, defaultConfig, load, nodeHost, type DocumentFacts, type Heading, type Host, type Rule } from "../src/engine/index.js";
import { policy, useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-editor-work-");

const rule = (code: string): Rule => RULES.find((r) => r.meta.code === code)!;
const range = (line: number) => ({ line, column: 1, endLine: line, endColumn: 10 });

function page(headings: Heading[], links: DocumentFacts["links"] = []): DocumentFacts {
  return { file: "policies/long.md", kind: "policy", format: "markdown", parsed: true, id: "POL-001", title: "Long", values: {}, ranges: {}, headings, links, htmlAnchors: [], bodyLine: 12, lineLengths: [80] };
}

afterEach(() => vi.restoreAllMocks());

describe("an edit of a long page", () => {
  it("sections/missing stops reading headings once every required section is found", () => {
    let reads = 0;
    const counted = (text: string, line: number): Heading => ({ depth: 2, slug: text.toLowerCase(), range: range(line), get text() { reads++; return text; } });
    const headings = ["Purpose", "Scope", "Policy", ...Array.from({ length: 500 }, (_, i) => `Control area ${i}`)].map((t, i) => counted(t, 14 + 4 * i));
    const doc = page(headings);
    const reports: unknown[] = [];
    const config = defaultConfig();
    rule("sections/missing").check({ doc, config, repo: { headings: (d: DocumentFacts) => d.headings! }, report: (r: unknown) => reports.push(r) } as never);
    expect(reports).toEqual([]);
    expect(config.sections.policy).toHaveLength(3);
    expect(reads).toBe(3);
  });

  it("sections/missing still reports a required section no `##` heading supplies, after reading them all", () => {
    const doc = page([{ depth: 2, text: "1. Purpose:", slug: "1-purpose", range: range(14) }, { depth: 3, text: "Scope", slug: "scope", range: range(16) }, { depth: 2, text: "Policy", slug: "policy", range: range(18) }]);
    const reports: { data?: unknown }[] = [];
    rule("sections/missing").check({ doc, config: defaultConfig(), repo: { headings: (d: DocumentFacts) => d.headings! }, report: (r: { data?: unknown }) => reports.push(r) } as never);
    expect(reports.map((r) => r.data)).toEqual([{ section: "Scope" }]);
  });

  it("link/broken decodes a link's path and anchor only when they hold a percent escape", () => {
    const spy = vi.spyOn(globalThis, "decodeURIComponent");
    const headings: Heading[] = [{ depth: 2, text: "Purpose", slug: "purpose", range: range(14) }];
    const links = Array.from({ length: 200 }, (_, i) => ({ url: i === 0 ? "#pur%70ose" : "#purpose", kind: "link" as const, range: range(16 + i) }));
    const reports: unknown[] = [];
    const repo = { anchors: () => new Set(["purpose"]), exists: () => true, leaves: () => false };
    rule("link/broken").check({ doc: page(headings, links), config: defaultConfig(), repo, report: (r: unknown) => reports.push(r) } as never);
    expect(reports).toEqual([]);
    expect(spy.mock.calls).toEqual([["pur%70ose"]]);
  });
});

describe("Workspace.update of a page's body", () => {
  const licence = (agreement: string) => `id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nagreement: ${agreement}\n`;
  const FILES = {
    "policies/a.md": policy("POL-001"),
    "licences/l.yaml": licence("agreements/x.md"),
    "agreements/x.md": "---\nid: AGR-001\n---\n\n# Agreement\n",
  };
  /** nodeHost, counting the listings of the repository's root (what `folder/ungoverned` starts from). */
  function counting(root: string): { host: Host; rootListings: () => number } {
    let n = 0;
    return { host: { ...nodeHost, readdir: (p: string) => (p === root && n++, nodeHost.readdir(p)) }, rootListings: () => n };
  }

  it("reuses the front matter's parsed values when only the body changed", async () => {
    const root = repo(FILES);
    const ws = await load(root, { today: "2026-06-30", git: false });
    ws.update("policies/a.md", policy("POL-001", "", "## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n"));
    const before = ws.facts("policies/a.md")!.values;
    ws.update("policies/a.md", policy("POL-001", "", "## Purpose\n\nWhy, edited.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n"));
    expect(ws.facts("policies/a.md")!.values).toBe(before);
    ws.update("policies/a.md", policy("POL-001", "review_cycle_months: 6\n", "## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n"));
    expect(ws.facts("policies/a.md")!.values).not.toBe(before);
    expect(ws.facts("policies/a.md")!.values.review_cycle_months).toBe(6);
  });

  it("does not list the repository's root again for folder/ungoverned, unless a path field changed", async () => {
    const root = repo(FILES);
    const { host, rootListings } = counting(root);
    const ws = await load(root, { today: "2026-06-30", git: false, host });
    expect(ws.findings().filter((f) => f.code === "folder/ungoverned")).toEqual([]);
    const listed = rootListings();
    ws.update("policies/a.md", policy("POL-001", "", "## Purpose\n\nWhy, edited.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n"));
    expect(rootListings()).toBe(listed);
    // The licence stops naming agreements/: the folder is ungoverned now, and said so.
    const delta = ws.update("licences/l.yaml", licence("contracts/x.pdf"));
    expect(rootListings()).toBeGreaterThan(listed);
    expect(delta.get("agreements/x.md")?.map((f) => f.message)).toEqual([
      "No kind governs the folder `agreements/`, so its Markdown and YAML files are never checked; declare a kind for it in `kinds/<kind>.schema.json` (with `\"folder\": \"agreements\"`) or list `agreements` under `ignore:` in `policyops.yaml`.",
    ]);
  });
});
