/**
 * What a rule declares and what its findings carry (issue 13, part c): typed message ids
 * (checked by `npm run typecheck`, which compiles this file), plurals through
 * `Intl.PluralRules`, `meta.docs.url` stamped by the registry, a top-level `messageId` and
 * `docsUrl` on the engine's findings (kept out of SPEC §3's JSON, used as SARIF's
 * `helpUri`), and reports outside the file throwing under `strictReports`.
 */
import { describe, it, expect } from "vitest";
import { load, RULES, RULE_DOCS_BASE_URL, ruleDocsUrl, type Finding, type Rule } from "../src/engine/index.js";
import { defineRule, interpolate } from "../src/engine/rules/rule.js";
import { cli } from "./helpers/cli.js";
import { useTempRepos } from "./helpers/repo.js";

const TODAY = "2026-06-30";
const { repo } = useTempRepos("policyops-rule-api-");

const licence = (extra: string) =>
  `id: LIC-001\nproduct: Microsoft 365 E3\nowner: IT Procurement\ntype: subscription\nexpiry_date: 2027-06-30\n${extra}`;

const typedRule = defineRule({
  meta: {
    code: "test/typed",
    severity: "error",
    description: "Require nothing: a rule that exists only to be type-checked.",
    messages: { over: "Too many `{n}`; use fewer." },
  },
  check({ report }) {
    report({ messageId: "over", at: "/seats", data: { n: 1 } });
    // @ts-expect-error -- "ovr" is not a key of meta.messages: a typo in a message id does not compile
    report({ messageId: "ovr", at: "/seats" });
  },
});

describe("defineRule", () => {
  it("types report's messageId by meta.messages (a typo is a compile error, see the @ts-expect-error above)", () => {
    const ids: (keyof typeof typedRule.meta.messages)[] = ["over"];
    expect(Object.keys(typedRule.meta.messages)).toEqual(ids);
  });
});

describe("interpolate: placeholders and plurals", () => {
  const days = "Due {days, plural, =0 {today} one {in # day} other {in # days}}.";
  it("picks =N first, then the Intl.PluralRules category, then other; # is the number", () => {
    expect(interpolate(days, { days: 0 })).toBe("Due today.");
    expect(interpolate(days, { days: 1 })).toBe("Due in 1 day.");
    expect(interpolate(days, { days: 2 })).toBe("Due in 2 days.");
    expect(interpolate("{n, plural, one {# seat is} other {# seats are}} taken by `{who}`.", { n: 1, who: "Ann" })).toBe("1 seat is taken by `Ann`.");
    expect(interpolate("{n, plural, one {# seat is} other {# seats are}} taken.", { n: 0 })).toBe("0 seats are taken.");
  });

  it("fills placeholders inside a plural branch and never re-reads the data it inserted", () => {
    expect(interpolate("{n, plural, one {one `{what}`} other {# `{what}`s}}", { n: 3, what: "{x} #" })).toBe("3 `{x} #`s");
  });

  it("throws naming the rule for a missing value, a plural without other, or a non-number", () => {
    expect(() => interpolate("{days, plural, one {# day}}", { days: 2 }, "review/due-soon")).toThrow("rule review/due-soon: plural {days} has no `other` branch");
    expect(() => interpolate("In {days} days.", {}, "review/due-soon")).toThrow("rule review/due-soon: message placeholder {days} has no value");
    expect(() => interpolate("{days, plural, other {# days}}", { days: "two" }, "x/y")).toThrow("rule x/y: plural placeholder {days} needs a number, got `two`");
  });
});

describe("docs URLs", () => {
  it("the registry stamps meta.docs.url on every rule: its README under RULE_DOCS_BASE_URL", () => {
    for (const rule of RULES as readonly Rule[]) {
      expect(rule.meta.docs?.url, rule.meta.code).toBe(`${RULE_DOCS_BASE_URL}${rule.meta.code}/README.md`);
      expect(ruleDocsUrl(rule.meta.code)).toBe(rule.meta.docs?.url);
    }
    expect(ruleDocsUrl("licence/over-allocated")).toBe("https://github.com/policyops/policyops/blob/main/src/engine/rules/licence/over-allocated/README.md");
  });
});

describe("what a rule's finding carries", () => {
  it("engine findings have a top-level messageId and docsUrl, and data holds only the message's values", async () => {
    const root = repo({ "licences/m365.yaml": licence("seats: 0\nassigned: 1\n") });
    const ws = await load(root, { today: TODAY, git: false });
    const f = ws.findings().find((x) => x.code === "licence/over-allocated") as Finding;
    expect(f.message).toBe("1 seat is assigned but the licence provides none; buy 1 more seat or reclaim it.");
    expect(f.messageId).toBe("over");
    expect(f.docsUrl).toBe(ruleDocsUrl("licence/over-allocated"));
    expect(f.data).toEqual({ assigned: 1, seats: 0, extra: 1 });
  });

  it("validate --format json keeps SPEC §3's finding shape exactly (no messageId, docsUrl or data)", async () => {
    const root = repo({ "licences/m365.yaml": licence("seats: 250\nassigned: 251\n") });
    const r = await cli(["validate", root, "--format", "json", "--today", TODAY]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
    expect(out.findings.map((f) => Object.keys(f))).toEqual([["code", "severity", "message", "file", "line", "column", "endLine", "endColumn", "docId"]]);
    expect(out.findings[0]!.message).toBe("251 seats are assigned but the licence provides only 250; buy 1 more seat or reclaim it.");
  });

  it("SARIF's helpUri for a rule is the rule's docs URL", async () => {
    const root = repo({ "licences/m365.yaml": licence("seats: 250\nassigned: 251\n") });
    const r = await cli(["validate", root, "--format", "sarif", "--today", TODAY]);
    const sarif = JSON.parse(r.stdout) as { runs: { tool: { driver: { rules: { id: string; helpUri: string }[] } } }[] };
    const rule = sarif.runs[0]!.tool.driver.rules.find((d) => d.id === "licence/over-allocated");
    expect(rule?.helpUri).toBe(ruleDocsUrl("licence/over-allocated"));
  });
});

describe("reports outside the file", () => {
  /** Runs `load` with licence/over-allocated reporting `at` instead of its own range. */
  async function withReportAt(at: { line: number; column: number; endLine: number; endColumn: number }, strictReports: boolean): Promise<Finding[]> {
    const rule = RULES.find((r) => r.meta.code === "licence/over-allocated")!;
    const check = rule.check;
    rule.check = (ctx) => ctx.report({ messageId: "over", at, data: { assigned: 2, seats: 1, extra: 1 } });
    try {
      const root = repo({ "licences/m365.yaml": licence("seats: 1\nassigned: 2\n") });
      return (await load(root, { today: TODAY, git: false, strictReports }).then((ws) => ws.findings())).filter((f) => f.code === "licence/over-allocated");
    } finally {
      rule.check = check;
    }
  }

  it("throw under strictReports (as tests/rules.test.ts loads fixtures), naming the rule, the range and the file", async () => {
    await expect(withReportAt({ line: 40, column: 1, endLine: 40, endColumn: 5 }, true)).rejects.toThrow(
      "rule `licence/over-allocated` reported the range 40:1-40:5 (messageId `over`) outside `licences/m365.yaml`; the engine would have clamped it to 8:1-8:1, so fix the range the rule computes",
    );
    await expect(withReportAt({ line: 7, column: 1, endLine: 7, endColumn: 99 }, true)).rejects.toThrow("reported the range 7:1-7:99");
  });

  it("are clamped to the file without strictReports (the CLI, the editor)", async () => {
    const [f] = await withReportAt({ line: 40, column: 1, endLine: 40, endColumn: 5 }, false);
    expect(f).toMatchObject({ line: 8, column: 1, endLine: 8, endColumn: 1, messageId: "over" });
  });

  it("an in-range report passes under strictReports", async () => {
    const [f] = await withReportAt({ line: 7, column: 11, endLine: 7, endColumn: 12 }, true);
    expect(f).toMatchObject({ line: 7, column: 11, endLine: 7, endColumn: 12 });
  });
});
