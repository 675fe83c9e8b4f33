import fc from "fast-check";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { load, nodeHost } from "../src/engine/index.js";
import { policy, tempDir, writeRepo } from "./helpers/repo.js";
import { bufferHost, expectEditsMatchFreshLoad, SCENARIO, SCENARIO_EDITS, sop, type Edit } from "./helpers/scenario.js";

/** The config names a repository catalogue, so catalogue edits change findings on policyops.yaml. */
const CONFIG = 'frameworks: [NIST-CSF-2.0, LOCAL-FW]\nnot_applicable:\n  - { control: "LOCAL-FW:C2", reason: "not here" }\n';
const catalogue = (id: string, controls: string[]) => `id: ${id}\ntitle: Local\nowner: IT\ncontrols:\n${controls.map((c) => `  - { id: ${c}, title: ${c} }\n`).join("")}`;
const BASE = { ...SCENARIO, "policyops.yaml": CONFIG, "frameworks/local.yaml": catalogue("LOCAL-FW", ["C1", "C2"]) };

const EDITS: Edit[] = [
  ...SCENARIO_EDITS,
  { file: "frameworks/local.yaml", content: catalogue("LOCAL-FW", ["C1"]) },
  { file: "frameworks/local.yaml", content: catalogue("LOCAL-FW", ["C1", "C2"]) },
  { file: "frameworks/local.yaml", content: null },
  { file: "frameworks/local.yaml", content: catalogue("LOCAL-FX", ["C2"]) },
  { file: "frameworks/other.yaml", content: catalogue("LOCAL-FW", ["C2"]) },
  { file: "frameworks/other.yaml", content: null },
  { file: "sops/s2.md", content: sop("SOP-001", ["LIC-001"]) },
  { file: "sops/s2.md", content: "---\nid: [broken\n---\n" },
  { file: "licences/l.yaml", content: "id: POL-002\nproduct: X\ntype: perpetual\nowner: IT\n" },
];

describe("incremental workspace", () => {
  const t = tempDir("policyops-inc-");
  afterAll(() => t.cleanup());

  it("after any sequence of saved and unsaved edits, incremental findings (related and data included) equal a fresh load that sees the same buffers", async () => {
    let run = 0;
    const step = fc.record({ edit: fc.nat(EDITS.length - 1), saved: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const root = join(t.dir, `r${run++}`);
        writeRepo(root, BASE);
        await expectEditsMatchFreshLoad(root, "2026-06-30", EDITS, steps);
        rmSync(root, { recursive: true, force: true });
      }),
      { numRuns: 150 },
    );
  });

  it("one id-signature recipe: after every edit, what an update compares for an id (provided) is what the rule-memo cache compares (signature)", async () => {
    const root = join(t.dir, "one-recipe");
    writeRepo(root, BASE);
    const ws = await load(root, { today: "2026-06-30" });
    const agree = () => {
      let compared = 0;
      for (const doc of ws.allFacts()) {
        if (!doc.id || ws.allFacts().filter((d) => d.id === doc.id).length !== 1) continue;
        // If either recipe changes alone (a field added to one, say), this fails.
        expect(ws.provided(doc).get(`id:${doc.id}`), `${doc.file} (${doc.id})`).toBe(ws.signature(`id:${doc.id}`));
        // The same for what a rule reads of its values (`RepoView.document`).
        expect(ws.provided(doc).get(`doc:${doc.id}`), `${doc.file} (${doc.id}) values`).toBe(ws.signature(`doc:${doc.id}`));
        compared++;
      }
      return compared;
    };
    expect(agree()).toBeGreaterThan(3);
    for (const e of EDITS) {
      if (e.content === null) ws.remove(e.file);
      else ws.update(e.file, e.content);
      agree();
    }
    // A framework's controls are part of the recipe: removing one changes the signature the cache keeps.
    ws.update("frameworks/local.yaml", catalogue("LOCAL-FW", ["C1", "C2"]));
    const before = ws.signature("id:LOCAL-FW");
    ws.update("frameworks/local.yaml", catalogue("LOCAL-FW", ["C1"]));
    expect(ws.signature("id:LOCAL-FW")).not.toBe(before);
    expect(ws.signature("id:LOCAL-FW")).toContain("|C1");
  });

  it("adding, changing or removing a catalogue re-checks the config's entries: control/unknown on policyops.yaml comes and goes in the delta", async () => {
    const root = join(t.dir, "config-entries");
    writeRepo(root, BASE);
    const ws = await load(root, { today: "2026-06-30" });
    const onConfig = () => ws.findings().filter((f) => f.file === "policyops.yaml").map((f) => `${f.line}:${f.column} ${f.message}`);
    expect(onConfig()).toEqual([]);
    let delta = ws.update("frameworks/local.yaml", catalogue("LOCAL-FW", ["C1"]));
    expect(delta.get("policyops.yaml")?.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual(["3:16 `not_applicable` names control `C2`, which is not in `LOCAL-FW` (did you mean `C1`?); use an id from the catalogue or remove the entry."]);
    delta = ws.update("frameworks/local.yaml", catalogue("LOCAL-FW", ["C1", "C2"]));
    expect(delta.get("policyops.yaml")).toEqual([]);
    expect(onConfig()).toEqual([]);
    delta = ws.update("frameworks/local.yaml", catalogue("LOCAL-FX", ["C1", "C2"]));
    expect(delta.get("policyops.yaml")?.map((f) => `${f.line}:${f.column} ${f.message}`)).toEqual([
      "1:28 `frameworks` lists `LOCAL-FW`, which is not a known framework (did you mean `LOCAL-FX`?); correct it, add `frameworks/LOCAL-FW.yaml`, or remove the entry.",
      "3:16 `not_applicable` names `LOCAL-FW:C2`, but framework `LOCAL-FW` is not known (did you mean `LOCAL-FX`?); correct the framework or remove the entry.",
    ]);
    delta = ws.remove("frameworks/local.yaml");
    expect(delta.get("policyops.yaml")?.map((f) => f.message.replace(/ \(did you mean.*?\)/, ""))).toEqual([
      "`frameworks` lists `LOCAL-FW`, which is not a known framework; correct it, add `frameworks/LOCAL-FW.yaml`, or remove the entry.",
      "`not_applicable` names `LOCAL-FW:C2`, but framework `LOCAL-FW` is not known; correct the framework or remove the entry.",
    ]);
  });

  it("deleting a policy makes a sop's ref/unknown appear, and restoring it clears it", async () => {
    const root = writeRepo(join(t.dir, "manual"), BASE);
    const ws = await load(root, { today: "2026-06-30" });
    expect(ws.findings()).toEqual([]);
    const gone = ws.remove("policies/b.md");
    // b.md had no findings and has none now, so only the documents that referenced it change.
    expect([...gone.keys()].sort()).toEqual(["sops/s1.md", "sops/s2.md"]);
    expect(gone.get("sops/s2.md")!.map((f) => f.code)).toEqual(["ref/unknown", "link/broken"]); // sorted by line: front matter first
    expect(gone.get("sops/s1.md")!.map((f) => f.code)).toEqual(["ref/unknown"]);
    const back = ws.add("policies/b.md", readFileSync(join(root, "policies/b.md"), "utf8"));
    expect(back.get("sops/s1.md")).toEqual([]);
  });

  it("a workspace loaded without tracking starts tracking on its first edit", async () => {
    const root = writeRepo(join(t.dir, "untracked"), BASE);
    const ws = await load(root, { today: "2026-06-30", incremental: false });
    expect(ws.findings()).toEqual([]);
    const gone = ws.remove("policies/b.md");
    expect(gone.get("sops/s1.md")!.map((f) => f.code)).toEqual(["ref/unknown"]);
    expect(ws.affectedBy(["policies/a.md"])).toEqual(new Set(["policies/a.md", "sops/s1.md"]));
  });
});

describe("editing a large page section by section (issue 14: only the touched sections are re-tokenized)", () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it("a page of 200 sections edited in one section, then in its headings, gives what a fresh load gives, anchors, slugs and lines included", async () => {
    const root = writeRepo(join(t.dir, "big"), SCENARIO);
    let page = sop("SOP-009", ["POL-001"]);
    for (let i = 0; i < 200; i++) page += `\n## Area ${i}\n\nSee [area ${i}](#area-${i}) and [the scope](#scope).\n`;
    writeFileSync(join(root, "sops/big.md"), page);
    const ws = await load(root, { today: "2026-06-30" });
    const edits = [
      // A misspelt anchor typed into section 120: the finding, with its did-you-mean, on the right line.
      page.replace("## Area 120\n\n", "## Area 120\n\nSee [the notes](#area-12x).\n\n"),
      // A heading duplicated in section 50: links to `#area-50-1` and every later line move.
      page.replace("## Area 50\n\n", "## Area 50\n\n## Area 7\n\n[dup](#area-7-1) [gone](#area-199-1)\n\n"),
      // A fence left open in section 10 swallows the rest: the whole body again.
      page.replace("## Area 10\n\n", "## Area 10\n\n```\n"),
      page,
    ];
    for (const text of edits) {
      ws.update("sops/big.md", text);
      writeFileSync(join(root, "sops/big.md"), text);
      const fresh = await load(root, { today: "2026-06-30" });
      expect(ws.findingsFor("sops/big.md")).toEqual(fresh.findingsFor("sops/big.md"));
      expect(ws.headings("sops/big.md")).toEqual(fresh.headings("sops/big.md"));
    }
    ws.update("sops/big.md", edits[0]!);
    const line = edits[0]!.split("\n").indexOf("See [the notes](#area-12x).") + 1;
    expect(ws.findingsFor("sops/big.md").map((f) => [f.code, f.line, f.message])).toEqual([
      ["link/broken", line, "This document has no heading with the anchor `#area-12x` (did you mean `#area-12`?); link to an existing heading."],
    ]);
    ws.update("sops/big.md", edits[1]!);
    const dupLine = edits[1]!.split("\n").indexOf("[dup](#area-7-1) [gone](#area-199-1)") + 1;
    expect(ws.findingsFor("sops/big.md").map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ["link/broken", dupLine, 18, "This document has no heading with the anchor `#area-199-1` (did you mean `#area-191`?); link to an existing heading."],
    ]);
  });
});

describe("folder/ungoverned under edits (issue 15: keystroke latency)", () => {
  const t = tempDir("policyops-ungov-");
  afterAll(() => t.cleanup());

  it("an edit that keeps every path field does not list the repository's folders again; one that points a licence elsewhere makes `agreements/` ungoverned at once", async () => {
    const root = join(t.dir, "r");
    // `agreements/` holds a record of its own (an `id:`), so it is ungoverned unless a licence names a file in it.
    writeRepo(root, { ...SCENARIO, "agreements/terms.yaml": "id: AGR-001\ntitle: Terms\n" });
    // The real disk, with the listings of the repository's root counted.
    let rootListings = 0;
    const host = { ...nodeHost, readdir: (path: string) => ((path === root ? rootListings++ : 0), nodeHost.readdir(path)) };
    const ws = await load(root, { today: "2026-06-30", host });
    expect(ws.findings().filter((f) => f.code === "folder/ungoverned")).toEqual([]);
    ws.update("sops/s1.md", `${SCENARIO["sops/s1.md"]}\nAnother line.\n`);
    ws.update("policies/a.md", policy("POL-001").replace("Why.", "Why not."));
    const listed = rootListings;
    for (let i = 0; i < 5; i++) ws.update("sops/s1.md", `${SCENARIO["sops/s1.md"]}\nEdit ${i}.\n`);
    ws.update("licences/l.yaml", SCENARIO["licences/l.yaml"]!.replace("type: perpetual", "type: perpetual\nseats: 3"));
    expect(rootListings).toBe(listed);
    // The licence's agreement now lies elsewhere: nothing names `agreements/` any more.
    const delta = ws.update("licences/l.yaml", SCENARIO["licences/l.yaml"]!.replace("agreement: agreements/x.md\n", ""));
    expect(rootListings).toBeGreaterThan(listed);
    expect(delta.get("agreements/terms.yaml")?.map((f) => [f.code, f.message])).toEqual([
      ["folder/ungoverned", "No kind governs the folder `agreements/`, so its Markdown and YAML files are never checked; declare a kind for it in `kinds/<kind>.schema.json` (with `\"folder\": \"agreements\"`) or list `agreements` under `ignore:` in `policyops.yaml`."],
    ]);
    const fresh = await load(root, { today: "2026-06-30", host: bufferHost(root, new Map([["licences/l.yaml", SCENARIO["licences/l.yaml"]!.replace("agreement: agreements/x.md\n", "")]])) });
    expect(ws.findings()).toEqual(fresh.findings());
  });
});
