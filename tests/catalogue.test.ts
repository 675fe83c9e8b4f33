import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_CATALOGUES, controlsFromOscal } from "../src/engine/index.js";
import { PROJECT } from "./helpers/repo.js";

describe("built-in NIST CSF 2.0 catalogue", () => {
  const csf = BUILTIN_CATALOGUES.get("NIST-CSF-2.0")!;

  it("has the 106 live subcategories titled with their official statements", () => {
    expect(csf.controls).toHaveLength(106);
    expect(csf.controls.find((c) => c.id === "PR.AA-01")!.title).toBe("Identities and credentials for authorized users, services, and hardware are managed by the organization");
    expect(csf.controls.some((c) => c.id === "ID.AM-06" || c.id.startsWith("PR.AC"))).toBe(false); // withdrawn
    for (const c of csf.controls) expect(c.title).not.toBe(c.id);
  });

  it("is exactly what the derivation script makes from NIST's OSCAL source", () => {
    const oscal = JSON.parse(readFileSync(join(PROJECT, "src/engine/domain/frameworks/catalogs/source/nist-csf-2.0-catalog.oscal.json"), "utf8"));
    expect(controlsFromOscal(oscal)).toEqual(csf.controls);
  });
});
