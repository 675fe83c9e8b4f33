import fc from "fast-check";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveRepoPath } from "../src/engine/model/paths.js";

/** The definition, with `posix.normalize` on every path (what the fast path for plain paths must equal). */
function reference(fromFile: string | null, target: string): string | null {
  const base = target.startsWith("/") || fromFile === null ? "" : posix.dirname(fromFile);
  const joined = posix.normalize(posix.join(base, target.replace(/^\/+/, "")));
  if (joined === ".." || joined.startsWith("../") || posix.isAbsolute(joined)) return null;
  return joined === "." ? "" : joined.replace(/\/+$/, "");
}

const segment = fc.constantFrom("a", "b.md", ".", "..", "", "...", "x y", ".hidden", "c..d");
const path = fc.array(segment, { minLength: 0, maxLength: 5 }).map((xs) => xs.join("/"));

describe("resolveRepoPath", () => {
  it("equals joining and normalizing with node:path, for plain and odd paths alike", () => {
    fc.assert(
      fc.property(fc.option(path, { nil: null }), path, (from, target) => {
        expect(resolveRepoPath(from, target)).toBe(reference(from, target));
      }),
      { numRuns: 20000 },
    );
    expect(resolveRepoPath("docs/guide/a.md", "Set-Mailbox.md")).toBe("docs/guide/Set-Mailbox.md");
    expect(resolveRepoPath("docs/a.md", "../../x.md")).toBeNull();
  });
});
