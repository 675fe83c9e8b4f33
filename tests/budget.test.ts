/**
 * Budgets (issue 17): `policyops budget` on a repository whose totals are worked out by hand
 * below, line by line; budget_line references (ref/unknown, nested fields of a repository's
 * own kind); budget/overspend and budget/currency with their figures; the calendar's budget
 * year ends; the incremental workspace re-checking a budget when a cost naming it changes.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import { completion, definition, hover } from "../src/lsp/features.js";
import { cli } from "./helpers/cli.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-budget-");
const COMMON = "https://policyops.dev/schemas/v1/common.schema.json#/$defs";
const TODAY = "2027-06-30";

/** A repository's own kind with a cost and a budget line inside a mapping (`order`), annotated like an asset's `purchase`. */
const PURCHASE = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Purchase order",
  type: "object",
  "x-policyops": { kind: "purchase", folder: "purchases", format: "yaml", idPrefix: "PO" },
  required: ["id", "owner"],
  properties: {
    id: { $ref: `${COMMON}/docId` },
    title: { type: "string" },
    owner: { $ref: `${COMMON}/owner` },
    order: {
      type: "object",
      properties: {
        date: { $ref: `${COMMON}/date` },
        cost: { type: "object", properties: { amount: { type: "number" }, currency: { type: "string" } }, additionalProperties: false },
        budget_line: { $ref: `${COMMON}/budgetLine`, "x-policyops-ref": ["budget"], "x-policyops-ref-item": "lines" },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

const licence = (id: string, extra: string) => `id: ${id}\nproduct: ${id}\nowner: IT\ntype: subscription\n${extra}`;

/**
 * Fiscal year 2027-28 from 2027-04-01 to 2028-03-31: 366 days (it holds 2028-02-29).
 * - L1 (planned 10,000.00): LIC-A 7,320.00/year over 2026-10-01..2027-09-30 → 183 of 366 days
 *   in the year (Apr 30 + May 31 + Jun 30 + Jul 31 + Aug 31 + Sep 30) = 3,660.00 (across the year's start);
 *   CON-B 250.50/month from 2027-06-16 to 2027-12-31 → June 15/30 days = 125.25, July to
 *   December 6 × 250.50 = 1,503.00, total 1,628.25; committed 5,288.25; actual 1,000.10;
 *   variance 10,000.00 − 5,288.25 − 1,000.10 = 3,711.65.
 * - L2 (planned 5,000.00): CON-C one-off 1,999.99 on 2027-05-10; PO-1 (own kind, nested
 *   order) one-off 3,000.00 on 2028-03-31 (the year's last day); committed 4,999.99, variance 0.01.
 *   PO-0 one-off 700.00 on 2027-03-31 (the day before the year) is not counted.
 * - L3 (planned 2,000.00): LIC-D 1,200.00 USD/year is in another currency: not added,
 *   budget/currency; actual 2,100.00; variance −100.00: overspent (budget/overspend).
 * - Unallocated: LIC-E 3,660.00/year 2027-01-01..2027-12-31, no line → 275 of 366 days = 2,750.00;
 *   PO-2 10.00 on 2027-08-01 naming line L7 that does not exist (ref/unknown) → unknown-line.
 * - CON-F does not validate (an unknown key): left out, the report is incomplete.
 * Totals: planned 17,000.00, committed 10,288.24, actuals 3,100.10, variance 3,611.66.
 */
const FILES: Record<string, string> = {
  "kinds/purchase.schema.json": JSON.stringify(PURCHASE, null, 2),
  "vendors/acme.yaml": "id: VEN-ACME\nname: Acme\nowner: IT\n",
  "budgets/2027-28.yaml": [
    "id: BUD-2027-28", "title: IT budget 2027-28", "owner: IT Director", 'fiscal_year: "2027-28"', "start: 2027-04-01", "currency: EUR",
    "lines:",
    "  - { id: L1, title: Software, category: software, cost_centre: CC-1, type: opex, planned: 10000 }",
    "  - { id: L2, title: Services and kit, type: capex, planned: 5000 }",
    "  - { id: L3, title: Tools, type: opex, planned: 2000 }",
    "actuals:",
    "  - { line: L1, date: 2027-04-15, amount: 1000.10, ref: INV-1 }",
    "  - { line: L3, date: 2027-07-01, amount: 2100, ref: INV-2 }",
    "",
  ].join("\n"),
  "licences/a.yaml": licence("LIC-A", "start_date: 2026-10-01\nexpiry_date: 2027-09-30\ncost: { amount: 7320, currency: EUR, period: year }\nbudget_line: BUD-2027-28/L1\n"),
  "contracts/b.yaml": "id: CON-B\nowner: IT\nvendor: VEN-ACME\nstart_date: 2027-06-16\nend_date: 2027-12-31\ncost: { amount: 250.50, currency: EUR, period: month }\nbudget_line: BUD-2027-28/L1\n",
  "contracts/c.yaml": "id: CON-C\nowner: IT\nvendor: VEN-ACME\nstart_date: 2027-05-10\nend_date: 2027-06-30\ncost: { amount: 1999.99, currency: EUR, period: one-off }\nbudget_line: BUD-2027-28/L2\n",
  "purchases/p0.yaml": "id: PO-0\nowner: IT\norder: { date: 2027-03-31, cost: { amount: 700, currency: EUR }, budget_line: BUD-2027-28/L2 }\n",
  "purchases/p1.yaml": "id: PO-1\nowner: IT\norder: { date: 2028-03-31, cost: { amount: 3000, currency: EUR }, budget_line: BUD-2027-28/L2 }\n",
  "purchases/p2.yaml": "id: PO-2\nowner: IT\norder: { date: 2027-08-01, cost: { amount: 10, currency: EUR }, budget_line: BUD-2027-28/L7 }\n",
  "licences/d.yaml": licence("LIC-D", "start_date: 2027-01-01\nexpiry_date: 2028-12-31\ncost: { amount: 1200, currency: USD, period: year }\nbudget_line: BUD-2027-28/L3\n"),
  "licences/e.yaml": licence("LIC-E", "start_date: 2027-01-01\nexpiry_date: 2027-12-31\ncost: { amount: 3660, currency: EUR, period: year }\n"),
  "contracts/f.yaml": "id: CON-F\nowner: IT\nvendor: VEN-ACME\nstart_date: 2027-05-01\nend_date: 2027-05-31\ncolour: red\ncost: { amount: 500, currency: EUR, period: one-off }\nbudget_line: BUD-2027-28/L3\n",
};

interface Line { id: string; planned: number; committed: number; actuals: number; variance: number; overspent: boolean; commitments: { id: string; amount: number; basis: string }[] }

describe("policyops budget", () => {
  it("--format json rolls up planned, committed (prorated across the year's start, monthly, one-off, nested in a repository's own kind), actuals and variance line by line, leaves out a foreign-currency cost and an invalid record, and lists unallocated costs", async () => {
    const root = repo(FILES);
    const r = await cli(["budget", root, "--format", "json", "--today", TODAY]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("policyops: 1 budget or cost record does not validate and is marked `invalid`, so totals are incomplete; run `policyops validate` and fix it.\n");
    const report = JSON.parse(r.stdout);
    expect(report.complete).toBe(false);
    expect(report.invalid).toEqual([{ id: "CON-F", kind: "contract", file: "contracts/f.yaml" }]);
    expect(report.budgets).toHaveLength(1);
    const b = report.budgets[0];
    expect([b.id, b.fiscal_year, b.start, b.end, b.currency, b.invalid]).toEqual(["BUD-2027-28", "2027-28", "2027-04-01", "2028-03-31", "EUR", false]);
    const lines = b.lines as Line[];
    expect(lines.map((l) => [l.id, l.planned, l.committed, l.actuals, l.variance, l.overspent])).toEqual([
      ["L1", 10000, 5288.25, 1000.1, 3711.65, false],
      ["L2", 5000, 4999.99, 0, 0.01, false],
      ["L3", 2000, 0, 2100, -100, true],
    ]);
    expect(lines[0]!.commitments.map((c) => [c.id, c.amount, c.basis])).toEqual([
      ["CON-B", 1628.25, "monthly × 7 months (part months by days)"],
      ["LIC-A", 3660, "yearly × 183/366 days"],
    ]);
    expect(lines[1]!.commitments.map((c) => [c.id, c.amount, c.basis])).toEqual([
      ["CON-C", 1999.99, "one-off on 2027-05-10"],
      ["PO-1", 3000, "one-off on 2028-03-31"],
    ]);
    expect(b.totals).toEqual({ planned: 17000, committed: 10288.24, actuals: 3100.1, variance: 3611.66 });
    expect(b.excluded.map((c: Line["commitments"][number] & { currency: string }) => [c.id, c.amount, c.currency])).toEqual([["LIC-D", 1200, "USD"]]);
    expect(report.unallocated.map((u: Record<string, unknown>) => [u.fiscal_year, u.id, u.amount, u.currency, u.reason, u.budget_line])).toEqual([
      ["2027-28", "LIC-E", 2750, "EUR", "no-line", null],
      ["2027-28", "PO-2", 10, "EUR", "unknown-line", "BUD-2027-28/L7"],
    ]);
  });

  it("validate reports budget/overspend with the figures (the invalid record left out, as in the report), budget/currency on the foreign cost, and ref/unknown on a nested budget_line naming a missing line", async () => {
    const root = repo(FILES);
    const ws = await load(root, { today: TODAY, git: false });
    const found = ws.findings().filter((f) => f.code.startsWith("budget/") || f.code === "ref/unknown").map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`);
    expect(found).toEqual([
      "budgets/2027-28.yaml:10:50 budget/overspend Budget line `BUD-2027-28/L3` (Tools) has `0.00 EUR` committed and `2,100.00 EUR` spent against `2,000.00 EUR` planned for `2027-28`, `100.00 EUR` over; raise `planned`, move costs to another line, or cut spending.",
      "licences/d.yaml:7:33 budget/currency This cost is in `USD` but `BUD-2027-28/L3` belongs to budget `BUD-2027-28`, kept in `EUR`, so `policyops budget` leaves it out; record the cost in `EUR` or pay it from a line of a `USD` budget.",
      "purchases/p2.yaml:3:78 ref/unknown `order.budget_line` names `BUD-2027-28/L7`, but budget `BUD-2027-28` has no item of `lines` with the id `L7` (did you mean `L1`?); name one of its lines (`L1`, `L2`, `L3`) or add the item to `BUD-2027-28`.",
    ]);
  });

  it("--format table shows each line with its figures and sources, the unallocated costs and the incomplete-totals note", async () => {
    const r = await cli(["budget", repo(FILES), "--today", TODAY]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("BUD-2027-28 — IT budget 2027-28: fiscal year 2027-28 (2027-04-01 to 2028-03-31), EUR");
    expect(r.stdout).toMatch(/L1\s+Software\s+opex\s+10,000\.00\s+5,288\.25\s+1,000\.10\s+3,711\.65/);
    expect(r.stdout).toMatch(/TOTAL\s+17,000\.00\s+10,288\.24\s+3,100\.10\s+3,611\.66/);
    expect(r.stdout).toContain("  Not added (other currency): 1,200.00 USD from LIC-D (licence, licences/d.yaml) names BUD-2027-28/L3; the budget is in EUR.");
    expect(r.stdout).toContain("  Overspent: L3 by 100.00 EUR.");
    expect(r.stdout).toContain("  2027-28: 2,750.00 EUR from LIC-E (licence, licences/e.yaml), yearly × 275/366 days; names no budget line.");
    expect(r.stdout).toContain("1 budget or cost record does not validate and is marked `invalid`, so totals are incomplete");
  });

  it("--format csv has one row per line, excluded and unallocated cost; --year selects budgets by fiscal_year and rejects a malformed year", async () => {
    const root = repo(FILES);
    const csv = await cli(["budget", root, "--format", "csv", "--today", TODAY]);
    // No cell here holds a comma or a quote, so a split reads it.
    const [header, ...body] = csv.stdout.trim().split(/\r?\n/).map((l) => l.split(","));
    const rows = body.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ""])));
    expect(rows.map((x) => [x.row, x.line, x.planned, x.committed, x.actuals, x.variance, x.record, x.reason])).toEqual([
      ["line", "L1", "10000", "5288.25", "1000.1", "3711.65", "", ""],
      ["line", "L2", "5000", "4999.99", "0", "0.01", "", ""],
      ["line", "L3", "2000", "0", "2100", "-100", "", ""],
      ["excluded", "BUD-2027-28/L3", "", "1200", "", "", "LIC-D", "currency"],
      ["unallocated", "", "", "2750", "", "", "LIC-E", "no-line"],
      ["unallocated", "BUD-2027-28/L7", "", "10", "", "", "PO-2", "unknown-line"],
    ]);
    const other = JSON.parse((await cli(["budget", root, "--format", "json", "--year", "2026", "--today", TODAY])).stdout);
    expect([other.year, other.budgets, other.unallocated]).toEqual(["2026", [], []]);
    const same = JSON.parse((await cli(["budget", root, "--format", "json", "--year", "2027-28", "--today", TODAY])).stdout);
    expect(same.budgets.map((x: { id: string }) => x.id)).toEqual(["BUD-2027-28"]);
    const bad = await cli(["budget", root, "--year", "27"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected a fiscal year as YYYY or YYYY-YY");
  });

  it("a fiscal year without start runs January 1 to December 31 of fiscal_year; a cost of a record naming a budget of another year is unallocated there", async () => {
    const root = repo({
      "budgets/a.yaml": 'id: BUD-2027\nowner: IT\nfiscal_year: "2027"\ncurrency: EUR\nlines:\n  - { id: L1, title: All, planned: 100000 }\n',
      "budgets/b.yaml": 'id: BUD-2028\nowner: IT\nfiscal_year: "2028"\ncurrency: EUR\nlines:\n  - { id: L1, title: All, planned: 100000 }\n',
      "licences/x.yaml": licence("LIC-X", "start_date: 2027-07-01\nexpiry_date: 2028-06-30\ncost: { amount: 3650, currency: EUR, period: year }\nbudget_line: BUD-2027/L1\n"),
    });
    const report = JSON.parse((await cli(["budget", root, "--format", "json", "--today", TODAY])).stdout);
    expect(report.budgets.map((b: { id: string; start: string; end: string; totals: { committed: number } }) => [b.id, b.start, b.end, b.totals.committed])).toEqual([
      ["BUD-2027", "2027-01-01", "2027-12-31", 1840], // 184 of 365 days: 3,650 × 184 / 365
      ["BUD-2028", "2028-01-01", "2028-12-31", 0],
    ]);
    expect(report.unallocated.map((u: Record<string, unknown>) => [u.fiscal_year, u.id, u.amount, u.reason])).toEqual([["2028", "LIC-X", 1815.03, "other-year"]]); // 182 of 366 days: 3,650 × 182 / 366 = 1,815.027… → 1,815.03
  });
});

describe("policyops new budget", () => {
  it("drafts a budget that validates, titled by --title (fiscal_year, a code with a pattern, is not taken for its title)", async () => {
    const root = repo({ "policyops.yaml": "version: 1\n" });
    const r = await cli(["new", "budget", "--title", "IT budget 2027", root, "--today", TODAY]);
    expect([r.status, r.stdout]).toEqual([0, "Created budgets/it-budget-2027.yaml (BUD-001).\n"]);
    const v = await cli(["validate", root, "--today", TODAY]);
    expect([v.status, v.stdout]).toEqual([0, `✔ 1 document checked, no problems (today is ${TODAY}).\n`]);
  });
});

describe("budget references and checks", () => {
  it("ref/unknown names the missing budget with did-you-mean, and ref/kind a budget_line naming a record of another kind", async () => {
    const root = repo({
      "budgets/a.yaml": 'id: BUD-2027\nowner: IT\nfiscal_year: "2027"\ncurrency: EUR\nlines:\n  - { id: L1, title: All, planned: 100 }\n',
      "licences/x.yaml": licence("LIC-X", "expiry_date: 2027-12-31\nbudget_line: BUD-2072/L1\n"),
      "licences/y.yaml": licence("LIC-Y", "expiry_date: 2027-12-31\nbudget_line: LIC-X/L1\n"),
    });
    const ws = await load(root, { today: TODAY, git: false });
    expect(ws.findings().filter((f) => f.code.startsWith("ref/")).map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual([
      "licences/x.yaml ref/unknown `budget_line` names `BUD-2072/L1`, but no budget has the id `BUD-2072` (did you mean `BUD-2027`?); correct the part before the `/` or add the budget.",
      "licences/y.yaml ref/kind `budget_line` expects budget ids, but `LIC-X` is a licence (`licences/x.yaml`); reference a budget instead.",
    ]);
  });

  it("an edit to a licence naming a budget line re-checks the budget: budget/overspend comes and goes in the incremental workspace", async () => {
    const root = repo({
      "budgets/a.yaml": 'id: BUD-2027\nowner: IT\nfiscal_year: "2027"\ncurrency: EUR\nlines:\n  - { id: L1, title: All, planned: 1000 }\n',
      "licences/x.yaml": licence("LIC-X", "start_date: 2027-01-01\nexpiry_date: 2027-12-31\ncost: { amount: 900, currency: EUR, period: year }\nbudget_line: BUD-2027/L1\n"),
    });
    const ws = await load(root, { today: TODAY, git: false });
    const overspend = () => ws.findings().filter((f) => f.code === "budget/overspend").map((f) => f.message);
    expect(overspend()).toEqual([]);
    ws.update("licences/x.yaml", licence("LIC-X", "start_date: 2027-01-01\nexpiry_date: 2027-12-31\ncost: { amount: 1200, currency: EUR, period: year }\nbudget_line: BUD-2027/L1\n"));
    expect(overspend()).toEqual(["Budget line `BUD-2027/L1` (All) has `1,200.00 EUR` committed and `0.00 EUR` spent against `1,000.00 EUR` planned for `2027`, `200.00 EUR` over; raise `planned`, move costs to another line, or cut spending."]);
    ws.update("budgets/a.yaml", 'id: BUD-2027\nowner: IT\nfiscal_year: "2027"\ncurrency: USD\nlines:\n  - { id: L1, title: All, planned: 1000 }\n');
    expect(overspend()).toEqual([]);
    expect(ws.findings().filter((f) => f.code === "budget/currency").map((f) => f.file)).toEqual(["licences/x.yaml"]);
    ws.update("budgets/a.yaml", 'id: BUD-2027\nowner: IT\nfiscal_year: "2027"\ncurrency: EUR\nlines:\n  - { id: L2, title: All, planned: 1000 }\n');
    expect(ws.findings().filter((f) => f.code === "ref/unknown").map((f) => f.message)).toEqual([
      "`budget_line` names `BUD-2027/L1`, but budget `BUD-2027` has no item of `lines` with the id `L1` (did you mean `L2`?); name one of its lines (`L2`) or add the item to `BUD-2027`.",
    ]);
  });
});

describe("validate --cache", () => {
  it("re-checks an unchanged budget when a licence naming its line changes: budget/overspend appears on the warm run", async () => {
    const root = repo({
      "budgets/a.yaml": 'id: BUD-2027\nowner: IT\nfiscal_year: "2027"\ncurrency: EUR\nlines:\n  - { id: L1, title: All, planned: 1000 }\n',
      "licences/x.yaml": licence("LIC-X", "start_date: 2027-01-01\nexpiry_date: 2027-12-31\ncost: { amount: 900, currency: EUR, period: year }\nbudget_line: BUD-2027/L1\n"),
    });
    const cold = await cli(["validate", root, "--cache", "--today", TODAY, "--format", "json"]);
    expect(JSON.parse(cold.stdout).findings).toEqual([]);
    writeFileSync(join(root, "licences/x.yaml"), licence("LIC-X", "start_date: 2027-01-01\nexpiry_date: 2027-12-31\ncost: { amount: 1100, currency: EUR, period: year }\nbudget_line: BUD-2027/L1\n"));
    const warm = await cli(["validate", root, "--cache", "--today", TODAY, "--format", "json"]);
    expect(JSON.parse(warm.stdout).findings.map((f: { file: string; code: string }) => `${f.file} ${f.code}`)).toEqual(["budgets/a.yaml budget/overspend"]);
  });
});

describe("policyops calendar", () => {
  it("--format ics parses back with ical.js with the budget year end as an all-day event", async () => {
    const r = await cli(["calendar", repo(FILES), "--format", "ics", "--today", TODAY]);
    const events = new ICAL.Component(ICAL.parse(r.stdout)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const end = events.find((e) => e.uid === "BUD-2027-28-year-end@policyops")!;
    expect([end.startDate.toString(), end.startDate.isDate, end.summary]).toEqual(["2028-03-31", true, "Budget year ends: IT budget 2027-28 (2027-28)"]);
  });

  it("lists each budget's fiscal year end with a stable UID", async () => {
    const r = await cli(["calendar", repo(FILES), "--format", "json", "--today", TODAY]);
    const events = JSON.parse(r.stdout) as { uid: string; date: string; summary: string }[];
    expect(events.filter((e) => e.uid.includes("year-end"))).toEqual([
      expect.objectContaining({ uid: "BUD-2027-28-year-end@policyops", date: "2028-03-31", summary: "Budget year ends: IT budget 2027-28 (2027-28)" }),
    ]);
  });
});

describe("the editor on budget lines", () => {
  it("completes budget_line with BUDGET/LINE values, at the top level and nested in a repository's own kind, and hover and definition lead to the budget", async () => {
    const root = repo(FILES);
    const ws = await load(root, { today: TODAY, git: false });
    const ctx = { ws, uriOf: (f: string) => `file:///repo/${f}` };
    const labelsAt = (file: string, needle: string) => {
      const text = ws.text(file)!;
      const before = text.slice(0, text.indexOf(needle));
      const line = before.split("\n").length - 1;
      return completion(ctx, file, { line, character: before.length - before.lastIndexOf("\n") - 1 }).map((i) => [i.label, i.detail]);
    };
    const lines = [["BUD-2027-28/L1", "budget lines: Software"], ["BUD-2027-28/L2", "budget lines: Services and kit"], ["BUD-2027-28/L3", "budget lines: Tools"]];
    expect(labelsAt("licences/a.yaml", "BUD-2027-28/L1")).toEqual(lines);
    expect(labelsAt("purchases/p1.yaml", "BUD-2027-28/L2")).toEqual(lines);
    const text = ws.text("licences/a.yaml")!;
    const line = text.split("\n").findIndex((l) => l.startsWith("budget_line:"));
    const pos = { line, character: "budget_line: BUD".length };
    expect(definition(ctx, "licences/a.yaml", pos).map((l) => [l.uri, l.range.start.line])).toEqual([["file:///repo/budgets/2027-28.yaml", 0]]);
    expect(JSON.stringify(hover(ctx, "licences/a.yaml", pos)?.contents)).toContain("**BUD-2027-28** — IT budget 2027-28");
  });
});
