import csf from "./catalogs/nist-csf-2.0.json" with { type: "json" };
import type { CatalogControl } from "./oscal.js";

/** A control catalogue: built in, or read from `frameworks/*.yaml` in the repository. */
export interface Catalogue {
  id: string;
  title: string;
  version?: string;
  controls: CatalogControl[];
  /** Repo-relative file it came from, or null when built in. */
  file: string | null;
}

/** NIST CSF 2.0: the 106 live subcategories, derived from NIST's OSCAL catalogue (public domain). */
export const BUILTIN_CATALOGUES: ReadonlyMap<string, Catalogue> = new Map([
  [csf.id, { id: csf.id, title: csf.title, version: csf.version, controls: csf.controls as CatalogControl[], file: null }],
]);
