import { describe, expect, it } from "vitest";
import { load, parseFile } from "../src/engine/index.js";
import { shareStrings } from "../src/engine/facts/share-strings.js";
import { useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-share-");
const page = (n: number) => `---\nid: MAN-00${n}\n---\n\n## SYNOPSIS\n\nSee [syntax](https://learn.microsoft.com/powershell/exchange/exchange-cmdlet-syntax) and [b](b.md#nowhere).\n\n## PARAMETERS ${n}\n`;

describe("one copy of each repeated heading and link string per parse (issue 14)", () => {
  it("keeps every heading, slug and destination as it was", () => {
    const results = [1, 2, 3].map((n) => parseFile(`manuals/m${n}.md`, "manual", page(n)));
    const before = JSON.parse(JSON.stringify(results.map((r) => [r.facts.headings, r.facts.links])));
    shareStrings(results);
    expect(results.map((r) => [r.facts.headings, r.facts.links])).toEqual(before);
    expect(results[2]!.facts.headings!.map((h) => h.slug)).toEqual(["synopsis", "parameters-3"]);
  });

  it("leaves every finding and front-matter value as it was, Dates, typed arrays and cycles included", () => {
    const fm = "---\nid: MAN-001\nModule Name: ExchangePowerShell\nwhen: 2026-01-31\nlist: &a [x, {k: ExchangePowerShell}]\nagain: *a\n---\n\n## SYNOPSIS\n";
    const results = [1, 2].map((n) => parseFile(`manuals/m${n}.md`, "manual", fm.replace("MAN-001", `MAN-00${n}`)));
    const cyclic: unknown[] = ["ExchangePowerShell"];
    cyclic.push(cyclic);
    results[1]!.facts.values.cyclic = cyclic;
    // Values are JSON today; a Date or typed array a later parser might give must come through whole.
    results[0]!.facts.values.when = new Date(Date.UTC(2026, 0, 31));
    results[0]!.facts.values.bytes = new Uint16Array([1, 2]);
    results[0]!.findings.push({ ...results[0]!.findings[0]!, data: { nested: [{ actual: "ExchangePowerShell" }] }, related: [{ file: "manuals/m2.md", line: 1, column: 1, endLine: 1, endColumn: 2, message: "here" }] });
    const before = structuredClone(results);
    expect(results[0]!.findings.length).toBeGreaterThan(1);
    shareStrings(results, new Map([["ExchangePowerShell", "ExchangePowerShell"]]));
    expect(results).toEqual(before);
    expect(results[0]!.facts.values.when).toBeInstanceOf(Date);
    expect(results[0]!.facts.values.bytes).toBeInstanceOf(Uint16Array);
    expect(results[0]!.facts.values["Module Name"]).toBe("ExchangePowerShell");
    expect((results[1]!.facts.values.cyclic as unknown[])[1]).toBe(cyclic);
  });

  it("a workspace loaded from disk has the same headings, anchors and link findings as each page parsed alone", async () => {
    const root = repo({ "manuals/m1.md": page(1), "manuals/m2.md": page(2), "manuals/b.md": "---\nid: MAN-009\n---\n\n## Here\n" });
    const ws = await load(root, { today: "2026-06-01", git: false });
    expect(ws.headings("manuals/m2.md")).toEqual(parseFile("manuals/m2.md", "manual", page(2)).facts.headings);
    expect(ws.findingsFor("manuals/m1.md").filter((f) => f.code === "link/broken").map((f) => f.message)).toEqual([expect.stringContaining("#nowhere")]);
  });
});
