/**
 * Issue 18, assurance records: audits, risks and training programmes, `action/overdue`
 * across every kind with the `actions` trait, `policyops actions` (checked against a
 * hand-made list), the compliance report's open findings and the calendar's tests and dues.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import { cli } from "./helpers/cli.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-assure-");
const TODAY = "2026-06-30";
const COMMON = "https://policyops.dev/schemas/v1/common.schema.json#/$defs";

const audit = (status: string, findings: string) =>
  `---\nid: AUD-2026-01\ntitle: Access audit\nowner: IT Director\ntype: internal\nframework: NIST-CSF-2.0\nstatus: ${status}\nfindings:\n${findings}---\n\n# Access audit\n`;
const finding = (id: string, severity: string, status: string, due: string, extra = "") =>
  `  - id: ${id}\n    title: Finding ${id}\n    severity: ${severity}\n    owner: Service Desk Manager\n    due: ${due}\n    status: ${status}\n${extra}`;

/** A repository's own kinds standing in for a change (review_due + status) and a DR test (actions + next_due): selected by fields and trait, never by name. */
const OWN_KINDS = {
  "kinds/upgrade.schema.json": JSON.stringify({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    "x-policyops": { kind: "upgrade", folder: "upgrades", format: "yaml", idPrefix: "UPG", traits: [] },
    required: ["id", "title", "owner", "status"],
    properties: {
      id: { $ref: `${COMMON}/docId` },
      title: { type: "string" },
      owner: { $ref: `${COMMON}/owner` },
      status: { enum: ["implemented", "closed"] },
      review_due: { $ref: `${COMMON}/date` },
    },
    additionalProperties: false,
  }),
  "kinds/exercise.schema.json": JSON.stringify({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    "x-policyops": { kind: "exercise", folder: "exercises", format: "yaml", idPrefix: "EXE", traits: ["actions"] },
    required: ["id", "title", "owner"],
    properties: {
      id: { $ref: `${COMMON}/docId` },
      title: { type: "string" },
      owner: { $ref: `${COMMON}/owner` },
      actions: { $ref: `${COMMON}/actions` },
      next_due: { $ref: `${COMMON}/date` },
    },
    additionalProperties: false,
  }),
};

function assuranceRepo(): string {
  return repo({
    ...OWN_KINDS,
    "audits/access.md": audit(
      "reported",
      finding("F1", "major", "open", "2026-06-01", "    controls: [NIST-CSF-2.0:PR.AA-05]\n") +
        finding("F2", "minor", "in-progress", "2026-08-31", "    controls: [NIST-CSF-2.0:PR.AA-05, NIST-CSF-2.0:PR.AT-01]\n") +
        finding("F3", "observation", "closed", "2026-03-01", "    controls: [NIST-CSF-2.0:PR.AT-01]\n    closed_on: 2026-02-20\n"),
    ),
    "risks/ransomware.yaml": [
      "id: RSK-001", "title: Ransomware", "owner: IT Director", "likelihood: 3", "impact: 5", "treatment: mitigate",
      "actions:",
      "  - description: Immutable backups", "    owner: Infrastructure Manager", "    due: 2026-07-15", "    status: open",
      "  - description: Admin MFA", "    owner: IT Security Manager", "    due: 2026-05-01", "    status: done", "    closed_on: 2026-04-28",
      "residual:", "  likelihood: 2", "  impact: 4", "",
    ].join("\n"),
    "upgrades/erp.yaml": "id: UPG-001\ntitle: ERP upgrade\nowner: ERP Application Owner\nstatus: implemented\nreview_due: 2026-06-20\n",
    "upgrades/mail.yaml": "id: UPG-002\ntitle: Mail migration\nowner: IT Director\nstatus: closed\nreview_due: 2026-05-20\n",
    "exercises/failover.yaml": [
      "id: EXE-001", "title: Firewall failover", "owner: Infrastructure Manager", "next_due: 2027-01-15",
      "actions:", "  - description: Document the failover steps", "    owner: Network Engineer", "    status: in-progress", "    due: 2026-09-30", "",
    ].join("\n"),
    // Does not validate (unknown key): still listed, marked invalid, and the totals say so.
    "exercises/tabletop.yaml": "id: EXE-002\ntitle: Ransomware tabletop\nowner: IT Director\ncolour: red\nactions:\n  - description: Print the call tree\n    owner: Service Desk Manager\n    due: 2026-07-01\n    status: open\n",
  });
}

describe("action/overdue", () => {
  it("an open major audit finding past its due date is an error, a minor one a warning, and rules: in policyops.yaml overrides both", async () => {
    const root = repo({ "audits/a.md": audit("reported", finding("F1", "major", "open", "2026-06-01") + finding("F2", "minor", "in-progress", "2026-06-29")) });
    const found = (await load(root, { today: TODAY, git: false })).findings().filter((f) => f.code === "action/overdue");
    expect(found.map((f) => [f.severity, f.line, f.message])).toEqual([
      ["error", 9, "Major finding `F1` (owner Service Desk Manager) was due on `2026-06-01` (29 days ago) and is still `open`; close it and set `status: closed` with `closed_on`, or agree a new `due` date with the auditor."],
      ["warning", 15, "Minor finding `F2` (owner Service Desk Manager) was due on `2026-06-29` (1 day ago) and is still `in-progress`; close it and set `status: closed` with `closed_on`, or agree a new `due` date with the auditor."],
    ]);
    writeFileSync(join(root, "policyops.yaml"), "rules:\n  action/overdue: info\n");
    const downgraded = (await load(root, { today: TODAY, git: false })).findings().filter((f) => f.code === "action/overdue");
    expect(downgraded.map((f) => f.severity)).toEqual(["info", "info"]);
  });

  it("checks the actions of a repository's own kind with the actions trait, and not those of a kind without it", async () => {
    const root = assuranceRepo();
    const found = (await load(root, { today: "2026-10-01", git: false })).findings().filter((f) => f.code === "action/overdue");
    expect(found.map((f) => `${f.file}:${f.line} ${f.severity} ${f.message}`)).toEqual([
      "audits/access.md:9 error Major finding `F1` (owner Service Desk Manager) was due on `2026-06-01` (122 days ago) and is still `open`; close it and set `status: closed` with `closed_on`, or agree a new `due` date with the auditor.",
      "audits/access.md:16 warning Minor finding `F2` (owner Service Desk Manager) was due on `2026-08-31` (31 days ago) and is still `in-progress`; close it and set `status: closed` with `closed_on`, or agree a new `due` date with the auditor.",
      "exercises/failover.yaml:6 warning Action `Document the failover steps` (owner Network Engineer) was due on `2026-09-30` (1 day ago) and is still `in-progress`; do it and set `status: done` with `closed_on`, or agree a new `due` date.",
      "exercises/tabletop.yaml:6 warning Action `Print the call tree` (owner Service Desk Manager) was due on `2026-07-01` (92 days ago) and is still `open`; do it and set `status: done` with `closed_on`, or agree a new `due` date.",
      "risks/ransomware.yaml:8 warning Action `Immutable backups` (owner Infrastructure Manager) was due on `2026-07-15` (78 days ago) and is still `open`; do it and set `status: done` with `closed_on`, or agree a new `due` date.",
    ]);
  });
});

describe("risk records", () => {
  it("a written score is refused: the score is computed (likelihood × impact), never stored", async () => {
    const root = repo({ "risks/r.yaml": "id: RSK-001\ntitle: Outage\nowner: IT Director\nlikelihood: 2\nimpact: 2\nscore: 4\ntreatment: accept\n" });
    const found = (await load(root, { today: TODAY, git: false })).findings();
    expect(found.map((f) => `${f.line} ${f.code} ${f.message}`)).toEqual(["6 schema/additional-properties Unknown field `score`; remove it, correct its spelling, or prefix it with `x-` to keep your own data."]);
  });
});

describe("policyops compliance", () => {
  it("lists per control the open audit findings against it (json: an additive findings key; controls without any keep SPEC's exact shape)", async () => {
    const root = assuranceRepo();
    const r = await cli(["compliance", root, "--format", "json", "--today", TODAY]);
    expect(r.status).toBe(0);
    const controls = (JSON.parse(r.stdout) as { controls: Record<string, unknown>[] }[])[0]!.controls;
    expect(controls.find((c) => c.id === "PR.AA-05")).toEqual({
      id: "PR.AA-05", title: expect.any(String), status: "missing", documents: [],
      findings: [
        { audit: "AUD-2026-01", id: "F1", severity: "major", status: "open", due: "2026-06-01", file: "audits/access.md" },
        { audit: "AUD-2026-01", id: "F2", severity: "minor", status: "in-progress", due: "2026-08-31", file: "audits/access.md" },
      ],
    });
    // F3 is closed: PR.AT-01 shows only F2.
    expect((controls.find((c) => c.id === "PR.AT-01")!.findings as { id: string }[]).map((f) => f.id)).toEqual(["F2"]);
    expect(Object.keys(controls.find((c) => c.id === "GV.OC-01")!)).toEqual(["id", "title", "status", "documents"]);
    const table = await cli(["compliance", root, "--today", TODAY]);
    expect(table.stdout).toMatch(/PR\.AA-05 +missing .*open audit findings: AUD-2026-01 F1 \(major\), AUD-2026-01/);
  });
});

describe("policyops actions", () => {
  it("lists every open action, audit finding and post-implementation review, overdue first then by due date, as a hand-made list says", async () => {
    const root = assuranceRepo();
    const r = await cli(["actions", root, "--format", "json", "--today", TODAY]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("policyops: 1 follow-up record does not validate and is marked `invalid`, so totals are incomplete; run `policyops validate` and fix it.\n");
    const rows = JSON.parse(r.stdout) as { source: string; item: string | null; description: string; owner: string; due: string; days_until: number; overdue: boolean; status: string; severity: string | null; document: { id: string; kind: string; file: string }; invalid: boolean }[];
    // Written by hand from the repository above, today 2026-06-30.
    expect(rows.map((x) => [x.due, x.overdue, x.document.id, x.document.kind, x.source, x.item, x.description, x.owner, x.status, x.severity, x.invalid])).toEqual([
      ["2026-06-01", true, "AUD-2026-01", "audit", "finding", "F1", "Finding F1", "Service Desk Manager", "open", "major", false],
      ["2026-06-20", true, "UPG-001", "upgrade", "post-implementation-review", null, "Post-implementation review of ERP upgrade", "ERP Application Owner", "implemented", null, false],
      ["2026-07-01", false, "EXE-002", "exercise", "action", null, "Print the call tree", "Service Desk Manager", "open", null, true],
      ["2026-07-15", false, "RSK-001", "risk", "action", null, "Immutable backups", "Infrastructure Manager", "open", null, false],
      ["2026-08-31", false, "AUD-2026-01", "audit", "finding", "F2", "Finding F2", "Service Desk Manager", "in-progress", "minor", false],
      ["2026-09-30", false, "EXE-001", "exercise", "action", null, "Document the failover steps", "Network Engineer", "in-progress", null, false],
    ]);
    expect(rows[0]!.days_until).toBe(-29);
    expect(rows[0]!.document.file).toBe("audits/access.md");

    const table = await cli(["actions", root, "--today", TODAY]);
    expect(table.stdout.split("\n").slice(0, 4)).toEqual([
      "6 open items, 2 overdue (today is 2026-06-30).",
      "",
      expect.stringMatching(/^DUE +WHEN +OWNER +WHAT +SOURCE +KIND +STATUS$/),
      expect.stringMatching(/^2026-06-01 +29d late +Service Desk Manager +Finding F1 +AUD-2026-01 F1 +audit finding \(major\) +open$/),
    ]);
    expect(table.stdout).toContain("EXE-002 (invalid)");
    expect(table.stdout).toContain("1 follow-up record does not validate and is marked `invalid`, so totals are incomplete");

    const csv = await cli(["actions", root, "--format", "csv", "--today", TODAY]);
    expect(csv.stdout.split("\n")[0]).toBe("document,kind,item,source,description,owner,due,days_until,overdue,status,severity,title,file,invalid,key");
    expect(csv.stdout.split("\n")[1]).toBe("AUD-2026-01,audit,F1,finding,Finding F1,Service Desk Manager,2026-06-01,-29,true,open,major,Access audit,audits/access.md,false,finding-F1");
  });

  it("says so when nothing is open", async () => {
    const root = repo({ "risks/r.yaml": "id: RSK-001\ntitle: Outage\nowner: IT Director\nlikelihood: 1\nimpact: 2\ntreatment: accept\n" });
    const r = await cli(["actions", root, "--today", TODAY]);
    expect(r.stdout).toBe("No open actions, findings or post-implementation reviews (today is 2026-06-30).\n");
  });
});

describe("policyops calendar and actions --format ics", () => {
  it("carry action and finding dues with UIDs that survive a new due date and a reordered list, and scheduled tests (next_due)", async () => {
    const root = assuranceRepo();
    const uids = async () => {
      const r = await cli(["calendar", root, "--format", "json", "--today", TODAY]);
      return (JSON.parse(r.stdout) as { uid: string; date: string; summary: string }[]).filter((e) => !e.uid.includes("-review@"));
    };
    const before = await uids();
    expect(before.map((e) => `${e.date} ${e.uid} ${e.summary}`)).toEqual([
      "2026-07-01 EXE-002-action-" + before.find((e) => e.uid.startsWith("EXE-002"))!.uid.slice("EXE-002-action-".length) + " Due: Print the call tree (EXE-002)",
      expect.stringMatching(/^2026-07-15 RSK-001-action-[0-9a-f]{8}@policyops Due: Immutable backups \(RSK-001\)$/),
      "2026-08-31 AUD-2026-01-finding-F2@policyops Due: Finding F2 (AUD-2026-01 F2)",
      expect.stringMatching(/^2026-09-30 EXE-001-action-[0-9a-f]{8}@policyops Due: Document the failover steps \(EXE-001\)$/),
      "2027-01-15 EXE-001-next-test@policyops Test due: Firewall failover (EXE-001)",
    ]);
    // Move the risk's open action after the done one, and give it a new due date: same UID.
    writeFileSync(join(root, "risks/ransomware.yaml"), [
      "id: RSK-001", "title: Ransomware", "owner: IT Director", "likelihood: 3", "impact: 5", "treatment: mitigate",
      "actions:",
      "  - description: Admin MFA", "    owner: IT Security Manager", "    due: 2026-05-01", "    status: done", "    closed_on: 2026-04-28",
      "  - description: Immutable backups", "    owner: Infrastructure Manager", "    due: 2026-08-15", "    status: open", "",
    ].join("\n"));
    const after = await uids();
    const risk = (list: { uid: string; date: string }[]) => list.find((e) => e.uid.startsWith("RSK-001"))!;
    expect(risk(after).uid).toBe(risk(before).uid);
    expect(risk(after).date).toBe("2026-08-15");
    const ics = await cli(["actions", root, "--format", "ics", "--today", TODAY]);
    expect(ics.stdout).toContain(`UID:${risk(after).uid}\r\n`);
    expect(ics.stdout).toContain("UID:AUD-2026-01-finding-F2@policyops\r\n");
    expect(ics.stdout).not.toContain("finding-F1"); // overdue: in the list, not in a calendar of what is coming
  });
});

describe("policyops new", () => {
  it("writes an audit, a risk and a training programme that validate (a new risk is drafted within the default appetite)", async () => {
    const root = repo({ "policyops.yaml": "version: 1\n" });
    for (const [kind, file] of [["audit", "audits/access-review.md"], ["risk", "risks/access-review.yaml"], ["training", "trainings/access-review.yaml"]] as const) {
      const r = await cli(["new", kind, "--title", "Access review", root, "--today", TODAY]);
      expect(r.stderr, kind).toBe("");
      expect(r.stdout).toMatch(new RegExp(`^Created ${file} \\([A-Z]+-001\\)\\.\\n$`));
    }
    const ws = await load(root, { today: TODAY, git: false });
    expect(ws.findings()).toEqual([]);
    expect(ws.documents().map((d) => d.kind).sort()).toEqual(["audit", "risk", "training"]);
  });
});

describe("policyops site", () => {
  it("the compliance page's statement of applicability shows the open audit findings against each control, linked to the audit", async () => {
    const root = assuranceRepo();
    const out = join(root, "..", `site-${Date.now()}`);
    const r = await cli(["site", root, "--out", out, "--today", TODAY]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(out, "compliance.html"), "utf8");
    expect(html).toContain("<th>open audit findings</th>");
    const row = html.split("\n").find((l) => l.includes("<td>PR.AT-01</td>"))!;
    expect(row).toContain('<a href="documents/AUD-2026-01.html">AUD-2026-01</a> F2 (minor)');
    expect(row).not.toContain("F3"); // closed
    rmSync(out, { recursive: true, force: true });
  });
});
