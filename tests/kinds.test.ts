import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import { cli } from "./helpers/cli.js";
import { policy, PROJECT, useTempRepos } from "./helpers/repo.js";

const { repo, dir } = useTempRepos("policyops-kinds-");
const COMMON = "https://policyops.dev/schemas/v1/common.schema.json#/$defs";

/** A repository's own kind, in one file: YAML records under trainings/, reviewed, approved, mapped to controls. */
const TRAINING = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Security training",
  type: "object",
  "x-policyops": { kind: "training", folder: "trainings", format: "yaml", idPrefix: "TRN", traits: ["reviewed", "approved", "controls"] },
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

function trainingRepo(): string {
  return repo({
    "kinds/training.schema.json": JSON.stringify(TRAINING, null, 2),
    "systems/erp.yaml": "id: SYS-ERP\nname: ERP\nowner: IT\n",
    "policies/p.md": policy("POL-001", "related: [TRN-001, TRN-404]\n"),
    "trainings/awareness.yaml": [
      "id: TRN-001", "title: Security awareness", "owner: CISO", "status: active", "approved_by: CISO", "approved_on: 2025-01-10",
      "last_reviewed: 2025-01-10", "controls: [NIST-CSF-2.0:PR.AT-01]", "systems: [SYS-ERP]", "start: 2026-02-01", "due: 2026-01-01", "",
    ].join("\n"),
    "trainings/bad.yaml": "id: TRN-002\ntitle: Phishing\nowner: CISO\nstatus: active\nsystems: [POL-001]\ncolour: red\n",
  });
}

describe("a repository's own kind, declared by one file in kinds/", () => {
  it("is validated: its schema, references to it and from it, date pairs, and the review and approval rules its traits switch on", async () => {
    const root = trainingRepo();
    const ws = await load(root, { today: TODAY, git: false });
    const found = ws.findings().map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`);
    expect(found).toEqual([
      "policies/p.md:10 ref/unknown `related` names `TRN-404`, but no document has that id; correct the id or add the document.",
      "trainings/awareness.yaml:7 review/overdue Review was due on `2026-01-10` (`last_reviewed` 2025-01-10 + 12 months); review the document and update `last_reviewed`.",
      "trainings/awareness.yaml:11 date/order `due` (2026-01-01) is before `start` (2026-02-01); correct one of the dates.",
      "trainings/bad.yaml:4 approval/missing The document is active but has no `approved_by` or `approved_on`; record the approval, or set `status` back to `draft`.",
      "trainings/bad.yaml:4 review/overdue The document is active but has neither `last_reviewed` nor `approved_on`, so it counts as overdue; review it and record `last_reviewed`.",
      "trainings/bad.yaml:5 ref/kind `systems` expects system ids, but `POL-001` is a policy (`policies/p.md`); reference a system instead.",
      "trainings/bad.yaml:6 schema/additional-properties Unknown field `colour`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
    ]);
    expect(ws.documents().filter((d) => d.kind === "training").map((d) => d.id)).toEqual(["TRN-001", "TRN-002"]);
  });

  it("is listed by `policyops list training`, created by `policyops new training` and reported by reviews and compliance", async () => {
    const root = trainingRepo();
    const list = await cli(["list", "training", root, "--format", "json", "--today", TODAY]);
    expect(list.status, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { id: "TRN-001", kind: "training", title: "Security awareness", status: "active", owner: "CISO", file: "trainings/awareness.yaml", valid: true, fields: {} },
      { id: "TRN-002", kind: "training", title: "Phishing", status: "active", owner: "CISO", file: "trainings/bad.yaml", valid: false, fields: {} },
    ]);
    expect(list.stderr).toBe("policyops: 1 training record does not validate and is marked `invalid`, so totals are incomplete; run `policyops validate` and fix it.\n");
    const table = await cli(["list", "training", root, "--today", TODAY]);
    expect(table.stdout).toContain("2 training documents in `trainings/`.");

    const made = await cli(["new", "training", "--title", "Phishing basics", root, "--today", TODAY]);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toBe("Created trainings/phishing-basics.yaml (TRN-003).\n");
    expect(readFileSync(join(root, "trainings/phishing-basics.yaml"), "utf8")).toBe("id: TRN-003\ntitle: Phishing basics\nstatus: draft\nowner: IT Director\n");

    const reviews = JSON.parse((await cli(["reviews", root, "--format", "json", "--today", TODAY])).stdout) as { id: string; kind: string; state: string }[];
    expect(reviews.find((r) => r.id === "TRN-001")).toMatchObject({ kind: "training", state: "overdue" });
    const compliance = JSON.parse((await cli(["compliance", root, "--format", "json", "--today", TODAY])).stdout) as { controls: { id: string; status: string; documents: string[] }[] }[];
    expect(compliance[0]!.controls.find((c) => c.id === "PR.AT-01")).toEqual({ id: "PR.AT-01", title: expect.any(String), status: "stale", documents: ["TRN-001"] });
  });

  it("can be named under `paths` and `sections` in policyops.yaml; an unknown kind there is a config error with line and suggestion", async () => {
    const root = trainingRepo();
    writeFileSync(join(root, "policyops.yaml"), "paths:\n  trainng: courses\n");
    const r = await cli(["validate", root]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("policyops.yaml:2:3: unknown kind `trainng` under `paths` (did you mean `training`?)");
    writeFileSync(join(root, "policyops.yaml"), "sections:\n  training: [Purpose]\n");
    const s = await cli(["validate", root]);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain("`sections.training` names a kind of YAML records, which have no sections");
  });
});

describe("a bad kind schema", () => {
  const cases: [string, string, string][] = [
    ["not JSON", "{ nope", "kinds/training.schema.json: is not valid JSON ("],
    ["no block", JSON.stringify({ type: "object" }), "kinds/training.schema.json: has no `x-policyops` block; add"],
    ["a block with a bad format", JSON.stringify({ ...TRAINING, "x-policyops": { ...TRAINING["x-policyops"], format: "xml" } }), "kinds/training.schema.json: `x-policyops.format` must be equal to one of the allowed values"],
    ["another kind's name", JSON.stringify({ ...TRAINING, "x-policyops": { ...TRAINING["x-policyops"], kind: "course" } }), "kinds/training.schema.json: declares kind `course` but is named `training.schema.json`"],
    ["a built-in kind's name", "", "kinds/policy.schema.json: redefines the built-in kind `policy`"],
    ["not a schema ajv compiles", JSON.stringify({ ...TRAINING, properties: { ...TRAINING.properties, due: { type: "nonsense" } } }), "kinds/training.schema.json: is not a valid JSON Schema ("],
    ["a reference to an unknown kind", JSON.stringify({ ...TRAINING, properties: { ...TRAINING.properties, systems: { ...TRAINING.properties.systems, "x-policyops-ref": ["sytem"] } } }), "kinds/training.schema.json: `systems` references the unknown kind `sytem` in `x-policyops-ref`"],
  ];
  for (const [name, text, message] of cases) {
    it(`is a usage error (exit 2) with its file and reason: ${name}`, async () => {
      const file = name === "a built-in kind's name" ? "kinds/policy.schema.json" : "kinds/training.schema.json";
      const content = name === "a built-in kind's name" ? JSON.stringify({ ...TRAINING, "x-policyops": { ...TRAINING["x-policyops"], kind: "policy" } }) : text;
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
  it("is one schema file plus one template example: a temp copy of the project with schemas/handset.schema.json validates, lists and creates handsets", () => {
    const copy = dir();
    for (const part of ["src", "schemas", "scripts", "bin", "package.json", "package-lock.json", "policies-template"]) cpSync(join(PROJECT, part), join(copy, part), { recursive: true });
    symlinkSync(join(PROJECT, "node_modules"), join(copy, "node_modules"));
    // The whole change: one schema …
    writeFileSync(join(copy, "schemas/handset.schema.json"), JSON.stringify({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: "https://policyops.dev/schemas/v1/handset.schema.json",
      title: "PolicyOps handset",
      description: "A desk or mobile handset.",
      "x-policyops": { kind: "handset", folder: "handsets", format: "yaml", idPrefix: "HND", traits: [] },
      type: "object",
      required: ["id", "name", "owner", "type"],
      properties: {
        id: { $ref: `${COMMON}/docId`, description: "Id.", examples: ["HND-001"] },
        kind: { $ref: `${COMMON}/kind`, description: "Kind.", examples: ["asset"] },
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
    mkdirSync(join(copy, "policies-template/handsets"));
    writeFileSync(join(copy, "policies-template/handsets/laptop.yaml"), "id: HND-001\nname: Finance laptop\nowner: Service Desk Manager\ntype: laptop\nsystem: SYS-FIREWALL\nwarranty_start: 2026-01-01\nwarranty_end: 2025-01-01\n");
    const build = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: copy, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const run = (...args: string[]) => spawnSync(process.execPath, [join(copy, "bin/policyops.js"), ...args, "--today", TODAY], { cwd: copy, encoding: "utf8" });
    const template = join(copy, "policies-template");
    const validated = JSON.parse(run("validate", template, "--format", "json").stdout) as { documents: { id: string; kind: string }[]; findings: { file: string; code: string; message: string }[] };
    expect(validated.documents).toContainEqual(expect.objectContaining({ id: "HND-001", kind: "handset", file: "handsets/laptop.yaml" }));
    expect(validated.findings.filter((f) => f.file.startsWith("handsets/"))).toEqual([
      expect.objectContaining({ code: "date/order", message: "`warranty_end` (2025-01-01) is before `warranty_start` (2026-01-01); correct one of the dates." }),
    ]);
    const listed = run("list", "handset", template, "--format", "csv");
    expect(listed.stdout).toBe("id,name,status,owner,type,file,valid\nHND-001,Finance laptop,,Service Desk Manager,laptop,handsets/laptop.yaml,true\n");
    const made = run("new", "handset", "--title", "Spare server", template);
    expect(made.stdout).toBe("Created handsets/spare-server.yaml (HND-002).\n");
    expect(readFileSync(join(template, "handsets/spare-server.yaml"), "utf8")).toBe("id: HND-002\nname: Spare server\ntype: laptop\nowner: IT Director\n");
    // The folder can be moved with `paths`, like any built-in kind's.
    writeFileSync(join(template, "policyops.yaml"), readFileSync(join(template, "policyops.yaml"), "utf8") + "\npaths:\n  handset: inventory\n");
    expect(run("list", "handset", template).stdout).toContain("0 handset documents in `inventory/`.");
  }, 120_000);
});

describe("folder/ungoverned", () => {
  it("reports records in a folder no kind governs once, as info, and declaring the kind in kinds/ clears it", async () => {
    const root = repo({ "trainings/awareness.yaml": "id: TRN-001\ntitle: Awareness\nowner: CISO\nstatus: draft\n", "trainings/phishing.yaml": "id: TRN-002\ntitle: Phishing\nowner: CISO\nstatus: draft\n" });
    const before = (await load(root, { today: TODAY, git: false })).findings();
    expect(before.map((f) => `${f.file} ${f.severity} ${f.code} ${f.message}`)).toEqual([
      "trainings/awareness.yaml info folder/ungoverned No kind governs the folder `trainings/`, so its Markdown and YAML files are never checked; declare a kind for it in `kinds/<kind>.schema.json` (with `\"folder\": \"trainings\"`) or list `trainings` under `ignore:` in `policyops.yaml`.",
    ]);
    writeFileSync(join(root, "policyops.yaml"), "ignore: [trainings]\n");
    expect((await load(root, { today: TODAY, git: false })).findings()).toEqual([]);
    writeFileSync(join(root, "policyops.yaml"), "version: 1\n");
    mkdirSync(join(root, "kinds"));
    writeFileSync(join(root, "kinds/training.schema.json"), JSON.stringify(TRAINING));
    const after = await load(root, { today: TODAY, git: false });
    expect(after.findings()).toEqual([]);
    expect(after.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["training TRN-001", "training TRN-002"]);
  });
});

describe("validate --cache with a repository kind", () => {
  it("re-checks the kind's files when kinds/<kind>.schema.json changes, though the files did not", async () => {
    const root = repo({ "kinds/training.schema.json": JSON.stringify(TRAINING), "trainings/a.yaml": "id: TRN-001\ntitle: A\nowner: CISO\nstatus: draft\n" });
    const run = () => cli(["validate", root, "--cache", "--format", "json", "--today", TODAY]);
    expect(JSON.parse((await run()).stdout).findings).toEqual([]);
    expect(JSON.parse((await run()).stdout).findings).toEqual([]);
    writeFileSync(join(root, "kinds/training.schema.json"), JSON.stringify({ ...TRAINING, required: [...TRAINING.required, "systems"] }));
    const after = JSON.parse((await run()).stdout) as { findings: { file: string; code: string; message: string }[] };
    expect(after.findings.map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual(["trainings/a.yaml schema/required Missing required field `systems`; add it."]);
  });
});

describe("kinds belong to the loaded workspace", () => {
  const TRN = "id: TRN-001\ntitle: Awareness\nowner: CISO\nstatus: draft\n";

  it("two workspaces with different repository kinds in one process do not interfere: checks, updates and reports each use their own", async () => {
    const withKind = trainingRepo();
    const without = repo({ "trainings/awareness.yaml": TRN });
    const a = await load(withKind, { today: TODAY, git: false });
    const b = await load(without, { today: TODAY, git: false });
    // b, loaded last, has no training kind: its trainings/ folder is ungoverned.
    expect(b.findings().map((f) => `${f.file} ${f.code}`)).toEqual(["trainings/awareness.yaml folder/ungoverned"]);
    expect(b.documents()).toEqual([]);
    // a still knows its kind, after b was loaded: an edit is parsed and checked as a training.
    const delta = a.update("trainings/new.yaml", "id: TRN-003\ntitle: New\nowner: CISO\nstatus: draft\ncolour: red\n");
    expect(delta.get("trainings/new.yaml")!.map((f) => `${f.code} ${f.message}`)).toEqual([
      "schema/additional-properties Unknown field `colour`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
    ]);
    expect(a.kinds.has("training")).toBe(true);
    expect(b.kinds.has("training")).toBe(false);
    // …and b's edit of the same path stays an ungoverned file.
    expect(b.update("trainings/new.yaml", "id: TRN-003\ntitle: New\nowner: CISO\nstatus: draft\n").get("trainings/new.yaml")).toBeUndefined();
    expect(b.documents()).toEqual([]);
    // Reports run with their workspace's kinds, whichever was loaded last.
    const { registerReport, reviewReport } = await import("../src/engine/index.js");
    expect(registerReport(a, "training").map((r) => r.id)).toEqual(["TRN-001", "TRN-002", "TRN-003"]);
    expect(reviewReport(a).map((r) => r.id)).toContain("TRN-001");
    expect(() => registerReport(b, "training")).toThrow(/unknown kind `training`/);
  });

  it("update('kinds/<kind>.schema.json') re-derives the kinds and re-checks: the folder becomes governed, then an invalid schema keeps the last kinds with a finding on it", async () => {
    const root = repo({ "trainings/awareness.yaml": TRN + "colour: red\n" });
    const ws = await load(root, { today: TODAY, git: false });
    expect(ws.findings().map((f) => `${f.file} ${f.code}`)).toEqual(["trainings/awareness.yaml folder/ungoverned"]);
    const delta = ws.update("kinds/training.schema.json", JSON.stringify(TRAINING));
    expect(delta.get("trainings/awareness.yaml")!.map((f) => `${f.code} ${f.message}`)).toEqual([
      "schema/additional-properties Unknown field `colour`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
    ]);
    expect(ws.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["training TRN-001"]);
    // A schema that is not valid JSON Schema: the last valid kinds stay, and the schema file says why.
    const broken = ws.update("kinds/training.schema.json", JSON.stringify({ ...TRAINING, required: "id" }));
    expect(broken.get("kinds/training.schema.json")!.map((f) => `${f.code} ${f.message.slice(0, 40)}`)).toEqual(["config/invalid This kind schema is not valid (kinds/tra"]);
    expect(ws.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["training TRN-001"]);
    // Removing the schema: the kind is gone, the folder is ungoverned again.
    ws.remove("kinds/training.schema.json");
    expect(ws.findings().map((f) => `${f.file} ${f.code}`)).toEqual(["trainings/awareness.yaml folder/ungoverned"]);
    expect(ws.documents()).toEqual([]);
  });

  it("a change of policyops.yaml re-derives the kinds too (a kind schema written on disk meanwhile is picked up)", async () => {
    const root = repo({ "trainings/awareness.yaml": TRN });
    const ws = await load(root, { today: TODAY, git: false });
    mkdirSync(join(root, "kinds"));
    writeFileSync(join(root, "kinds/training.schema.json"), JSON.stringify(TRAINING));
    ws.update("policyops.yaml", "version: 1\n");
    expect(ws.findings()).toEqual([]);
    expect(ws.documents().map((d) => `${d.kind} ${d.id}`)).toEqual(["training TRN-001"]);
  });

  it("folder/ungoverned follows incremental updates: a record added by update() in an ungoverned folder yields the info finding, removing it clears it", async () => {
    const root = repo({ "policies/p.md": policy("POL-001") });
    const ws = await load(root, { today: TODAY, git: false });
    const base = ws.findings();
    const added = ws.update("trainings/awareness.yaml", TRN);
    expect(added.get("trainings/awareness.yaml")!.map((f) => `${f.severity} ${f.code} ${f.message.slice(0, 44)}`)).toEqual(["info folder/ungoverned No kind governs the folder `trainings/`, so "]);
    expect(ws.findings().filter((f) => f.code === "folder/ungoverned").map((f) => f.file)).toEqual(["trainings/awareness.yaml"]);
    const removed = ws.remove("trainings/awareness.yaml");
    expect(removed.get("trainings/awareness.yaml")).toEqual([]);
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
