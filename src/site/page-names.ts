import { createHash } from "node:crypto";
import type { DocumentFacts, KindDef } from "../engine/index.js";

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;
/** Top-level page names the site itself uses: a kind's register never takes one. */
const RESERVED = new Set(["index", "compliance", "reviews", "actions", "registers", "search", "calendar", "manifest"]);

/** The page (`documents/<name>.html`) of each governed document: its id when it is a safe file name and free, else a hash of its path. */
export function documentPageNames(facts: readonly DocumentFacts[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const d of facts) {
    let name = d.id !== null && SAFE_NAME.test(d.id) && !used.has(d.id.toLowerCase()) ? d.id : `doc-${createHash("sha256").update(d.file).digest("hex").slice(0, 16)}`;
    used.add(name.toLowerCase());
    out.set(d.file, `documents/${name}.html`);
  }
  return out;
}

/** The register page of a kind: its folder's name (`licences.html`) unless the site uses that name. */
export function registerPageName(def: KindDef): string {
  const base = def.folder.replace(/[^A-Za-z0-9._-]+/g, "-");
  return SAFE_NAME.test(base) && !RESERVED.has(base.toLowerCase()) ? `${base}.html` : `register-${def.kind}.html`;
}
