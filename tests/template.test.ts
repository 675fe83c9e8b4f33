import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { load } from "../src/engine/index.js";
import { PROJECT, runCli } from "./helpers/repo.js";

const TEMPLATE = join(PROJECT, "policies-template");

describe("policies-template", () => {
  it("validates with no finding at all today and for the next three months", async () => {
    for (const today of ["2026-11-22", "2027-01-31", "2027-02-15"]) {
      const ws = await load(TEMPLATE, { today });
      expect(ws.findings(), today).toEqual([]);
    }
  });

  it("has at least one document of every kind", async () => {
    const ws = await load(TEMPLATE, { today: "2026-11-22" });
    const kinds = new Set(ws.documents().map((d) => d.kind));
    expect([...kinds].sort()).toEqual(["licence", "manual", "policy", "sop", "system", "vendor"]);
  });

  it("the README's main command works: validate exits 0", () => {
    const r = runCli(["validate", TEMPLATE, "--today", "2026-11-22"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/41 documents checked, no problems/);
  });
});
