import { cpSync, existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { deserialize } from "node:v8";
import { afterEach, describe, expect, it, vi } from "vitest";
import { load, type FileResult } from "../src/engine/index.js";
import { ParseCache } from "../src/engine/io/run-cache.js";
import { StatHelper } from "../src/engine/io/stat-helper.js";
import { Workspace } from "../src/engine/workspace/workspace.js";
import { ungovernedFolders } from "../src/engine/facts/ungoverned.js";
import { nodeHost } from "../src/engine/io/node-host.js";
import { loadConfig } from "../src/engine/config/load-config.js";
import { parseSequentially } from "../src/engine/facts/read.js";
import { gitRepo } from "./helpers/git.js";
import { SCENARIO, SCENARIO_EDITS, sop, type Edit } from "./helpers/scenario.js";
import { policy, tempDir, writeRepo } from "./helpers/repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
const dir = () => {
  const t = tempDir("policyops-cache-");
  cleanups.push(t.cleanup);
  return t.dir;
};

const FILES = {
  "policies/a.md": policy("POL-001"),
  "policies/b.md": policy("POL-002", "", "## Purpose\n"),
  "licences/l.yaml": "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\n",
};

async function run(root: string, cacheFile: string, engine = "test-engine") {
  const cache = new ParseCache(cacheFile, engine);
  let parsed = 0;
  const counting = async (...args: Parameters<typeof parseSequentially>): Promise<FileResult[]> => {
    parsed += args[1].length;
    return parseSequentially(...args);
  };
  const ws = await load(root, { today: "2026-06-30", parseAll: cache.parser(counting), previousGit: cache.git });
  const findings = ws.findings();
  cache.git = ws.git;
  cache.save();
  return { findings, parsed, stats: cache.stats };
}

describe("parse cache", () => {
  it("hits on size+mtime, on content hash after a copy (new mtimes), and re-parses what changed", async () => {
    const root = writeRepo(dir(), FILES);
    const cacheFile = join(dir(), "cache.v8");
    const cold = await run(root, cacheFile);
    expect(cold.parsed).toBe(3);
    const warm = await run(root, cacheFile);
    expect(warm.parsed).toBe(0);
    expect(warm.findings).toEqual(cold.findings);
    // A moved checkout: every mtime is new, the content is not.
    const moved = join(dir(), "moved");
    cpSync(root, moved, { recursive: true });
    const now = new Date(Date.now() + 60_000);
    for (const f of Object.keys(FILES)) utimesSync(join(moved, f), now, now);
    const afterMove = await run(moved, cacheFile);
    expect(afterMove.parsed).toBe(0);
    expect(afterMove.findings).toEqual(cold.findings);
    // One edit: one file parsed again, its new finding reported.
    writeFileSync(join(moved, "licences/l.yaml"), "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nseats: 1\nassigned: 2\n");
    const edited = await run(moved, cacheFile);
    expect(edited.parsed).toBe(1);
    expect(edited.findings.map((f) => f.code)).toContain("licence/over-allocated");
  });

  it("after a small change writes only a delta beside the base, and reads both back", async () => {
    const root = writeRepo(dir(), FILES);
    const cacheFile = join(dir(), "cache.v8");
    await run(root, cacheFile);
    const base = readFileSync(cacheFile);
    writeFileSync(join(root, "policies/b.md"), policy("POL-002"));
    const edited = await run(root, cacheFile);
    expect(edited.parsed).toBe(1);
    expect(readFileSync(cacheFile)).toEqual(base); // the base is untouched
    expect(existsSync(cacheFile.replace(/\.v8$/, ".delta.v8"))).toBe(true);
    const again = await run(root, cacheFile);
    expect(again.parsed).toBe(0); // the delta's entry is used
    expect(again.findings).toEqual(edited.findings);
    // A delta that belongs to another base is ignored.
    rmSync(cacheFile);
    const fresh = await run(root, cacheFile);
    expect(fresh.parsed).toBe(3);
  });

  it("ignores a cache from another build, and a corrupt or foreign file", async () => {
    const root = writeRepo(dir(), FILES);
    const cacheFile = join(dir(), "cache.v8");
    await run(root, cacheFile, "build-1");
    expect((await run(root, cacheFile, "build-2")).parsed).toBe(3);
    writeFileSync(cacheFile, "not a cache");
    expect((await run(root, cacheFile, "build-2")).parsed).toBe(3);
    writeFileSync(cacheFile, JSON.stringify({ magic: "policyops-cache", entries: {} }));
    expect((await run(root, cacheFile, "build-2")).parsed).toBe(3);
  });

  it("keeps git facts while HEAD stays, and reads them again after a commit", async () => {
    const root = dir();
    const { commit } = await gitRepo(root);
    await commit(FILES, "Add", "2026-02-01");
    const cacheFile = join(dir(), "cache.v8");
    await run(root, cacheFile);
    const cached = new ParseCache(cacheFile, "test-engine").git!;
    expect(cached.history.get("policies/a.md")!.map((c) => c.subject)).toEqual(["Add"]);
    await commit({ "policies/a.md": policy("POL-001", "", "## Purpose\n\nNew.\n\n## Scope\n\n## Policy\n") }, "Quiet change", "2026-05-01");
    const after = await run(root, cacheFile);
    expect(after.findings.map((f) => `${f.file} ${f.code}`)).toContain("policies/a.md approval/stale");
  });
});

describe("rule results kept in the cache", () => {
  const BASE = SCENARIO;
  const EDITS: Edit[] = [
    ...SCENARIO_EDITS,
    // dates and config change what rules say without any document changing
    { file: "licences/l.yaml", content: "id: LIC-001\nproduct: X\ntype: subscription\nowner: IT\nexpiry_date: 2026-08-01\nagreement: agreements/x.md\n" },
    { file: "policyops.yaml", content: "licences:\n  horizon_days: 10\n" },
    { file: "policyops.yaml", content: "version: 1\n" },
    // config entries checked against catalogues that come and go (control/unknown on policyops.yaml)
    { file: "policyops.yaml", content: 'frameworks: [NIST-CSF-2.0, LOCAL-FW]\nnot_applicable:\n  - { control: "LOCAL-FW:C2", reason: "not here" }\n' },
    { file: "frameworks/local.yaml", content: "id: LOCAL-FW\ntitle: Local\nowner: IT\ncontrols:\n  - { id: C1, title: One }\n" },
    { file: "frameworks/local.yaml", content: "id: LOCAL-FW\ntitle: Local\nowner: IT\ncontrols:\n  - { id: C2, title: Two }\n" },
    { file: "frameworks/local.yaml", content: null },
  ];

  it("give exactly the findings of an uncached run, after any sequence of edits and days", async () => {
    const { default: fc } = await import("fast-check");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(EDITS.length - 1), fc.constantFrom("2026-06-30", "2026-07-20")), { minLength: 1, maxLength: 6 }), async (steps) => {
        const root = writeRepo(dir(), BASE);
        const cacheFile = join(dir(), "cache.v8");
        const cachedRun = async (today: string) => {
          const cache = new ParseCache(cacheFile, "test-engine");
          const ws = await load(root, { today, parseAll: cache.parser(parseSequentially), ruleMemos: cache, previousGit: () => cache.git, incremental: false });
          const findings = ws.findings();
          cache.save();
          return findings;
        };
        await cachedRun("2026-06-30");
        for (const [i, today] of steps) {
          const edit = EDITS[i]!;
          if (edit.content === null) rmSync(join(root, edit.file), { force: true });
          else writeRepo(root, { [edit.file]: edit.content });
          // mtimes can be equal within a test: the content hash must still catch the change
          const cached = await cachedRun(today);
          const fresh = (await load(root, { today, git: false })).findings();
          expect(cached).toEqual(fresh);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("warm runs from the cache (issue 14)", () => {
  /** A `validate --cache` run in-process: parse cache, kept rule results and git facts, saved after. */
  async function warmRun(root: string, cacheFile: string, keyFile: string, today = "2026-06-30") {
    const cache = new ParseCache(cacheFile, "test-engine", { keyFile });
    const ws = await load(root, { today, parseAll: cache.parser(parseSequentially), ruleMemos: cache, previousGit: () => cache.git, incremental: false });
    const findings = ws.findings();
    const facts = ws.documents().map((d) => ws.facts(d.file)!);
    cache.git = ws.git;
    cache.save();
    return { findings, facts, stats: cache.stats, changes: cache.changes() };
  }
  const fresh = async (root: string, today = "2026-06-30") => (await load(root, { today, git: false })).findings();
  const setup = async (files: Record<string, string> = SCENARIO) => {
    const root = writeRepo(dir(), files);
    const cacheFile = join(dir(), "cache.v8");
    const keyFile = join(dir(), "key");
    await warmRun(root, cacheFile, keyFile);
    return { root, cacheFile, keyFile };
  };

  it("reports a broken anchor in another document when an edit renames the heading it links to", async () => {
    const { root, cacheFile, keyFile } = await setup();
    expect((await warmRun(root, cacheFile, keyFile)).findings.filter((f) => f.file === "sops/s1.md" && f.code === "link/broken")).toEqual([]);
    writeRepo(root, { "policies/a.md": policy("POL-001", "", "## Purposes\n\n## Scope\n\n## Policy\n") });
    const warm = await warmRun(root, cacheFile, keyFile);
    expect(warm.stats.misses).toBe(1);
    const broken = warm.findings.filter((f) => f.file === "sops/s1.md" && f.code === "link/broken");
    expect(broken.map((f) => f.message)).toEqual(["`../policies/a.md` has no heading with the anchor `#purpose` (did you mean `#purposes`?); link to an existing heading."]);
    expect(warm.findings).toEqual(await fresh(root));
  });

  it("reports a retired policy in the SOPs that reference it when only the policy changed", async () => {
    const { root, cacheFile, keyFile } = await setup();
    writeRepo(root, { "policies/b.md": policy("POL-002").replace("status: active", "status: retired") });
    const warm = await warmRun(root, cacheFile, keyFile);
    expect(warm.stats.misses).toBe(1);
    const onSops = warm.findings.filter((f) => f.file.startsWith("sops/") && f.code === "ref/retired");
    expect(onSops.map((f) => `${f.file}: ${f.message}`).sort()).toEqual([
      "sops/s1.md: `policies` names `POL-002`, which is retired; reference its replacement or remove the reference.",
      "sops/s2.md: `policies` names `POL-002`, which is retired; reference its replacement or remove the reference.",
    ]);
    expect(warm.findings).toEqual(await fresh(root));
  });

  it("treats a touched but unchanged file as a hit (content hash) and reports the same findings", async () => {
    const { root, cacheFile, keyFile } = await setup();
    const before = await warmRun(root, cacheFile, keyFile);
    const later = new Date(Date.now() + 120_000);
    utimesSync(join(root, "sops/s2.md"), later, later);
    const touched = await warmRun(root, cacheFile, keyFile);
    expect(touched.stats.misses).toBe(0);
    expect(touched.findings).toEqual(before.findings);
    expect(touched.findings).toEqual(await fresh(root));
  });

  it("drops kept rule results when the config changes what a rule says", async () => {
    const files = { ...SCENARIO, "licences/l.yaml": "id: LIC-001\nproduct: X\ntype: subscription\nowner: IT\nexpiry_date: 2026-08-01\nagreement: agreements/x.md\n" };
    const { root, cacheFile, keyFile } = await setup(files);
    const before = await warmRun(root, cacheFile, keyFile);
    const due = before.findings.filter((f) => f.file === "licences/l.yaml" && f.code === "licence/renewal-due");
    expect(due.map((f) => f.message)).toEqual(["Licence for `X` expires on `2026-08-01` (in 32 days, inside its 60-day notice period); start the renewal now."]);
    writeRepo(root, { "policyops.yaml": "licences:\n  default_notice_days: 20\n" });
    const after = await warmRun(root, cacheFile, keyFile);
    expect(after.stats.misses).toBe(0); // no document changed
    expect(after.findings.filter((f) => f.code === "licence/renewal-due")).toEqual([]);
    expect(after.findings).toEqual(await fresh(root));
  });

  it("keeps the run's context and each lookup's signature once per cache file, not once per document", async () => {
    const many: Record<string, string> = { ...SCENARIO };
    for (let i = 3; i < 40; i++) many[`sops/s${i}.md`] = sop(`SOP-${String(i).padStart(3, "0")}`, ["POL-001", "POL-002"]);
    const { cacheFile, keyFile } = await setup(many);
    const data = readFileSync(cacheFile);
    const key = readFileSync(keyFile);
    const header = Buffer.from("policyops-cache\n", "latin1");
    const payload = data.subarray(header.length + 32);
    expect(createHmac("sha256", key).update(header).update(payload).digest()).toEqual(data.subarray(header.length, header.length + 32));
    const file = deserialize(payload) as { memo: { contexts: string[]; keys: string[]; sigs: string[] }; entries: { files: string[]; contexts: Int32Array; depStarts: Uint32Array; deps: Uint32Array } };
    expect(file.memo.contexts).toHaveLength(1);
    expect(file.memo.contexts[0]).toContain("2026-06-30|");
    // every SOP asks for POL-001 and POL-002: one entry each in the table, numbered from the documents
    expect(file.memo.keys.filter((k) => k === "id:POL-001")).toHaveLength(1);
    const pol1 = file.memo.keys.indexOf("id:POL-001");
    const rows = file.entries.files.map((f, i) => ({ f, i })).filter(({ f }) => f.startsWith("sops/") && !(f in SCENARIO));
    expect(rows).toHaveLength(37);
    const { contexts, depStarts, deps } = file.entries;
    for (const { i } of rows) {
      expect(contexts[i]).toBe(0);
      expect([...deps.subarray(depStarts[i], depStarts[i + 1])]).toContain(pol1);
    }
  });

  it("gives back facts (headings, links, anchors, positions) equal to a fresh parse's, read from the cache only when asked", async () => {
    const { root, cacheFile, keyFile } = await setup();
    const warm = await warmRun(root, cacheFile, keyFile);
    expect(warm.stats.misses).toBe(0);
    const ws = await load(root, { today: "2026-06-30", git: false });
    for (const f of warm.facts) {
      const cold = ws.facts(f.file)!;
      const fields = (d: typeof f) => ({ file: d.file, kind: d.kind, format: d.format, parsed: d.parsed, id: d.id, title: d.title, values: d.values, headings: d.headings, links: d.links, htmlAnchors: d.htmlAnchors, bodyLine: d.bodyLine });
      expect(fields(f)).toEqual(fields(cold));
    }
  });
  it("vouches for a lookup without asking it again only when it knows every change since the stored run", async () => {
    const { root, cacheFile, keyFile } = await setup();
    const b = readFileSync(join(root, "policies/b.md"), "utf8");
    // An edit and a removal: exactly those, each with its facts as stored (before the edit).
    writeRepo(root, { "sops/s2.md": sop("SOP-022", ["POL-002"], "../policies/b.md#scope") });
    rmSync(join(root, "policies/b.md"));
    const edited = await warmRun(root, cacheFile, keyFile);
    expect([...edited.changes!.files].sort()).toEqual(["policies/b.md", "sops/s2.md"]);
    expect(edited.changes!.before.map((d) => `${d.file} ${d.id}`).sort()).toEqual(["policies/b.md POL-002", "sops/s2.md SOP-002"]);
    expect(edited.findings).toEqual(await fresh(root));
    expect(edited.findings.map((f) => `${f.file} ${f.code}`)).toContain("sops/s2.md ref/unknown");
    // Nothing changed since: nothing to suspect.
    const again = await warmRun(root, cacheFile, keyFile);
    expect(again.changes).toEqual({ files: new Set(), before: [] });
    expect(again.findings).toEqual(edited.findings);
    // A repository kind appears: the kinds differ from the stored run's, so nothing is vouched for.
    writeRepo(root, { "kinds/workshop.schema.json": JSON.stringify({ type: "object", "x-policyops": { kind: "workshop", folder: "workshops", format: "yaml", idPrefix: "WKS" }, properties: { id: { type: "string" } } }) });
    const kinds = await warmRun(root, cacheFile, keyFile);
    expect(kinds.changes).toBeNull();
    expect(kinds.findings).toEqual(await fresh(root));
    // A document the cache cannot keep (too large to hash): the run that saw it vouches for nothing, nor does the next.
    writeRepo(root, { "policies/big.md": policy("POL-009") + "x".repeat(5 * 1024 * 1024) });
    const big = await warmRun(root, cacheFile, keyFile);
    expect(big.findings).toEqual(await fresh(root));
    rmSync(join(root, "policies/big.md"));
    writeRepo(root, { "policies/b.md": b });
    const after = await warmRun(root, cacheFile, keyFile);
    expect(after.changes).toBeNull();
    expect(after.findings).toEqual(await fresh(root));
    const settled = await warmRun(root, cacheFile, keyFile);
    expect(settled.changes).toEqual({ files: new Set(), before: [] });
  });
  it("re-checks an unchanged manual when a change record it looks up by kind changes: manual/outdated appears on the warm run", async () => {
    // The manual reads every change record (a `kind:` lookup), not one by id.
    const fixture = join("src/engine/rules/manual/outdated/fixtures/invalid/approval-is-the-baseline-without-last-reviewed");
    const files = Object.fromEntries(["changes/fw.md", "systems/fw.yaml", "manuals/fw.md"].map((f) => [f, readFileSync(join(fixture, f), "utf8")]));
    const before = files["changes/fw.md"]!.replace("implemented_on: 2026-05-10", "implemented_on: 2026-01-05");
    const { root, cacheFile, keyFile } = await setup({ ...files, "changes/fw.md": before });
    expect((await warmRun(root, cacheFile, keyFile)).findings.filter((f) => f.code === "manual/outdated")).toEqual([]);
    writeRepo(root, { "changes/fw.md": files["changes/fw.md"]! });
    const warm = await warmRun(root, cacheFile, keyFile);
    expect(warm.changes!.files).toEqual(new Set(["changes/fw.md"]));
    expect(warm.findings.filter((f) => f.code === "manual/outdated").map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      "manuals/fw.md:6 The manual was last reviewed on `2026-01-10` (`approved_on`) but 1 change to it or its system `SYS-FW` was implemented since (latest `CHG-001` on `2026-05-10`); review the manual against the change and update `last_reviewed`.",
    ]);
    expect(warm.findings).toEqual(await fresh(root));
  });
  it("re-checks an unchanged contract when the values of a system it reads change: sla/gap appears on the warm run", async () => {
    // The contract reads the system's values (a `doc:` lookup); the system's id, kind and status stay.
    const fixture = join("src/engine/rules/sla/gap/fixtures/invalid/resolution-over-rto");
    const files = Object.fromEntries(["contracts/acme.yaml", "systems/backup.yaml"].map((f) => [f, readFileSync(join(fixture, f), "utf8")]));
    const { root, cacheFile, keyFile } = await setup({ ...files, "systems/backup.yaml": files["systems/backup.yaml"]!.replace("rto_hours: 8", "rto_hours: 48") });
    expect((await warmRun(root, cacheFile, keyFile)).findings.filter((f) => f.code === "sla/gap")).toEqual([]);
    writeRepo(root, { "systems/backup.yaml": files["systems/backup.yaml"]! });
    const warm = await warmRun(root, cacheFile, keyFile);
    expect(warm.changes!.files).toEqual(new Set(["systems/backup.yaml"]));
    expect(warm.findings.filter((f) => f.code === "sla/gap").map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`)).toEqual([
      "contracts/acme.yaml:8:11 Support contract promises resolution within 24 hours but system `SYS-BACKUP` must be recovered within 8 hours (`rto_hours`); negotiate a shorter resolution time or plan recovery without the supplier.",
    ]);
    expect(warm.findings).toEqual(await fresh(root));
  });
  it("suggests a record added since the stored run to an unchanged document that names an unknown one (an `ids:` lookup)", async () => {
    const fixture = join("src/engine/rules/ref/unknown/fixtures/invalid/budget-line-unknown-budget-and-unknown-line");
    const files = Object.fromEntries(["vendors/acme.yaml", "budgets/2027.yaml", "contracts/support.yaml", "licences/suite.yaml"].map((f) => [f, readFileSync(join(fixture, f), "utf8")]));
    const { root, cacheFile, keyFile } = await setup(files);
    const hint = (findings: { file: string; message: string }[]) => findings.filter((f) => f.file === "contracts/support.yaml").map((f) => f.message);
    expect(hint((await warmRun(root, cacheFile, keyFile)).findings)).toEqual([
      "`budget_line` names `BUD-2072/L1`, but no budget has the id `BUD-2072` (did you mean `BUD-2027`?); correct the part before the `/` or add the budget.",
    ]);
    // A budget whose id is nearer: the contract is unchanged, but the list of budget ids it read is not.
    writeRepo(root, { "budgets/2071.yaml": files["budgets/2027.yaml"]!.replace("BUD-2027", "BUD-2071").replace('"2027"', '"2071"') });
    const warm = await warmRun(root, cacheFile, keyFile);
    expect(warm.changes!.files).toEqual(new Set(["budgets/2071.yaml"]));
    expect(hint(warm.findings)).toEqual([
      "`budget_line` names `BUD-2072/L1`, but no budget has the id `BUD-2072` (did you mean `BUD-2071`?); correct the part before the `/` or add the budget.",
    ]);
    expect(warm.findings).toEqual(await fresh(root));
  });

  it("does not work out again the anchors of documents that did not change, nor the id lists of kinds no change touched", async () => {
    const { root, cacheFile, keyFile } = await setup();
    writeRepo(root, { "licences/l.yaml": SCENARIO["licences/l.yaml"]!.replace("product: X", "product: Y") });
    const asked: string[] = [];
    const original = Workspace.prototype.signature;
    const spy = vi.spyOn(Workspace.prototype, "signature").mockImplementation(function (this: Workspace, key: string) {
      asked.push(key);
      return original.call(this, key);
    });
    try {
      const warm = await warmRun(root, cacheFile, keyFile);
      expect(warm.changes!.files).toEqual(new Set(["licences/l.yaml"]));
      expect(warm.findings).toEqual(await fresh(root));
    } finally {
      spy.mockRestore();
    }
    // The SOPs link to anchors of the policies: neither those nor the policies' ids are asked again.
    expect(asked.filter((k) => k.startsWith("anchors:") || k.startsWith("ids:policy") || k.startsWith("id:POL"))).toEqual([]);
  });

  it("reads no document's values for folder/ungoverned while every top-level folder is governed or ignored", async () => {
    // A warm run hands out cached facts whose values are decoded on first read: 2,000 licences' on the 10k corpus.
    const root = writeRepo(dir(), { ...SCENARIO, "policyops.yaml": "ignore: [agreements]\n" });
    const ws = await load(root, { today: "2026-06-30", git: false });
    const config = loadConfig(root, nodeHost);
    const untouchable = ws.documents().map((d) => Object.defineProperty({ ...ws.facts(d.file)! }, "values", { get: () => expect.unreachable(`values of ${d.file} read`) }));
    expect(ungovernedFolders(root, config, nodeHost, untouchable)).toEqual([]);
    // With a folder left over, the path fields are read (agreements/ is the licence's), and the answer is the same as before.
    writeRepo(root, { "policyops.yaml": "version: 1\n", "notes/n.md": "---\nid: X-1\n---\n" });
    const open = loadConfig(root, nodeHost);
    expect(ungovernedFolders(root, open, nodeHost, ws.documents().map((d) => ws.facts(d.file)!)).map((f) => f.data)).toEqual([{ folder: "notes" }]);
  });

  it("after a fresh copy of the repository (new inodes and times, same content) writes the new stats as delta rows, not a new base, and the next run reads no file", async () => {
    const many: Record<string, string> = { ...SCENARIO };
    for (let i = 3; i < 80; i++) many[`sops/s${i}.md`] = sop(`SOP-${String(i).padStart(3, "0")}`, ["POL-001"]);
    const { root, cacheFile, keyFile } = await setup(many);
    const base = readFileSync(cacheFile);
    // A CI job: a fresh checkout elsewhere, the cache restored into it.
    const copy = join(dir(), "checkout");
    cpSync(root, copy, { recursive: true });
    const copiedCache = join(copy, "cache.v8");
    cpSync(cacheFile, copiedCache);
    // The job runs a few seconds after the checkout: past the racy-clean margin (2 s), so the
    // new stats can vouch for the files next time (the clock is moved rather than waited for).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3000 });
    let restored;
    try {
      restored = await warmRun(copy, copiedCache, keyFile);
    } finally {
      vi.useRealTimers();
    }
    // Every governed file (82: the README and agreements/ are not) is read once to compare its content.
    expect(restored.stats).toMatchObject({ hits: 82, misses: 0, hashed: 82 });
    expect(restored.findings).toEqual(await fresh(copy));
    expect(readFileSync(copiedCache)).toEqual(base); // the base is not rewritten
    expect(existsSync(copiedCache.replace(/\.v8$/, ".delta.v8"))).toBe(true);
    const next = await warmRun(copy, copiedCache, keyFile);
    expect(next.stats).toMatchObject({ misses: 0, hashed: 0 });
    expect(next.findings).toEqual(restored.findings);
    expect(readFileSync(copiedCache)).toEqual(base);
    // An edit after that is still seen, and only that file is read.
    writeRepo(copy, { "sops/s5.md": sop("SOP-005", ["POL-404"]) });
    const edited = await warmRun(copy, copiedCache, keyFile);
    expect(edited.stats).toMatchObject({ misses: 1, hashed: 1 });
    expect(edited.findings).toEqual(await fresh(copy));
    expect(edited.findings.filter((f) => f.file === "sops/s5.md").map((f) => f.code)).toContain("ref/unknown");
  });

  it("a StatHelper stats on two threads what nodeHost stats on one, null where a file is gone, and the cache given it reuses and re-reads the same files", async () => {
    const many: Record<string, string> = { ...SCENARIO };
    for (let i = 3; i < 700; i++) many[`sops/s${i}.md`] = sop(`SOP-${String(i).padStart(3, "0")}`, ["POL-001"]);
    const { root, cacheFile, keyFile } = await setup(many);
    const helper = new StatHelper();
    try {
      const paths = Object.keys(many).map((f) => join(root, f));
      paths.splice(600, 0, join(root, "sops", "gone.md"));
      const two = await helper.statMany(paths);
      expect(two[600]).toBeNull();
      expect(two.filter((s) => s !== null)).toEqual(paths.filter((_, i) => i !== 600).map((p) => nodeHost.stat(p)));
      // Past the racy-clean margin, so stats can vouch for the files (the clock is moved, not waited for).
      vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3000 });
      try {
        await warmRun(root, cacheFile, keyFile);
        writeRepo(root, { "sops/s650.md": sop("SOP-650", ["POL-404"]) });
        let batches = 0;
        const cache = new ParseCache(cacheFile, "test-engine", { keyFile, statMany: (p) => (batches++, helper.statMany(p)) });
        const ws = await load(root, { today: "2026-06-30", parseAll: cache.parser(parseSequentially), ruleMemos: cache, previousGit: () => cache.git, incremental: false });
        expect(batches).toBe(1);
        expect(cache.stats).toMatchObject({ misses: 1, hashed: 1 });
        expect(ws.findings()).toEqual(await fresh(root));
      } finally {
        vi.useRealTimers();
      }
    } finally {
      await helper.close();
    }
  });

  it("a process that runs again (the daemon) takes the base file it already read from memory, and reads the file anew once the path names another", async () => {
    const { root, cacheFile, keyFile } = await setup();
    const first = await warmRun(root, cacheFile, keyFile);
    expect(first.stats.hits).toBeGreaterThan(0);
    // The base file is the one this process read last time: neither read, authenticated nor decoded again.
    writeRepo(root, { "sops/s1.md": sop("SOP-001", ["POL-404"]) });
    const second = await warmRun(root, cacheFile, keyFile);
    expect(second.stats.remembered).toBeGreaterThanOrEqual(1);
    expect(second.stats.misses).toBe(1);
    expect(second.findings).toEqual(await fresh(root));
    // Another file at the path (here one that is no cache at all): read, refused, and nothing remembered is used.
    const delta = cacheFile.replace(/\.v8$/, ".delta.v8");
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 100));
    rmSync(delta, { force: true });
    const third = await warmRun(root, cacheFile, keyFile);
    expect(third.stats).toMatchObject({ hits: 0, remembered: 0 });
    expect(third.findings).toEqual(await fresh(root));
    // Another key (another machine's cache home) never takes what this one authenticated.
    const fourth = await warmRun(root, cacheFile, join(dir(), "other-key"));
    expect(fourth.stats).toMatchObject({ hits: 0, remembered: 0 });
  });
});
