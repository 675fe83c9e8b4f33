/**
 * Dates at the edges: years 0000–0099 (which `Date.UTC` reads as 1900–1999) and
 * 9999-12-31, the common "never", in the engine, the JSON report and the calendar.
 */
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { addMonths, formatDay, isFourDigitYear, parseDay } from "../src/engine/index.js";
import { runCli, useTempRepos } from "./helpers/repo.js";

/** Oracle: `setUTCFullYear` takes years literally, unlike `Date.UTC`. */
function oracleDay(y: number, m: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return Math.round(t.getTime() / 86_400_000);
}

describe("dates at the edges (src/engine/model/dates.ts)", () => {
  it.each([
    ["0000-01-01", 0, 1, 1], ["0000-02-29", 0, 2, 29], ["0050-01-01", 50, 1, 1], ["0099-12-31", 99, 12, 31], ["0100-03-01", 100, 3, 1],
    ["1900-02-28", 1900, 2, 28], ["1970-01-01", 1970, 1, 1], ["2000-02-29", 2000, 2, 29], ["9999-12-31", 9999, 12, 31],
  ] as const)("parseDay(%s) is that day, not 19xx, and formatDay writes it back", (s, y, m, d) => {
    expect(parseDay(s)).toBe(oracleDay(y, m, d));
    expect(formatDay(parseDay(s)!)).toBe(s);
  });

  it("rejects what is not a calendar date, at the edges too", () => {
    for (const s of ["0100-02-29", "1900-02-29", "9999-13-01", "0000-00-10", "10000-01-01", "+10000-01-01"]) expect(parseDay(s), s).toBeNull();
  });

  it("formatDay round-trips every 97th day from 0000 to 9999 against the oracle", () => {
    for (let day = parseDay("0000-01-01")!; day <= parseDay("9999-12-31")!; day += 97) {
      const t = new Date(day * 86_400_000);
      const iso = `${String(t.getUTCFullYear()).padStart(4, "0")}-${String(t.getUTCMonth() + 1).padStart(2, "0")}-${String(t.getUTCDate()).padStart(2, "0")}`;
      expect(formatDay(day)).toBe(iso);
      expect(parseDay(iso)).toBe(day);
    }
  });

  it("addMonths keeps years below 100 and clamps month ends there", () => {
    expect(formatDay(addMonths(parseDay("0050-01-31")!, 1))).toBe("0050-02-28");
    expect(formatDay(addMonths(parseDay("0099-12-31")!, 2))).toBe("0100-02-28");
    expect(formatDay(addMonths(parseDay("0048-01-31")!, 1))).toBe("0048-02-29");
    expect(formatDay(addMonths(parseDay("0001-01-31")!, -12))).toBe("0000-01-31");
  });

  it("past 9999-12-31 a date is written whole in ISO 8601's expanded form, never cut to `+010004-06`", () => {
    const never = parseDay("9999-12-31")!;
    expect(isFourDigitYear(never)).toBe(true);
    expect(isFourDigitYear(never + 1)).toBe(false);
    expect(formatDay(never + 1)).toBe("+10000-01-01");
    expect(formatDay(addMonths(never, 54))).toBe("+10004-06-30");
  });
});

const { repo } = useTempRepos();

describe("dates at the edges in the CLI (built: npm run build first)", () => {
  const FILES = {
    "licences/never.yaml": "id: LIC-NEVER\nproduct: Never ends\nowner: IT\ntype: subscription\nexpiry_date: 9999-12-31\nrenewal_notice_days: 0\nreminders: [0]\n",
    "licences/ancient.yaml": "id: LIC-OLD\nproduct: Ancient\nowner: IT\ntype: subscription\nexpiry_date: 0050-06-30\n",
  };

  it("licences --format json keeps 0050-06-30 and 9999-12-31 as written, with days counted across the centuries", () => {
    const rows = JSON.parse(runCli(["licences", repo(FILES), "--today", "2026-06-30", "--format", "json"]).stdout) as { id: string; expiry_date: string; days_left: number }[];
    expect(rows.map((r) => [r.id, r.expiry_date, r.days_left])).toEqual([
      ["LIC-OLD", "0050-06-30", parseDay("0050-06-30")! - parseDay("2026-06-30")!],
      ["LIC-NEVER", "9999-12-31", parseDay("9999-12-31")! - parseDay("2026-06-30")!],
    ]);
    expect(rows[0]!.days_left).toBe(-721719);
  });

  it("--today accepts a year below 100 as that year", () => {
    const rows = JSON.parse(runCli(["licences", repo(FILES), "--today", "0050-06-01", "--format", "json"]).stdout) as { id: string; days_left: number; status: string }[];
    expect(rows.find((r) => r.id === "LIC-OLD")).toMatchObject({ days_left: 29, status: "renewal-due" });
  });

  it("licences --format ics: an event on 9999-12-31 parses back with ical.js as one day on 9999-12-31, no broken DTEND", () => {
    const ics = runCli(["licences", repo(FILES), "--today", "2026-06-30", "--format", "ics"]).stdout;
    expect(ics).not.toMatch(/DTEND;VALUE=DATE:(?!\d{8}\r\n)/);
    const cal = new ICAL.Component(ICAL.parse(ics));
    const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const never = events.find((e) => e.uid === "LIC-NEVER-expiry@policyops")!;
    expect(never.startDate.toString()).toBe("9999-12-31");
    expect(never.startDate.isDate).toBe(true);
    expect(never.component.getFirstPropertyValue("dtend")).toBeNull();
    expect(never.duration.toSeconds()).toBe(86_400);
  });
});
