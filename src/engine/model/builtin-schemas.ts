/**
 * Every JSON Schema in /schemas, read from the folder when running from source; the build
 * (scripts/build.mjs) replaces this module with one that embeds them, so a bundle needs no
 * file system path at run time. Adding a schema file adds it here: nothing lists them.
 */
import { readdirSync, readFileSync } from "node:fs";

const dir = new URL("../../../schemas/", import.meta.url);
export const builtinSchemas: Record<string, unknown>[] = readdirSync(dir)
  .filter((f) => f.endsWith(".schema.json"))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")) as Record<string, unknown>);
