import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "./helpers/repo.js";

const DIST = join(PROJECT, "dist");

/**
 * The files `file` loads before it runs: its static imports of sibling chunks, followed
 * to the end. `import("./x.js")` (a command loaded only when asked for) is not followed.
 */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(join(DIST, file), "utf8");
  for (const m of text.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w${},*\s]*?from\s*)?"\.\/([\w.-]+\.js)"/g)) staticClosure(m[1]!, seen);
  return seen;
}

/** Whether some file of `files` holds a function of that name (the build keeps names). */
const defines = (files: Iterable<string>, name: string) => [...files].some((f) => readFileSync(join(DIST, f), "utf8").includes(`"${name}"`));

describe("the CLI bundle loads only the command it runs", () => {
  const validateChunk = readdirSync(DIST).find((f) => /^cli-validate-[\w]+\.js$/.test(f));

  it("cli.js starts no command's code; validate's chunk brings the engine and its formats, not the site, calendars or reports", () => {
    expect(validateChunk, "dist/cli-validate-*.js (run `npm run build`)").toBeDefined();
    const main = staticClosure("cli.js");
    expect(defines(main, "validateCommand")).toBe(false);
    expect(defines(main, "buildSite")).toBe(false);
    const validate = staticClosure(validateChunk!);
    expect(defines(validate, "validateCommand")).toBe(true);
    expect(defines(validate, "formatJsonChunks")).toBe(true);
    expect(defines(validate, "resultOf")).toBe(true);
    // Code only other commands use: the site builder, iCalendar feeds.
    expect(defines(validate, "buildSite")).toBe(false);
    expect(defines(validate, "renderCalendar")).toBe(false);
    // …which the build does hold, in chunks of their own.
    const all = readdirSync(DIST).filter((f) => /^cli[\w.-]*\.js$/.test(f));
    expect(defines(all, "buildSite")).toBe(true);
    expect(defines(all, "renderCalendar")).toBe(true);
  });
});
