import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import { cli } from "./helpers/cli.js";
import { policy, PROJECT, useTempRepos } from "./helpers/repo.js";

const { repo, dir } = useTempRepos("policyops-kinds-");
const COMMON = "https://policyops.dev/schemas/v1/common.schema.json#/$defs";

/** A repository's own kind, in one file: YAML records under workshops/, reviewed, approved, mapped to controls. */
const WORKSHOP = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Security workshop",
  type: "object",
  "x-policyops": { kind: "workshop", folder: "workshops", format: "yaml", idPrefix: "WKS", traits: ["reviewed", "approved", "controls"] },
  required: ["id", "title", "owner", "status"],
  properties: {
    id: { $ref: `${COMMON}/docId` },
    kind: { $ref: `${COMMON}/kind` },
    title: { type: "string", minLength: 1 },
    owner: { $ref: `${COMMON}/owner` },
    status: { $ref: `${COMMON}/status`, default: "draft" },
    approved_by: { $ref: `${COMMON}/approvedBy` },
    approved_on: { $ref: `${COMMON}/approvedOn` },
    last_reviewed: { $ref: `${COMMON}/lastReviewed` },
    review_cycle_months: { $ref: `${COMMON}/reviewCycleMonths` },
    controls: { $ref: `${COMMON}/controlList` },
    systems: { $ref: `${COMMON}/idList`, "x-policyops-ref": ["system"] },
    start: { $ref: `${COMMON}/date` },
    due: { $ref: `${COMMON}/date`, "x-policyops-after": "start" },
  },
  patternProperties: { "^x-": {} },
  additionalProperties: false,
};

const TODAY = "2026-06-30";

function workshopRepo(): string {
  return repo({
    "kinds/workshop.schema.json": JSON.stringify(WORKSHOP, null, 2),
    "systems/erp.yaml": "id: SYS-ERP\nname: ERP\nowner: IT\n",
    "policies/p.md": policy("POL-001", "related: [WKS-001, WKS-404]\n"),
    "workshops/awareness.yaml": [
      "id: WKS-001", "title: Security awareness", "owner: CISO", "status: active", "approved_by: CISO", "approved_on: 2025-01-10",
      "last_reviewed: 2025-01-10", "controls: [NIST-CSF-2.0:PR.AT-01]", "systems: [SYS-ERP]", "start: 2026-02-01", "due: 2026-01-01", "",
    ].join("\n"),
    "workshops/bad.yaml": "id: WKS-002\ntitle: Phishing\nowner: CISO\nstatus: active\nsystems: [POL-001]\ncolour: red\n",
  });
}

describe("a repository's own kind, declared by one file in kinds/", () => {
  it("is validated: its schema, references to it and from it, date pairs, and the review and approval rules its traits switch on", async () => {
    const root = workshopRepo();
    const ws = await load(root, { today: TODAY, git: false });
    const found = ws.findings().map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`);
    expect(found).toEqual([
      "policies/p.md:10 ref/unknown `related` names `WKS-404`, but no document has that id; correct the id or add the document.",
      "workshops/awareness.yaml:7 review/overdue Review was due on `2026-01-10` (`last_reviewed` 2025-01-10 + 12 months); review the document and update `last_reviewed`.",
      "workshops/awareness.yaml:11 date/order `due` (2026-01-01) is before `start` (2026-02-01); correct one of the dates.",
      "workshops/bad.yaml:4 approval/missing The document is active but has no `approved_by` or `approved_on`; record the approval, or set `status` back to `draft`.",
      "workshops/bad.yaml:4 review/overdue The document is active but has neither `last_reviewed` nor `approved_on`, so it counts as overdue; review it and record `last_reviewed`.",
      "workshops/bad.yaml:5 ref/kind `systems` expects system ids, but `POL-001` is a policy (`policies/p.md`); reference a system instead.",
      "workshops/bad.yaml:6 schema/additional-properties Unknown field `colour`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
    ]);
    expect(ws.documents().filter((d) => d.kind === "workshop").map((d) => d.id)).toEqual(["WKS-001", "WKS-002"]);
  });

  it("is listed by `policyops list workshop`, created by `policyops new workshop` and reported by reviews and compliance", async () => {
    const root = workshopRepo();
    const list = await cli(["list", "workshop", root, "--format", "json", "--today", TODAY]);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { id: "WKS-001", kind: "workshop", title: "Security awareness", status: "active", owner: "CISO", file: "workshops/awareness.yaml", valid: true, fields: {} },
      { id: "WKS-002", kind: "workshop", title: "Phishing", status: "active", owner: "CISO", file: "workshops/bad.yaml", valid: false, fields: {} },
    ]);
    expect(list.stderr).toBe("policyops: 1 workshop record does not validate and is marked `invalid`, so totals are incomplete; run `policyops validate` and fix it.\n");
    const table = await cli(["list", "workshop", root, "--today", TODAY]);
    expect(table.stdout).toContain("2 workshop documents in `workshops/`.");

    const made = await cli(["new", "workshop", "--title", "Phishing basics", root, "--today", TODAY]);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toBe("Created workshops/phishing-basics.yaml (WKS-003).\n");
    expect(readFileSync(join(root, "workshops/phishing-basics.yaml"), "utf8")).toBe("id: WKS-003\ntitle: Phishing basics\nstatus: draft\nowner: IT Director\n");

    const reviews = JSON.parse((await cli(["reviews", root, "--format", "json", "--today", TODAY])).stdout) as { id: string; kind: string; state: string }[];
    expect(reviews.find((r) => r.id === "WKS-001")).toMatchObject({ kind: "workshop", state: "overdue" });
    const compliance = JSON.parse((await cli(["compliance", root, "--format", "json", "--today", TODAY])).stdout) as { controls: { id: string; status: string; documents: string[] }[] }[];
    expect(compliance[0]!.controls.find((c) => c.id === "PR.AT-01")).toEqual({ id: "PR.AT-01", title: expect.any(String), status: "stale", documents: ["WKS-001"] });
  });

  it("can be named under `paths` and `sections` in policyops.yaml; an unknown kind there is a config error with line and suggestion", async () => {
    const root = workshopRepo();
    writeFileSync(join(root, "policyops.yaml"), "paths:\n  workshp: courses\n");
    const r = await cli(["validate", root]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("policyops.yaml:2:3: unknown kind `workshp` under `paths` (did you mean `workshop`?)");
    writeFileSync(join(root, "policyops.yaml"), "sections:\n  workshop: [Purpose]\n");
    const s = await cli(["validate", root]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain("`sections.workshop` names a kind of YAML records, which have no sections");
  });
});

describe("a bad kind schema", () => {
  const cases: [string, string, string][] = [
    ["not JSON", "{ nope", "kinds/workshop.schema.json: is not valid JSON ("],
    ["no block", JSON.stringify({ type: "object" }), "kinds/workshop.schema.json: has no `x-policyops` block; add"],
    ["a block with a bad format", JSON.stringify({ ...WORKSHOP, "x-policyops": { ...WORKSHOP["x-policyops"], format: "xml" } }), "kinds/workshop.schema.json: `x-policyops.format` must be equal to one of the allowed values"],
    ["another kind's name", JSON.stringify({ ...WORKSHOP, "x-policyops": { ...WORKSHOP["x-policyops"], kind: "course" } }), "kinds/workshop.schema.json: declares kind `course` but is named `workshop.schema.json`"],
    ["a built-in kind's name", "", "kinds/policy.schema.json: redefines the built-in kind `policy`"],
    ["not a schema ajv compiles", JSON.stringify({ ...WORKSHOP, properties: { ...WORKSHOP.properties, due: { type: "nonsense" } } }), "kinds/workshop.schema.json: is not a valid JSON Schema ("],
    ["a reference to an unknown kind", JSON.stringify({ ...WORKSHOP, properties: { ...WORKSHOP.properties, systems: { ...WORKSHOP.properties.systems, "x-policyops-ref": ["sytem"] } } }), "kinds/workshop.schema.json: `systems` references the unknown kind `sytem` in `x-policyops-ref`"],
  ];
  for (const [name, text, message] of cases) {
    it(`is a usage error (exit 2) with its file and reason: ${name}`, async () => {
      const file = name === "a built-in kind's name" ? "kinds/policy.schema.json" : "kinds/workshop.schema.json";
      const content = name === "a built-in kind's name" ? JSON.stringify({ ...WORKSHOP, "x-policyops": { ...WORKSHOP["x-policyops"], kind: "policy" } }) : text;
      const root = repo({ [file]: content, "policies/p.md": policy("POL-001") });
      for (const args of [["validate", root], ["list", "policy", root], ["new", "policy", "--title", "X", root]]) {
        const r = await cli(args);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain(`policyops: ${message}`);
      }
      expect(existsSync(join(root, "policies/x.md"))).toBe(false);
    });
  }
});

describe("adding a built-in kind", () => {
  it("is one schema file plus one template example: a temp copy of the project with schemas/vehicle.schema.json validates, lists and creates vehicles", () => {
    const copy = dir();
    for (const part of ["src", "schemas", "scripts", "bin", "package.json", "package-lock.json", "policies-template"]) cpSync(join(PROJECT, part), join(copy, part), { recursive: true });
    symlinkSync(join(PROJECT, "node_modules"), join(copy, "node_modules"));
    // The whole change: one schema …
    writeFileSync(join(copy, "schemas/vehicle.schema.json"), JSON.stringify({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: "https://policyops.dev/schemas/v1/vehicle.schema.json",
      title: "PolicyOps vehicle",
      description: "A company vehicle.",
      "x-policyops": { kind: "vehicle", folder: "vehicles", format: "yaml", idPrefix: "VEH", traits: [] },
      type: "object",
      required: ["id", "name", "owner", "type"],
      properties: {
        id: { $ref: `${COMMON}/docId`, description: "Id.", examples: ["VEH-001"] },
        kind: { $ref: `${COMMON}/kind`, description: "Kind.", examples: ["vehicle"] },
        name: { type: "string", minLength: 1, description: "Name.", examples: ["Laptop"] },
        owner: { $ref: `${COMMON}/owner`, description: "Owner.", examples: ["IT"] },
        type: { enum: ["laptop", "server", "other"], default: "laptop", description: "Type.", examples: ["laptop"] },
        system: { $ref: `${COMMON}/docId`, "x-policyops-ref": ["system"], description: "System.", examples: ["SYS-ERP"] },
        warranty_start: { $ref: `${COMMON}/date`, description: "Start.", examples: ["2026-01-01"] },
        warranty_end: { $ref: `${COMMON}/date`, "x-policyops-after": "warranty_start", description: "End.", examples: ["2029-01-01"] },
      },
      patternProperties: { "^x-": {} },
      additionalProperties: false,
    }, null, 2) + "\n");
    // … and one template example.
    mkdirSync(join(copy, "policies-template/vehicles"));
    writeFileSync(join(copy, "policies-template/vehicles/laptop.yaml"), "id: VEH-001\nname: Finance laptop\nowner: Service Desk Manager\ntype: laptop\nsystem: SYS-FIREWALL\nwarranty_start: 2026-01-01\nwarranty_end: 2025-01-01\n");
    const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const run = (...args: string[]) => spawnSync(process.execPath, [join(copy, "bin/policyops.js"), ...args, "--today", TODAY], { cwd: copy, encoding: "utf8" });
    const template = join(copy, "policies-template");
    const validated = JSON.parse(run("validate", template, "--format", "json").stdout) as { documents: { id: string; kind: string }[]; findings: { file: string; code: string; message: string }[] };
    expect(validated.documents).toContainEqual(expect.objectContaining({ id: "VEH-001", kind: "vehicle", file: "vehicles/laptop.yaml" }));
    expect(validated.findings.filter((f) => f.file.startsWith("vehicles/"))).toEqual([
      expect.objectContaining({ code: "date/order", message: "`warranty_end` (2025-01-01) is before `warranty_start` (2026-01-01); correct one of the dates." }),
    ]);
    const listed = run("list", "vehicle", template, "--format", "csv");
    expect(listed.stdout).toBe("id,name,status,owner,type,file,valid\nVEH-001,Finance laptop,,Service Desk Manager,laptop,vehicles/laptop.yaml,true\n");
    const made = run("new", "vehicle", "--title", "Spare server", template);
    expect(made.stdout).toBe("Created vehicles/spare-server.yaml (VEH-002).\n");
    expect(readFileSync(join(template, "vehicles/spare-server.yaml"), "utf8")).toBe("id: VEH-002\nname: Spare server\ntype: laptop\nowner: IT Director\n");
    // The folder can be moved with `paths`, like any built-in kind's.
    writeFileSync(join(template, "policyops.yaml"), readFileSync(join(template, "policyops.yaml"), "utf8") + "\npaths:\n  vehicle: inventory\n");
    expect(run("list", "vehicle", template).stdout).toContain("0 vehicle documents in `inventory/`.");
  }, 120_000);
});

describe("folder/ungoverned", () => {
  it("reports records in a folder no kind governs once, as info, and declaring the kind in kinds/ clears it", async () => {
    const root = repo({ "workshops/awareness.yaml": "id: WKS-001\ntitle: Awareness\nowner: CISO\nstatus: draft\n", "workshops/phishing.yaml": "id: WKS-002\ntitle: Phishing\nowner: CISO\nstatus: draft\n" });
    const before = (await load(root, { today: TODAY, git: false })).findings();
    expect(before.map((f) => `${f.file} ${f.severity} ${f.code} ${f.message}`)).toEqual([
      "workshops/awareness.yaml info folder/ungoverned No kind governs the folder `workshops/`, so its Markdown and YAML files are never checked; declare a kind for it in `kinds/<kind>.schema.json` (with `\"folder\": \"workshops\"`) or list `workshops` under `ignore:` in `policyops.yaml`.",
    ]);
    writeFileSync(join(root, "policyops.yaml"), "ignore: [workshops]\n");
    expect((await load(root, { today: TODAY, git: false })).findings()).toEqual([]);
    writeFileSync(join(root, "policyops.yaml"), "version: 1\n");
    mkdirSync(join(root, "kinds"));
    writeFileSync(join(root, "kinds/workshop.schema.json"), JSON.stringify(WORKSHOP));
    const after = await load(root, { today: TODAY, git: false });
    expect(after.findings()).toEqual([]);
    expect(after.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["workshop WKS-001", "workshop WKS-002"]);
  });
});

describe("validate --cache with a repository kind", () => {
  it("re-checks the kind's files when kinds/<kind>.schema.json changes, though the files did not", async () => {
    const root = repo({ "kinds/workshop.schema.json": JSON.stringify(WORKSHOP), "workshops/a.yaml": "id: WKS-001\ntitle: A\nowner: CISO\nstatus: draft\n" });
    const run = () => cli(["validate", root, "--cache", "--format", "json", "--today", TODAY]);
    expect(JSON.parse((await run()).stdout).findings).toEqual([]);
    expect(JSON.parse((await run()).stdout).findings).toEqual([]);
    writeFileSync(join(root, "kinds/workshop.schema.json"), JSON.stringify({ ...WORKSHOP, required: [...WORKSHOP.required, "systems"] }));
    const after = JSON.parse((await run()).stdout) as { findings: { file: string; code: string; message: string }[] };
    expect(after.findings.map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual(["workshops/a.yaml schema/required Missing required field `systems`; add it."]);
  });
});

describe("kinds belong to the loaded workspace", () => {
  const TRN = "id: WKS-001\ntitle: Awareness\nowner: CISO\nstatus: draft\n";

  it("two workspaces with different repository kinds in one process do not interfere: checks, updates and reports each use their own", async () => {
    const withKind = workshopRepo();
    const without = repo({ "workshops/awareness.yaml": TRN });
    const a = await load(withKind, { today: TODAY, git: false });
    const b = await load(without, { today: TODAY, git: false });
    // b, loaded last, has no workshop kind: its workshops/ folder is ungoverned.
    expect(b.findings().map((f) => `${f.file} ${f.code}`)).toEqual(["workshops/awareness.yaml folder/ungoverned"]);
    expect(b.documents()).toEqual([]);
    // a still knows its kind, after b was loaded: an edit is parsed and checked as a workshop.
    const delta = a.update("workshops/new.yaml", "id: WKS-003\ntitle: New\nowner: CISO\nstatus: draft\ncolour: red\n");
    expect(delta.get("workshops/new.yaml")!.map((f) => `${f.code} ${f.message}`)).toEqual([
      "schema/additional-properties Unknown field `colour`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
    ]);
    expect(a.kinds.has("workshop")).toBe(true);
    expect(b.kinds.has("workshop")).toBe(false);
    // …and b's edit of the same path stays an ungoverned file.
    expect(b.update("workshops/new.yaml", "id: WKS-003\ntitle: New\nowner: CISO\nstatus: draft\n").get("workshops/new.yaml")).toBeUndefined();
    expect(b.documents()).toEqual([]);
    // Reports run with their workspace's kinds, whichever was loaded last.
    const { registerReport, reviewReport } = await import("../src/engine/index.js");
    expect(registerReport(a, "workshop").map((r) => r.id)).toEqual(["WKS-001", "WKS-002", "WKS-003"]);
    expect(reviewReport(a).map((r) => r.id)).toContain("WKS-001");
    expect(() => registerReport(b, "workshop")).toThrow(/unknown kind `workshop`/);
  });

  it("update('kinds/<kind>.schema.json') re-derives the kinds and re-checks: the folder becomes governed, then an invalid schema keeps the last kinds with a finding on it", async () => {
    const root = repo({ "workshops/awareness.yaml": TRN + "colour: red\n" });
    const ws = await load(root, { today: TODAY, git: false });
    expect(ws.findings().map((f) => `${f.file} ${f.code}`)).toEqual(["workshops/awareness.yaml folder/ungoverned"]);
    const delta = ws.update("kinds/workshop.schema.json", JSON.stringify(WORKSHOP));
    expect(delta.get("workshops/awareness.yaml")!.map((f) => `${f.code} ${f.message}`)).toEqual([
      "schema/additional-properties Unknown field `colour`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
    ]);
    expect(ws.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["workshop WKS-001"]);
    // A schema that is not valid JSON Schema: the last valid kinds stay, and the schema file says why.
    const broken = ws.update("kinds/workshop.schema.json", JSON.stringify({ ...WORKSHOP, required: "id" }));
    expect(broken.get("kinds/workshop.schema.json")!.map((f) => `${f.code} ${f.message.slice(0, 40)}`)).toEqual(["config/invalid This kind schema is not valid (kinds/wor"]);
    expect(ws.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["workshop WKS-001"]);
    // Removing the schema: the kind is gone, the folder is ungoverned again.
    ws.remove("kinds/workshop.schema.json");
    expect(ws.findings().map((f) => `${f.file} ${f.code}`)).toEqual(["workshops/awareness.yaml folder/ungoverned"]);
    expect(ws.documents()).toEqual([]);
  });

  it("a change of policyops.yaml re-derives the kinds too (a kind schema written on disk meanwhile is picked up)", async () => {
    const root = repo({ "workshops/awareness.yaml": TRN });
    const ws = await load(root, { today: TODAY, git: false });
    mkdirSync(join(root, "kinds"));
    writeFileSync(join(root, "kinds/workshop.schema.json"), JSON.stringify(WORKSHOP));
    ws.update("policyops.yaml", "version: 1\n");
    expect(ws.findings()).toEqual([]);
    expect(ws.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["workshop WKS-001"]);
  });

  it("folder/ungoverned follows incremental updates: a record added by update() in an ungoverned folder yields the info finding, removing it clears it", async () => {
    const root = repo({ "policies/p.md": policy("POL-001") });
    const ws = await load(root, { today: TODAY, git: false });
    const base = ws.findings();
    const added = ws.update("workshops/awareness.yaml", TRN);
    expect(added.get("workshops/awareness.yaml")!.map((f) => `${f.severity} ${f.code} ${f.message.slice(0, 44)}`)).toEqual(["info folder/ungoverned No kind governs the folder `workshops/`, so "]);
    expect(ws.findings().filter((f) => f.code === "folder/ungoverned").map((f) => f.file)).toEqual(["workshops/awareness.yaml"]);
    const removed = ws.remove("workshops/awareness.yaml");
    expect(removed.get("workshops/awareness.yaml")).toEqual([]);
    expect(ws.findings()).toEqual(base);
  });
});

describe("the catalogue trait", () => {
  it("selects the kind whose records are control catalogues by its schema's trait, not by the name `framework`: a repository kind `standard` with `traits: [catalogue]` is checked against", async () => {
    const framework = JSON.parse(readFileSync(join(PROJECT, "schemas/framework.schema.json"), "utf8")) as Record<string, unknown>;
    expect((framework["x-policyops"] as { traits: string[] }).traits).toEqual(["catalogue"]);
    const { $id: _id, ...rest } = framework;
    const standard = { ...rest, "x-policyops": { kind: "standard", folder: "standards", format: "yaml", traits: ["catalogue"] } };
    const root = repo({
      "kinds/standard.schema.json": JSON.stringify(standard),
      "standards/std.yaml": "id: STD-X\ntitle: House standard\nowner: IT\ncontrols:\n  - { id: C1, title: One }\n",
      "policies/p.md": policy("POL-001", "controls: [STD-X:C1, STD-X:C9]\n"),
    });
    const ws = await load(root, { today: TODAY, git: false });
    expect(ws.findings().map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual([
      "policies/p.md control/unknown Control `C9` is not in `STD-X` (did you mean `C1`?); use an id from the catalogue.",
    ]);
    expect(ws.catalogues().map((c) => c.id)).toContain("STD-X");
    // An edit of the catalogue re-checks the documents that map to it.
    const delta = ws.update("standards/std.yaml", "id: STD-X\ntitle: House standard\nowner: IT\ncontrols:\n  - { id: C1, title: One }\n  - { id: C9, title: Nine }\n");
    expect(delta.get("policies/p.md")).toEqual([]);
  });
});

describe("reports name their records from the kinds, not from code", () => {
  it("the licences report says `licence` for the template's one licence kind and `record` once a repository kind has the licence fields too", async () => {
    const licence = JSON.parse(readFileSync(join(PROJECT, "schemas/licence.schema.json"), "utf8"));
    const subscription = { ...licence, $id: "https://example.com/kinds/subscription.schema.json", title: "Subscription", "x-policyops": { ...licence["x-policyops"], kind: "subscription", folder: "subscriptions", idPrefix: "SUB" } };
    const files = {
      "policyops.yaml": "paths: {}\n",
      "licences/a.yaml": "id: LIC-001\nowner: IT\nproduct: Editor\ntype: subscription\nexpiry_date: 2027-01-31\n",
    };
    const one = await cli(["licences", repo(files), "--today", "2026-06-01"]);
    expect(one.stdout).toContain("1 licence: ");
    const both = await cli(["licences", repo({ ...files, "kinds/subscription.schema.json": JSON.stringify(subscription), "subscriptions/b.yaml": "id: SUB-001\nowner: IT\nproduct: Chat\ntype: subscription\nexpiry_date: 2027-02-28\n" }), "--today", "2026-06-01"]);
    expect(both.stdout).toContain("2 records: ");
    expect(both.stdout).not.toContain("licence");
  });
});
