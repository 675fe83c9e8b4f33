import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError, type Workspace } from "../engine/index.js";
import { buildSite, type SiteManifest } from "./build.js";
import type { SiteDifference } from "./verify.js";

/** PDFs carry Chromium's own creation dates: a rebuild cannot reproduce them byte for byte, so they are checked against the manifest only. */
const NOT_REBUILT = /^pdf\//;

/**
 * `verify-site --rebuild`: builds the site again from the repository, as of the manifest's
 * `today` and `built` and with its options, into a temporary folder, and compares every file
 * with the hashes the manifest lists. The hash check alone trusts the manifest; a page edited
 * together with its hash in the manifest is caught only here. Needs the same policyops
 * version (the pages are its output) and the manifest's commit checked out.
 */
export async function rebuildDifferences(dir: string, manifest: SiteManifest, ws: Workspace, version: string): Promise<SiteDifference[]> {
  if (manifest.tool?.version !== version) throw new UsageError(`the site was built by policyops ${manifest.tool?.version ?? "(unknown version)"} and this is ${version}: \`--rebuild\` compares a build byte for byte, so run it with the version that built the site`);
  const head = ws.git?.head ?? null;
  if (head !== manifest.commit) {
    return [{ file: "manifest.json", where: "commit", kind: "changed", message: `the site was built from commit \`${manifest.commit ?? "none (not a git repository)"}\` and the repository is at \`${head ?? "none (not a git repository)"}\`; check that commit out and verify again` }];
  }
  const tmp = mkdtempSync(join(tmpdir(), "policyops-verify-"));
  try {
    const rebuilt = await buildSite(ws, { out: tmp, shownOut: tmp, siteFolder: dir, toolVersion: version, emails: manifest.emails === true, now: new Date(manifest.built) });
    const listed = new Map(manifest.pages.filter((p) => !NOT_REBUILT.test(p.file)).map((p) => [p.file, p]));
    const made = new Map(rebuilt.manifest.pages.map((p) => [p.file, p]));
    const diffs: SiteDifference[] = [];
    const from = `policyops ${version} builds from commit \`${(head ?? "none").slice(0, 12)}\``;
    for (const [file, p] of listed) {
      const r = made.get(file);
      if (!r) diffs.push({ file, where: "rebuild", kind: "added", message: `site file \`${file}\` is listed in the manifest, but what ${from} has no such file` });
      else if (r.sha256 !== p.sha256) diffs.push({ file, where: "rebuild", kind: "changed", message: `site file \`${file}\` is not what ${from} (sha256 \`${p.sha256}\` in the manifest, \`${r.sha256}\` rebuilt): the site or its manifest was altered` });
    }
    for (const file of made.keys()) if (!listed.has(file)) diffs.push({ file, where: "rebuild", kind: "missing", message: `what ${from} has \`${file}\`, which the site's manifest does not list: the site or its manifest was altered` });
    return diffs;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
