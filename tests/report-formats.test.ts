/**
 * Report and CI formats: invalid documents in the review and compliance reports, the
 * compliance summary and --all, terminal widths, TERM=dumb, and output that cannot be
 * forged (hostile file names and values in every format). Runs the built CLI.
 */
import ICAL from "ical.js";
import stringWidth from "string-width";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { colourFor, widthFor } from "../src/cli/io.js";
import { renderTable } from "../src/cli/format/table.js";
import { neutralise, safeJson } from "../src/cli/format/neutralise.js";
import { policy, runCli, useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos();
const TODAY = "2026-06-30";

describe("invalid is never valid: reviews and compliance", () => {
  const FILES = {
    "policyops.yaml": "frameworks: [NIST-CSF-2.0]\n",
    "policies/good.md": policy("POL-001", 'controls: ["NIST-CSF-2.0:GV.OC-01"]\n'),
    // Active, reviewed, mapped, but its front matter does not validate (an unknown key).
    "policies/bad.md": policy("POL-002", 'controls: ["NIST-CSF-2.0:GV.OC-02"]\nbogus: 1\n'),
    "manuals/m.md": "---\nid: MAN-001\ntitle: Manual\nversion: \"1.0\"\nstatus: active\nowner: IT\nsystem: SYS-001\napproved_by: IT\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\ncontrols: [\"NIST-CSF-2.0:GV.OC-03\"]\n---\n\n# Manual\n",
  };

  it("compliance: a policy whose front matter does not validate covers nothing, and the table says why", () => {
    const root = repo(FILES);
    const json = runCli(["compliance", root, "--today", TODAY, "--format", "json"]);
    const controls = (JSON.parse(json.stdout) as { controls: { id: string; status: string; documents: string[] }[] }[])[0]!.controls;
    const by = (id: string) => controls.find((c) => c.id === id)!;
    expect(by("GV.OC-01")).toMatchObject({ status: "covered", documents: ["POL-001"] });
    expect(by("GV.OC-02")).toMatchObject({ status: "missing", documents: ["POL-002"] });
    expect(json.stderr).toBe("policyops: 1 document record does not validate and is marked `invalid`, so totals are incomplete; run `policyops validate` and fix it.\n");
    const table = runCli(["compliance", root, "--today", TODAY]).stdout;
    expect(table).toMatch(/^GV\.OC-02\s+missing\s+.*POL-002\s+invalid, not counted: POL-002$/m);
    expect(table).toContain("1 document record does not validate");
    const md = runCli(["compliance", root, "--today", TODAY, "--format", "md"]).stdout;
    expect(md).toContain("_(front matter does not validate, not counted)_");
  });

  it("compliance note for a control only a manual maps to is a whole sentence", () => {
    const table = runCli(["compliance", repo(FILES), "--today", TODAY]).stdout;
    expect(table).toMatch(/^GV\.OC-03\s+missing\s+.*MAN-001\s+only manuals map to it; a policy or SOP must implement it$/m);
  });

  it("reviews: state `invalid` for a document that does not validate, and the line on stderr for json", () => {
    const root = repo(FILES);
    const r = runCli(["reviews", root, "--today", TODAY, "--format", "json"]);
    const rows = JSON.parse(r.stdout) as { id: string; state: string }[];
    expect(rows.find((x) => x.id === "POL-002")!.state).toBe("invalid");
    expect(rows.find((x) => x.id === "POL-001")!.state).toBe("ok");
    expect(r.stderr).toContain("1 document record does not validate");
    const table = runCli(["reviews", root, "--today", TODAY]).stdout;
    expect(table).toMatch(/^POL-002\s.*\binvalid$/m);
    expect(table).toContain("1 invalid (today is 2026-06-30).\n1 document record does not validate");
  });
});

describe("compliance table: a summary and the controls not covered, unless --all", () => {
  it("lists only stale, draft and missing controls by default and says how many there are in all", () => {
    const root = repo({
      "policyops.yaml": 'frameworks: [NIST-CSF-2.0]\nnot_applicable:\n  - { control: "NIST-CSF-2.0:GV.SC-10", reason: "n/a" }\n',
      "policies/a.md": policy("POL-001", 'controls: ["NIST-CSF-2.0:GV.OC-01"]\n'),
    });
    const table = runCli(["compliance", root, "--today", TODAY]).stdout;
    expect(table).toContain("Coverage 1.0%: 1 of 105 applicable controls covered (today is 2026-06-30).");
    expect(table).not.toMatch(/^GV\.OC-01\s/m);
    expect(table).not.toMatch(/^GV\.SC-10\s/m);
    expect(table).toMatch(/^GV\.OC-02\s+missing/m);
    expect(table).toContain("104 controls not covered (stale, draft or missing) shown; --all lists all 106.");
    const all = runCli(["compliance", root, "--today", TODAY, "--all"]).stdout;
    expect(all).toMatch(/^GV\.OC-01\s+covered/m);
    expect(all).toMatch(/^GV\.SC-10\s+not-applicable/m);
  });
});

describe("terminal tables fit the terminal", () => {
  it("measures wide characters in display columns (string-width), so columns line up", () => {
    const out = renderTable([{ header: "ID" }, { header: "NAME", max: 40 }, { header: "N", align: "right" }], [["A-1", "日本語のライセンス", "1"], ["A-2", "Office", "22"]], false);
    const lines = out.trimEnd().split("\n");
    expect(lines.map((l) => stringWidth(l))).toEqual([stringWidth(lines[0]!), stringWidth(lines[0]!), stringWidth(lines[0]!)]);
    expect(lines[1]).toBe("A-1  日本語のライセンス   1");
  });

  it("fits a width by cutting the widest text columns with an ellipsis, never mid-grapheme", () => {
    const rows = [["LIC-001", "A very long product name that goes on and on 😀😀😀", "Another long vendor name, Inc.", "ok"]];
    const cols = [{ header: "ID" }, { header: "PRODUCT", max: 60 }, { header: "VENDOR", max: 40 }, { header: "STATUS" }];
    const out = renderTable(cols, rows, false, 50);
    for (const line of out.trimEnd().split("\n")) expect(stringWidth(line)).toBeLessThanOrEqual(50);
    expect(out).toContain("LIC-001");
    expect(out).toMatch(/…/);
    expect(out).not.toContain("\uFFFD");
    expect(renderTable(cols, rows, false)).toContain("goes on and on 😀😀😀");
  });

  it("licences: COLUMNS sets the width off a TTY; without it only the columns' own caps apply", () => {
    const root = repo({ "licences/a.yaml": `id: LIC-001\nproduct: ${"Enterprise Suite ".repeat(4).trim()}\nowner: IT\ntype: subscription\nexpiry_date: 2027-06-30\n` });
    const narrow = runCli(["licences", root, "--today", TODAY], { env: { COLUMNS: "120" } }).stdout;
    for (const line of narrow.split("\n").slice(0, 2)) expect(stringWidth(line)).toBeLessThanOrEqual(120);
    expect(narrow).toMatch(/LIC-001  Enterprise Suite Enterprise ?…/);
    const wide = runCli(["licences", root, "--today", TODAY], { env: { COLUMNS: undefined } }).stdout;
    expect(wide).toContain("Enterprise Suite Enterprise Suite Enter…"); // only the column's own 40-column cap
  });

  it("width: the TTY's columns, else COLUMNS, else no limit; colour never with TERM=dumb or NO_COLOR", () => {
    expect(widthFor({ isTTY: true, columns: 120 }, { COLUMNS: "60" })).toBe(120);
    expect(widthFor({ isTTY: false }, { COLUMNS: "60" })).toBe(60);
    expect(widthFor({ isTTY: false }, { COLUMNS: "wide" })).toBeUndefined();
    expect(widthFor({ isTTY: false }, {})).toBeUndefined();
    expect(colourFor({ isTTY: true }, { TERM: "xterm-256color" })).toBe(true);
    expect(colourFor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
    expect(colourFor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colourFor({ isTTY: false }, {})).toBe(false);
  });
});

describe("output that cannot be forged", () => {
  // A file name with a newline that would forge a finding line, and values with escape
  // sequences (clear screen, window title), a bare CR, a bidi override and a lone surrogate.
  const FORGED = "licences/x\nlicences/fake.yaml:1:1 error All clear.yaml";
  const PRODUCT = "Evil\u001b[2J\u001b]0;pwned\u0007 \u202etxt.exe\r\u0085 \ud800 end";
  const files = () =>
    repo({
      [FORGED]: `id: LIC-001\nproduct: "${PRODUCT.replace(/[\u0000-\u001f\u0085\u202e\ud800]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"\nowner: IT\ntype: subscription\nexpiry_date: 2026-06-01\n`,
    });
  const ESC = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

  it("neutralise: visible escapes for controls, U+FFFD for lone surrogates", () => {
    expect(neutralise(PRODUCT)).toBe("Evil\\x1b[2J\\x1b]0;pwned\\x07 \\u202etxt.exe\\r\\x85 \uFFFD end");
    expect(neutralise("a\nb\tc", "\n")).toBe("a\nb\\tc");
  });

  it("safeJson: a lone surrogate anywhere (high, low, nested, at the end) becomes U+FFFD; a literal `\\ud800` in text and well-formed pairs stay as they are", () => {
    const replaced = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" ? x.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD") : x), 2);
    const cases: unknown[] = [
      { a: "plain", n: [1, { b: "x\ud800" }] },
      { a: ["\udfff tail"], b: "end \udbff" },
      { text: "a literal \\ud800 and \\uD800 in prose", pair: "\ud83d\ude00" },
      { text: "a literal \\ud800 beside a real \ud800" },
      ["\u202e\u0085 controls only"],
    ];
    for (const v of cases) expect(safeJson(v)).toBe(replaced(v).replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
    expect(safeJson({ b: "x\ud800" })).toContain("x\uFFFD");
    expect(safeJson({ t: "\\ud800" })).toBe('{\n  "t": "\\\\ud800"\n}');
  });

  it("text: one line per finding, no escape sequences, the newline in the file name shown as \\n", () => {
    const r = runCli(["validate", files(), "--today", TODAY, "--format", "text"]);
    expect(r.stdout).not.toMatch(ESC);
    expect(r.stdout).not.toMatch(/^licences\/fake\.yaml/m);
    expect(r.stdout).toContain("licences/x\\nlicences/fake.yaml:1:1 error All clear.yaml:5:14 error Licence for `Evil\\x1b[2J\\x1b]0;pwned\\x07 \\u202etxt.exe\\r\\x85 \uFFFD end` expired");
  });

  it("github: no raw control characters or second command", () => {
    const out = runCli(["validate", files(), "--today", TODAY, "--format", "github"]).stdout;
    expect(out).not.toMatch(ESC);
    expect(out.split("\n").filter((l) => l.startsWith("::"))).toHaveLength(1);
  });

  it("json and sarif: lone surrogates become U+FFFD (well-formed UTF-8); control characters stay JSON-escaped", () => {
    const root = files();
    for (const format of ["json", "sarif"]) {
      const out = runCli(["validate", root, "--today", TODAY, "--format", format]).stdout;
      expect(out, format).not.toMatch(/\\ud800/i);
      expect(out, format).not.toMatch(ESC);
      expect(out, format).toContain("\\u001b[2J");
      expect(JSON.stringify(JSON.parse(out)), format).toContain("\uFFFD end");
    }
    const lic = runCli(["licences", root, "--today", TODAY, "--format", "json"]).stdout;
    expect(lic).not.toMatch(/\\ud800/i);
  });

  it("junit: parses, and carries no control character XML cannot hold", () => {
    const out = runCli(["validate", files(), "--today", TODAY, "--format", "junit"]).stdout;
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).not.toMatch(ESC);
    expect(new XMLParser().parse(out)).toBeTruthy();
  });

  it("ics: no bare CR or other control characters in text fields, and it parses back", () => {
    const ics = runCli(["licences", files(), "--today", "2026-05-01", "--format", "ics"]).stdout;
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent");
    expect(events.length).toBeGreaterThan(0);
    expect(String(events[0]!.getFirstPropertyValue("summary"))).toContain("Evil\\x1b[2J");
  });

  it("csv: control characters neutralised, newlines kept inside quotes", () => {
    const out = runCli(["licences", files(), "--today", TODAY, "--format", "csv"]).stdout;
    expect(out).not.toMatch(ESC);
    expect(out).toContain("Evil\\x1b[2J");
  });

  it("table: the file name and product are neutralised", () => {
    const out = runCli(["licences", files(), "--today", TODAY]).stdout;
    expect(out).not.toMatch(ESC);
    expect(out).not.toContain("\r");
  });

  it("md: a `)` in a file name does not break the compliance report's links", () => {
    const root = repo({
      "policyops.yaml": "frameworks: [NIST-CSF-2.0]\n",
      "policies/a (draft) v2).md": policy("POL-001", 'controls: ["NIST-CSF-2.0:GV.OC-01"]\n'),
    });
    const md = runCli(["compliance", root, "--today", TODAY, "--format", "md"]).stdout;
    expect(md).toContain("[POL-001](policies/a%20%28draft%29%20v2%29.md)");
  });

  it("TERM=dumb gets no colour (checked through the same function the CLI uses)", () => {
    expect(colourFor({ isTTY: true }, { TERM: "dumb" })).toBe(false);
  });
});

describe("the calendar follows the renewal model", () => {
  it("licences --format ics: a licence that auto-renewed gives the new term's renewal and cancel-by dates, not the past ones", () => {
    const root = repo({ "licences/m365.yaml": "id: LIC-001\nproduct: Microsoft 365 E3\nowner: IT\ntype: subscription\nexpiry_date: 2025-08-31\nauto_renew: true\nreminders: []\n" });
    const ics = runCli(["licences", root, "--today", TODAY, "--format", "ics"]).stdout;
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.summary])).toEqual([
      ["LIC-001-notice@policyops", "2026-07-02", "Cancel by: Microsoft 365 E3 (auto-renews 2026-08-31)"],
      ["LIC-001-expiry@policyops", "2026-08-31", "Licence renews: Microsoft 365 E3"],
    ]);
  });
});
