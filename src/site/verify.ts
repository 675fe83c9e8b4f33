import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { SourceFile } from "../engine/index.js";
import { GENERATOR, MANIFEST, safeRel } from "./out-dir.js";
import type { SiteManifest } from "./build.js";

/** One difference between a built site and the repository (or the site's own files). */
export interface SiteDifference {
  file: string;
  where: "source" | "page" | "rebuild" | "commit";
  kind: "changed" | "missing" | "added";
  message: string;
}

/** Reads and checks a site's manifest.json; a string says what is wrong with it. */
export function readManifest(dir: string): SiteManifest | string {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST), "utf8");
  } catch {
    return `no \`${MANIFEST}\` in \`${dir}\``;
  }
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return `\`${MANIFEST}\` in \`${dir}\` is not JSON (${(e as Error).message})`;
  }
  const o = m as Partial<SiteManifest>;
  if (!o || typeof o !== "object" || o.generator !== GENERATOR || !Array.isArray(o.sources) || !Array.isArray(o.pages)) return `\`${MANIFEST}\` in \`${dir}\` is not a policyops site manifest`;
  return o as SiteManifest;
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Every file under `dir` (site-relative, `/`), symbolic links included as files. */
function siteFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...siteFiles(dir, r));
    else out.push(r);
  }
  return out;
}

/**
 * Compares a built site with a repository (SPEC §4): every source file's sha256 against the
 * manifest (changed, missing, added), and every file of the site against the hashes the
 * build recorded, so an edited page is caught as well as an edited source.
 */
export function verifySite(dir: string, manifest: SiteManifest, sources: readonly SourceFile[], root: string): SiteDifference[] {
  const diffs: SiteDifference[] = [];
  // The site's own folder inside the repository is not a source.
  const outRel = relative(root, dir).split(sep).join("/");
  const outInRoot = outRel !== "" && !outRel.startsWith("..");
  const now = new Map(sources.filter((s) => !(outInRoot && (s.file === outRel || s.file.startsWith(outRel + "/")))).map((s) => [s.file, s]));
  const then = new Map(manifest.sources.map((s) => [s.file, s]));
  for (const [file, s] of then) {
    const cur = now.get(file);
    if (!cur) diffs.push({ file, where: "source", kind: "missing", message: `source \`${file}\` is in the site's manifest but not in the repository; rebuild the site or restore the file` });
    else if (cur.sha256 !== s.sha256) diffs.push({ file, where: "source", kind: "changed", message: `source \`${file}\` changed since the site was built (sha256 \`${s.sha256 ?? "unreadable"}\` in the manifest, \`${cur.sha256 ?? "unreadable"}\` now); rebuild the site or restore the file` });
  }
  for (const file of now.keys()) if (!then.has(file)) diffs.push({ file, where: "source", kind: "added", message: `source \`${file}\` is in the repository but not in the site's manifest; rebuild the site` });
  const pages = new Map(manifest.pages.filter((p) => safeRel(p.file)).map((p) => [p.file, p]));
  for (const [file, p] of pages) {
    let bytes: Buffer;
    try {
      if (!lstatSync(join(dir, file)).isFile()) throw new Error("not a file");
      bytes = readFileSync(join(dir, file));
    } catch {
      diffs.push({ file, where: "page", kind: "missing", message: `site file \`${file}\` is missing; rebuild the site` });
      continue;
    }
    const h = sha(bytes);
    if (h !== p.sha256) diffs.push({ file, where: "page", kind: "changed", message: `site file \`${file}\` was edited after the build (sha256 \`${p.sha256}\` in the manifest, \`${h}\` now); rebuild the site` });
  }
  for (const file of siteFiles(dir)) if (file !== MANIFEST && !pages.has(file)) diffs.push({ file, where: "page", kind: "added", message: `site file \`${file}\` was not written by the build; remove it or rebuild the site` });
  return diffs;
}
