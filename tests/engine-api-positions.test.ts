import { describe, expect, it } from "vitest";
import { load, pointerAtText, schemaAt, schemaInfo } from "../src/engine/index.js";
import { policy, useTempRepos } from "./helpers/repo.js";

const today = "2026-06-01";
const { repo } = useTempRepos("policyops-api-pos-");

/** The position of the `n`th occurrence of `needle` in `text`, plus `shift` characters, as line/column. */
function at(text: string, needle: string, shift = 0): { line: number; column: number } {
  const offset = text.indexOf(needle) + shift;
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe("engine API: pointerAt works while the YAML does not parse", () => {
  // An unclosed flow sequence: the front matter does not parse (what an editor sees mid-typing).
  const broken = "---\nid: POL-001\ntitle: Access\nstatus: \ncontrols: [PR.AA-01, PR.AA-\nowner: IT\n---\n\n## Purpose\n";

  it("pointerAt inside a broken front matter gives the key, the value and the empty value after `status:`, with offsets and line/column", async () => {
    const root = repo({ "policies/a.md": broken });
    const ws = await load(root, { today, git: false });
    expect(ws.findingsFor("policies/a.md").map((f) => f.code)).toContain("parse/yaml");
    const onKey = ws.pointerAt("policies/a.md", at(broken, "title", 2));
    expect(onKey).toEqual({ pointer: "/title", inKey: true, container: "map", range: { line: 3, column: 1, endLine: 3, endColumn: 6, offset: broken.indexOf("title"), endOffset: broken.indexOf("title") + 5 } });
    const onValue = ws.pointerAt("policies/a.md", at(broken, "Access", 1));
    expect(onValue).toMatchObject({ pointer: "/title", inKey: false, container: "map", range: { line: 3, column: 8, endColumn: 14, offset: broken.indexOf("Access") } });
    expect(ws.pointerAt("policies/a.md", at(broken, "status: ", 8))).toEqual({ pointer: "/status", inKey: false, container: "map", range: null });
    expect(ws.pointerAt("policies/a.md", at(broken, "PR.AA-01", 3))).toMatchObject({ pointer: "/controls/0", inKey: false, container: "seq" });
    expect(ws.pointerAt("policies/a.md", { offset: broken.indexOf("## Purpose") })).toBeNull();
  });

  it("Workspace.positions of a document whose YAML does not parse gives ranges from the error-tolerant AST, with offsets", async () => {
    const root = repo({ "policies/a.md": broken });
    const ws = await load(root, { today, git: false });
    const ranges = ws.positions("policies/a.md")!.ranges;
    expect(ranges["/title"]).toEqual({ line: 3, column: 8, endLine: 3, endColumn: 14, offset: broken.indexOf("Access"), endOffset: broken.indexOf("Access") + 6 });
    expect(ranges["/owner#key"]).toMatchObject({ line: 6, column: 1, offset: broken.indexOf("owner") });
    expect(ranges["/controls/0"]).toMatchObject({ line: 5, column: 12 });
  });

  it("pointerAt on a blank line of a nested mapping is where a new key goes, by indentation", () => {
    const text = "id: LIC-001\ncost:\n  amount: 10\n  \nseats: 3\n";
    expect(pointerAtText(text, "yaml", { line: 4, column: 3 })).toMatchObject({ pointer: "/cost", inKey: true, container: "map", range: null });
    expect(pointerAtText(text, "yaml", { line: 4, column: 1 })).toMatchObject({ pointer: "", inKey: true, container: null });
    expect(pointerAtText("a: 1\nb: 2\n", "yaml", { line: 2, column: 1 })).toMatchObject({ pointer: "/b", inKey: true, range: { offset: 5, endOffset: 6 } });
    expect(pointerAtText("reminders:\n  - 90\n  - \n", "yaml", { line: 3, column: 5 })).toMatchObject({ pointer: "/reminders/1", inKey: false, container: "seq" });
  });

  it("pointerAt in a front matter that is never closed still finds the key being typed", () => {
    const text = "---\nid: POL-001\nstat";
    expect(pointerAtText(text, "markdown", { offset: text.length })).toMatchObject({ pointer: "/stat", inKey: true, container: "map" });
    const typing = "---\nid: POL-001\nowner: \n";
    expect(pointerAtText(typing, "markdown", { line: 3, column: 8 })).toEqual({ pointer: "/owner", inKey: false, container: "map", range: null });
  });
});

describe("engine API: schemaAt merges $ref, allOf and if/then", () => {
  it("schemaAt on a licence's expiry_date merges its own description, the $ref'd date type and the if/then example", () => {
    const info = schemaAt("licence", "/expiry_date")!;
    expect(info.type).toBe("string");
    expect(info.description).toMatch(/expiry|last day|valid/i);
    expect(info.examples).toContain("2026-12-31");
  });

  it("schemaAt gives an enum with its description, array items through $ref, and the config's defaults", () => {
    const type = schemaAt("licence", "/type")!;
    expect(type.enum).toEqual(["subscription", "perpetual", "support", "open-source"]);
    expect(type.description).toContain("licence model");
    expect(schemaAt("licence", "/seats")).toMatchObject({ type: "integer", examples: [250] });
    expect(schemaAt("policy", "/nope")).toBeUndefined();
    expect(schemaAt("no-such-kind", "/id")).toBeUndefined();
    expect(schemaAt("licence", "")!.properties).toContain("expiry_date");
  });

  it("schemaInfo merges allOf branches and local $defs, the nearest description winning and examples collected from all", () => {
    const root = {
      $defs: { day: { type: "string", description: "A day.", examples: ["2026-01-01"] } },
      type: "object",
      allOf: [{ properties: { due: { $ref: "#/$defs/day", examples: ["2026-02-02"] } } }, { properties: { due: { default: "2026-03-03" } } }],
      properties: { due: { description: "When it is due." } },
      if: { properties: { kind: { const: "x" } } },
      then: { properties: { due: { enum: ["2026-04-04"] } } },
    };
    expect(schemaInfo(root, "/due")).toEqual({ description: "When it is due.", type: "string", enum: ["2026-04-04"], default: "2026-03-03", examples: ["2026-02-02", "2026-01-01"] });
  });
});
