import ICAL from "ical.js";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { PROJECT, policy, useTempRepos } from "./helpers/repo.js";

// These run the built CLI: `npm run build` first.
const { repo } = useTempRepos();
const TEMPLATE = join(PROJECT, "policies-template");
const TODAY = "2026-06-30";

/** RFC 4180 parser, enough to read back what the CLI writes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else if (ch !== "\r") cell += ch;
  }
  if (cell !== "" || row.length) row.push(cell), rows.push(row);
  return rows;
}

const LICENCES = {
  "vendors/acme.yaml": "id: VEN-ACME\nname: Acme, Inc.\nowner: IT\n",
  "licences/auto.yaml":
    'id: LIC-AUTO\nproduct: \'Acme "Pro", Edition\'\nvendor: VEN-ACME\ntype: subscription\nowner: IT\nseats: 10\nassigned: 8\nexpiry_date: 2027-01-31\nrenewal_notice_days: 30\nauto_renew: true\ncost: { amount: 99.5, currency: EUR, period: month }\n',
  "licences/manual.yaml":
    "id: LIC-MAN\nproduct: =HYPERLINK(\"http://x\")\ntype: support\nowner: IT\nexpiry_date: 2026-08-15\nrenewal_notice_days: 90\nauto_renew: false\nreminders: [60, 7]\n",
  "licences/gone.yaml": "id: LIC-GONE\nproduct: Old\ntype: subscription\nowner: IT\nexpiry_date: 2026-01-31\n",
  "licences/perp.yaml": "id: LIC-PERP\nproduct: Forever\ntype: perpetual\nowner: IT\ncost: { amount: 500, currency: GBP, period: one-off }\n",
};

describe("policyops licences", () => {
  it("--format json prints SPEC §3's array and exits 0 even with findings", async () => {
    const r = await cli(["licences", repo(LICENCES), "--today", TODAY, "--format", "json"]);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { id: string }) => x.id)).toEqual(["LIC-GONE", "LIC-MAN", "LIC-AUTO", "LIC-PERP"]);
    for (const row of rows) expect(Object.keys(row)).toEqual(["id", "product", "vendor", "type", "expiry_date", "days_left", "status", "seats", "assigned", "over_allocated", "annual_cost", "one_off_cost", "file"]);
    expect(rows[2]).toMatchObject({ product: 'Acme "Pro", Edition', vendor: "VEN-ACME", status: "ok", annual_cost: { amount: 1194, currency: "EUR" } });
    expect(rows[0]).toMatchObject({ status: "expired", days_left: -150 });
  });

  it("--within filters", async () => {
    const rows = JSON.parse((await cli(["licences", repo(LICENCES), "--today", TODAY, "--format", "json", "--within", "60"])).stdout);
    expect(rows.map((x: { id: string }) => x.id)).toEqual(["LIC-GONE", "LIC-MAN"]);
  });

  it("--format table aligns columns and totals annual cost per currency and per vendor", async () => {
    const r = await cli(["licences", repo(LICENCES), "--today", TODAY]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^ID\s+PRODUCT\s+VENDOR\s+TYPE\s+EXPIRY\s+DAYS LEFT\s+STATUS\s+ASSIGNED\/SEATS\s+ANNUAL COST$/);
    const statusCol = lines[0]!.indexOf("STATUS");
    for (const line of lines.slice(1, 5)) expect(line.slice(statusCol)).toMatch(/^(expired|renewal-due|cancel-by|expiring|ok|perpetual|invalid)\b/);
    expect(r.stdout).toContain("Acme, Inc.");
    expect(r.stdout).toMatch(/Annual cost by currency\n\s+CURRENCY\s+PER YEAR\s+LICENCES\n\s+EUR\s+1,194\.00\s+1\n/);
    expect(r.stdout).toMatch(/Annual cost by vendor\n\s+VENDOR\s+PER YEAR\n\s+Acme, Inc\.\s+1,194\.00 EUR\n/);
    expect(r.stdout).toContain("One-off purchases, not in the annual totals: 500.00 GBP (LIC-PERP).");
    expect(r.stdout).toMatch(/4 licences: 1 expired, 1 renewal-due, 0 cancel-by, 0 expiring, 1 ok, 1 perpetual, 0 invalid \(today is 2026-06-30\)\.\n$/);
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour off a TTY
  });

  it("--format csv has a header and one row per licence, quoting commas and quotes and defusing formulas", async () => {
    const r = await cli(["licences", repo(LICENCES), "--today", TODAY, "--format", "csv"]);
    expect(r.status).toBe(0);
    const [header, ...rows] = parseCsv(r.stdout);
    expect(header).toEqual(["id", "product", "vendor", "vendor_name", "type", "expiry_date", "days_left", "status", "seats", "assigned", "over_allocated", "annual_cost_amount", "annual_cost_currency", "one_off_cost_amount", "one_off_cost_currency", "file"]);
    expect(rows).toHaveLength(4);
    expect(rows[2]).toEqual(["LIC-AUTO", 'Acme "Pro", Edition', "VEN-ACME", "Acme, Inc.", "subscription", "2027-01-31", "215", "ok", "10", "8", "false", "1194", "EUR", "", "", "licences/auto.yaml"]);
    expect(rows[0]!.slice(0, 8)).toEqual(["LIC-GONE", "Old", "", "", "subscription", "2026-01-31", "-150", "expired"]);
    expect(rows[1]![1]).toBe(`'=HYPERLINK("http://x")`);
    expect(rows[3]!.slice(11, 15)).toEqual(["", "", "500", "GBP"]);
  });

  describe("--format ics", () => {
    const ics = async (root: string) => (await cli(["licences", root, "--today", TODAY, "--format", "ics"])).stdout;
    const events = (text: string) => new ICAL.Component(ICAL.parse(text)).getAllSubcomponents("vevent");

    it("is a PUBLISH VCALENDAR with CRLF line endings and lines of at most 75 octets", async () => {
      const text = await ics(repo({ ...LICENCES, "licences/long.yaml": `id: LIC-LONG\nproduct: ${"Ünïcödé product name ".repeat(8)}\ntype: subscription\nowner: IT\nexpiry_date: 2026-12-31\n` }));
      expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
      expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      for (const line of text.split("\r\n")) expect(Buffer.byteLength(line, "utf8"), line).toBeLessThanOrEqual(75);
      const cal = new ICAL.Component(ICAL.parse(text));
      expect(cal.name).toBe("vcalendar");
      expect(cal.getFirstPropertyValue("version")).toBe("2.0");
      expect(cal.getFirstPropertyValue("prodid")).toMatch(/PolicyOps/);
      expect(cal.getFirstPropertyValue("calscale")).toBe("GREGORIAN");
      expect(cal.getFirstPropertyValue("method")).toBe("PUBLISH");
      expect(cal.getFirstPropertyValue("x-wr-calname")).toMatch(/Licence/);
      const long = events(text).find((e) => String(e.getFirstPropertyValue("uid")).startsWith("LIC-LONG-expiry"))!;
      expect(long.getFirstPropertyValue("summary")).toContain("Ünïcödé product name Ünïcödé"); // unfolds intact
    });

    it("has one all-day event per upcoming expiry, notice date and reminder, with stable unique UIDs", async () => {
      const root = repo(LICENCES);
      const first = await ics(root);
      const list = events(first);
      const byUid = new Map(list.map((e) => [String(e.getFirstPropertyValue("uid")), e]));
      expect([...byUid.keys()].sort()).toEqual([
        // LIC-AUTO expires 2027-01-31, notice 30 days, auto-renews; reminders 90, 30 (= notice: merged), 7
        "LIC-AUTO-expiry@policyops",
        "LIC-AUTO-notice@policyops",
        "LIC-AUTO-reminder-7d@policyops",
        "LIC-AUTO-reminder-90d@policyops",
        // LIC-MAN expires 2026-08-15: its notice date (2026-05-17) is past, reminders 60 (past) and 7
        "LIC-MAN-expiry@policyops",
        "LIC-MAN-reminder-7d@policyops",
      ]); // LIC-GONE expired and LIC-PERP has no dates: nothing upcoming
      expect(byUid.size).toBe(list.length);
      const again = events(await ics(root)).map((e) => String(e.getFirstPropertyValue("uid")));
      expect(again).toEqual(list.map((e) => String(e.getFirstPropertyValue("uid"))));

      // Renewing moves the events (same UIDs, new dates): a re-import updates, never duplicates.
      const renewedRoot = repo({ ...LICENCES, "licences/auto.yaml": (LICENCES as Record<string, string>)["licences/auto.yaml"]!.replace("expiry_date: 2027-01-31", "expiry_date: 2028-01-31") });
      const renewed = new Map(events(await ics(renewedRoot)).map((e) => [String(e.getFirstPropertyValue("uid")), e]));
      expect((renewed.get("LIC-AUTO-expiry@policyops")!.getFirstPropertyValue("dtstart") as ICAL.Time).toString()).toBe("2028-01-31");
      expect([...renewed.keys()].filter((k) => k.startsWith("LIC-AUTO")).sort()).toEqual([...byUid.keys()].filter((k) => k.startsWith("LIC-AUTO")).sort());

      const notice = byUid.get("LIC-AUTO-notice@policyops")!;
      const start = notice.getFirstPropertyValue("dtstart") as ICAL.Time;
      expect(start.isDate).toBe(true);
      expect(start.toString()).toBe("2027-01-01");
      expect((notice.getFirstPropertyValue("dtend") as ICAL.Time).toString()).toBe("2027-01-02");
      expect(notice.getFirstPropertyValue("summary")).toBe('Cancel by: Acme "Pro", Edition (auto-renews 2027-01-31)');
      expect(notice.getFirstPropertyValue("dtstamp")).toBeTruthy();
      const description = String(notice.getFirstPropertyValue("description"));
      for (const part of ['Acme "Pro", Edition', "Acme, Inc.", "Seats: 8 assigned of 10", "1,194.00 EUR", "licences/auto.yaml"]) expect(description).toContain(part);
      expect(notice.getFirstProperty("categories")!.getValues()).toEqual(["Licence", "Cancellation deadline"]);
      expect(byUid.get("LIC-MAN-expiry@policyops")!.getFirstPropertyValue("summary")).toMatch(/^Licence expires: /);
      expect(first).toMatch(/^DTSTART;VALUE=DATE:20270131\r$/m);
    });

    it("names the notice date 'Start renewal of' when the licence does not auto-renew", async () => {
      const text = await ics(repo({ "licences/a.yaml": "id: LIC-A\nproduct: Thing\ntype: subscription\nowner: IT\nexpiry_date: 2027-06-30\nauto_renew: false\n" }));
      const notice = events(text).find((e) => String(e.getFirstPropertyValue("uid")) === "LIC-A-notice@policyops")!;
      expect(notice.getFirstPropertyValue("summary")).toBe("Start renewal of Thing (expires 2027-06-30)");
    });
  });

  it.each([
    [["licences", "--within", "-1"], /within/],
    [["licences", "--within", "soon"], /within/],
    [["licences", "--format", "pdf"], /format/],
    [["licences", "/no/such/dir"], /does not exist/],
    [["licences", "--today", "2026-13-01"], /today/],
  ])("usage error %j exits 2", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stdout).toBe("");
  });
});

describe("policyops reviews", () => {
  const files = {
    "policies/a.md": policy("POL-001"), // last_reviewed 2026-03-01: due 2027-03-01
    "policies/b.md": policy("POL-002", "review_cycle_months: 3\n"), // due 2026-06-01: overdue
  };

  it("--format json lists the schedule and exits 0 despite an overdue review", async () => {
    const r = await cli(["reviews", repo(files), "--today", TODAY, "--format", "json"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { id: "POL-002", kind: "policy", title: "Policy POL-002", file: "policies/b.md", owner: "IT Director", status: "active", last_reviewed: "2026-03-01", next_review: "2026-06-01", days_until: -29, state: "overdue" },
      { id: "POL-001", kind: "policy", title: "Policy POL-001", file: "policies/a.md", owner: "IT Director", status: "active", last_reviewed: "2026-03-01", next_review: "2027-03-01", days_until: 244, state: "ok" },
    ]);
  });

  it("--format table, csv and ics", async () => {
    const root = repo(files);
    const table = (await cli(["reviews", root, "--today", TODAY])).stdout;
    expect(table).toMatch(/^ID\s+KIND\s+TITLE\s+OWNER\s+STATUS\s+LAST REVIEWED\s+NEXT REVIEW\s+DAYS\s+STATE\n/);
    expect(table).toMatch(/^POL-002\s+policy\s+Policy POL-002\s+IT Director\s+active\s+2026-03-01\s+2026-06-01\s+-29\s+overdue$/m);
    expect(table).toContain("2 documents: 1 overdue, 0 never, 0 due-soon, 1 ok, 0 not-active, 0 invalid (today is 2026-06-30).");
    const [header, ...rows] = parseCsv((await cli(["reviews", root, "--today", TODAY, "--format", "csv"])).stdout);
    expect(header).toEqual(["id", "kind", "title", "file", "owner", "status", "last_reviewed", "next_review", "days_until", "state"]);
    expect(rows.map((r) => [r[0], r[9]])).toEqual([["POL-002", "overdue"], ["POL-001", "ok"]]);
    const ics = (await cli(["reviews", root, "--today", TODAY, "--format", "ics"])).stdout;
    const vevents = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent");
    // The overdue review's date has passed: only the upcoming one is on the calendar.
    expect(vevents.map((e) => [e.getFirstPropertyValue("uid"), (e.getFirstPropertyValue("dtstart") as ICAL.Time).toString(), e.getFirstPropertyValue("summary")])).toEqual([
      ["POL-001-review@policyops", "2027-03-01", "Review due: Policy POL-001 (POL-001)"],
    ]);
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it("--within filters and a bad value exits 2", async () => {
    const rows = JSON.parse((await cli(["reviews", repo(files), "--today", TODAY, "--format", "json", "--within", "30"])).stdout);
    expect(rows.map((r: { id: string }) => r.id)).toEqual(["POL-002"]);
    expect((await cli(["reviews", "--within", "1.5"])).status).toBe(2);
    expect((await cli(["reviews", "--format", "md"])).status).toBe(2);
  });
});

describe("policyops compliance", () => {
  it("the template covers at least 80% of NIST CSF 2.0 (json, SPEC §3 shape)", async () => {
    const r = await cli(["compliance", TEMPLATE, "--framework", "NIST-CSF-2.0", "--format", "json", "--today", "2026-11-22"]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(1);
    expect(Object.keys(out[0])).toEqual(["framework", "coverage", "controls"]);
    expect(out[0].framework).toBe("NIST-CSF-2.0");
    expect(out[0].coverage).toBeGreaterThanOrEqual(0.8);
    expect(out[0].controls).toHaveLength(106);
    for (const c of out[0].controls) {
      // SPEC §3's keys, plus `findings` (open audit findings against the control) only where there are some.
      expect(Object.keys(c)).toEqual(c.findings ? ["id", "title", "status", "documents", "findings"] : ["id", "title", "status", "documents"]);
      expect(["covered", "stale", "draft", "missing", "not-applicable"]).toContain(c.status);
    }
    expect(out[0].controls.find((c: { id: string }) => c.id === "PR.AA-05").findings).toEqual([{ audit: "AUD-2026-01", id: "F1", severity: "minor", status: "in-progress", due: "2027-05-31", file: "audits/2026-access-management.md" }]);
    const na = out[0].controls.filter((c: { status: string }) => c.status === "not-applicable").map((c: { id: string }) => c.id);
    expect(na.sort()).toEqual(["ID.RA-08", "PR.PS-06"]);
    expect(r.stdout).not.toContain("reason");
  });

  const FIXTURE = {
    "policyops.yaml": 'frameworks: [NIST-CSF-2.0]\nnot_applicable:\n  - { control: "NIST-CSF-2.0:GV.SC-10", reason: "No supplier exit | in scope" }\n',
    "policies/a b.md": policy("POL-001", 'controls: ["NIST-CSF-2.0:GV.OC-01"]\n'),
    "policies/c.md": policy("POL-002", 'controls: ["NIST-CSF-2.0:GV.OC-02"]\n').replace("status: active", "status: draft"),
  };

  it("--format md is a Statement of Applicability with summary, linked documents and justifications", async () => {
    const r = await cli(["compliance", repo(FIXTURE), "--format", "md", "--today", TODAY]);
    expect(r.status).toBe(0);
    const md = r.stdout;
    expect(md).toMatch(/^# Statement of Applicability\n/);
    expect(md).toContain("Controls evaluated as of: 2026-06-30");
    expect(md).toMatch(/Generated: \d{4}-\d{2}-\d{2}T/);
    expect(md).toContain("## NIST Cybersecurity Framework 2.0 (NIST-CSF-2.0, version 2.0)");
    expect(md).toContain("**Coverage: 1.0%** (1 of 105 applicable controls covered; 1 not applicable; 106 in total).");
    expect(md).toMatch(/\| covered \| 1 \|\n\| stale \| 0 \|\n\| draft \| 1 \|\n\| missing \| 103 \|\n\| not-applicable \| 1 \|/);
    expect(md).toContain("| GV.OC-01 | The organizational mission is understood and informs cybersecurity risk management | covered | [POL-001](policies/a%20b.md) Policy POL-001 |  |");
    expect(md).toContain("| draft | [POL-002](policies/c.md) Policy POL-002 _(draft)_ |");
    expect(md).toMatch(/\| GV\.SC-10 \| .* \| not-applicable \| — \| No supplier exit \\\| in scope \|/);
    // Every table row has the same number of unescaped pipes.
    const rows = md.split("\n").filter((l) => l.startsWith("| GV.") || l.startsWith("| PR."));
    for (const row of rows) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(7);
  });

  it("--format table and csv", async () => {
    const root = repo(FIXTURE);
    const table = (await cli(["compliance", root, "--today", TODAY, "--all"])).stdout;
    expect(table.split("\n").slice(0, 2)).toEqual(["NIST-CSF-2.0: NIST Cybersecurity Framework 2.0 (version 2.0)", "Coverage 1.0%: 1 of 105 applicable controls covered (today is 2026-06-30)."]);
    expect(table).toMatch(/^GV\.SC-10\s+not-applicable\s+.*No supplier exit \| in scope$/m);
    expect(table).toMatch(/^GV\.OC-02\s+draft\s+.*POL-002\s+not yet active: POL-002 \(draft\)$/m);
    const [header, ...rows] = parseCsv((await cli(["compliance", root, "--today", TODAY, "--format", "csv"])).stdout);
    expect(header).toEqual(["framework", "control", "title", "status", "documents", "note"]);
    expect(rows).toHaveLength(106);
    expect(rows[0]).toEqual(["NIST-CSF-2.0", "GV.OC-01", "The organizational mission is understood and informs cybersecurity risk management", "covered", "POL-001", ""]);
  });

  it.each([
    [["compliance", TEMPLATE, "--framework", "ISO27001"], /unknown framework `ISO27001`; known frameworks: `NIST-CSF-2.0`/],
    [["compliance", TEMPLATE, "--format", "ics"], /format/],
    [["compliance", "/no/such/dir"], /does not exist/],
  ])("usage error %j exits 2", async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it("an invalid policyops.yaml exits 2 with file and line", async () => {
    const r = await cli(["compliance", repo({ "policyops.yaml": "frameworks: NIST\n" })]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/policyops\.yaml:1:\d+:/);
  });
});

describe("policyops licences: bad records are never shown as good", () => {
  const BAD = {
    "licences/ok.yaml": "id: LIC-OK\nproduct: Good\ntype: subscription\nowner: IT\nexpiry_date: 2027-06-30\ncost: { amount: 1000, currency: GBP, period: year }\n",
    "licences/nodate.yaml": "id: LIC-NODATE\nproduct: No date\ntype: subscription\nowner: IT\n",
    "licences/pound.yaml": "id: LIC-POUND\nproduct: Pound\ntype: subscription\nowner: IT\nexpiry_date: 2027-06-30\ncost: { amount: 50, currency: \"£\", period: year }\n",
    "licences/comma.yaml": "id: LIC-COMMA\nproduct: Comma\ntype: subscription\nowner: IT\nexpiry_date: 2027-06-30\ncost: { amount: \"9,900\", currency: GBP, period: month }\n",
    "licences/over.yaml": "id: LIC-OVER\nproduct: Crowded\ntype: subscription\nowner: IT\nexpiry_date: 2027-06-30\nseats: 25\nassigned: 31\ncost: { amount: 10, currency: GBP, period: year }\n",
    "licences/gone.yaml": "id: LIC-GONE\nproduct: Lapsed\ntype: subscription\nowner: IT\nexpiry_date: 2026-01-31\ncost: { amount: 7000, currency: GBP, period: year }\n",
    "licences/broken.yaml": "id: LIC-BROKEN\nproduct: [unclosed\n",
  };

  it("table: invalid status, over-allocation in the status column, expired and invalid out of the totals, and a line saying totals are incomplete", async () => {
    const r = await cli(["licences", repo(BAD), "--today", TODAY]);
    expect(r.status).toBe(0);
    const row = (id: string) => r.stdout.split("\n").find((l) => l.startsWith(id + " "))!;
    expect(row("LIC-NODATE")).toMatch(/\binvalid\b/);
    expect(row("LIC-NODATE")).not.toMatch(/perpetual/);
    expect(row("LIC-POUND")).toMatch(/\binvalid\b/);
    expect(row("LIC-COMMA")).toMatch(/\binvalid\b/);
    expect(row("LIC-OVER")).toMatch(/\bok, over-allocated\b/);
    // Only LIC-OK and LIC-OVER count: 1,010 GBP; no `£` row, no expired 7,000.
    expect(r.stdout).toMatch(/Annual cost by currency\n\s+CURRENCY\s+PER YEAR\s+LICENCES\n\s+GBP\s+1,010\.00\s+2\n\n/);
    expect(r.stdout.slice(r.stdout.indexOf("Annual cost by currency"))).not.toContain("£");
    expect(r.stdout).toContain("1 over-allocated");
    expect(r.stdout).toContain("4 licence records do not validate and are marked `invalid`, so totals are incomplete; run `policyops validate` and fix them.");
  });

  it("json, csv and ics: over_allocated and one_off_cost in the data, the invalid-records line on stderr (stdout stays parseable)", async () => {
    const root = repo(BAD);
    const json = await cli(["licences", root, "--today", TODAY, "--format", "json"]);
    const rows = JSON.parse(json.stdout) as { id: string; status: string; over_allocated: boolean }[];
    expect(Object.fromEntries(rows.map((x) => [x.id, [x.status, x.over_allocated]]))).toEqual({
      "LIC-GONE": ["expired", false], "LIC-OK": ["ok", false], "LIC-OVER": ["ok", true], "LIC-POUND": ["invalid", false], "LIC-COMMA": ["invalid", false], "LIC-NODATE": ["invalid", false],
    });
    const line = "policyops: 4 licence records do not validate and are marked `invalid`, so totals are incomplete; run `policyops validate` and fix them.\n";
    expect(json.stderr).toBe(line);
    const csv = await cli(["licences", root, "--today", TODAY, "--format", "csv"]);
    expect(csv.stderr).toBe(line);
    const [header, ...body] = parseCsv(csv.stdout);
    const over = body.find((c) => c[0] === "LIC-OVER")!;
    expect(over[header!.indexOf("over_allocated")]).toBe("true");
    expect((await cli(["licences", root, "--today", TODAY, "--format", "ics"])).stderr).toBe(line);
  });
});
