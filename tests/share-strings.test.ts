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

  it("a workspace loaded from disk has the same headings, anchors and link findings as each page parsed alone", async () => {
    const root = repo({ "manuals/m1.md": page(1), "manuals/m2.md": page(2), "manuals/b.md": "---\nid: MAN-009\n---\n\n## Here\n" });
    const ws = await load(root, { today: "2026-06-01", git: false });
    expect(ws.headings("manuals/m2.md")).toEqual(parseFile("manuals/m2.md", "manual", page(2)).facts.headings);
    expect(ws.findingsFor("manuals/m1.md").filter((f) => f.code === "link/broken").map((f) => f.message)).toEqual([expect.stringContaining("#nowhere")]);
  });
});
