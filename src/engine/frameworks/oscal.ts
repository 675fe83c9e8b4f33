/**
 * OSCAL catalogue → PolicyOps framework controls.
 *
 * OSCAL nests controls (CSF: function group → category → subcategory). PolicyOps
 * references the leaves, so we flatten to the controls that have no live children,
 * skip entries NIST marks `status: withdrawn`, and title each control with its
 * statement prose when the OSCAL title is only the id (as in NIST's CSF 2.0 catalogue).
 */

export interface OscalPart { id?: string; name?: string; prose?: string; parts?: OscalPart[] }
export interface OscalProp { name: string; value: string; ns?: string }
export interface OscalControl {
  id: string;
  class?: string;
  title?: string;
  props?: OscalProp[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}
export interface OscalGroup extends OscalControl { groups?: OscalGroup[] }
export interface OscalCatalog {
  catalog: { uuid?: string; metadata?: { title?: string; version?: string }; groups?: OscalGroup[]; controls?: OscalControl[] };
}

export interface CatalogControl {
  id: string;
  title: string;
  /** Ids of the enclosing groups/controls, outermost first (e.g. `["GV", "GV.OC"]`). */
  path?: string[];
}

const isWithdrawn = (c: OscalControl): boolean =>
  (c.props ?? []).some((p) => p.name === "status" && p.value === "withdrawn");

const statementOf = (c: OscalControl): string | undefined =>
  c.parts?.find((p) => p.name === "statement")?.prose?.trim() || undefined;

/** Flattens an OSCAL catalogue to its live leaf controls, in catalogue order. Groups are never controls. */
export function controlsFromOscal(doc: OscalCatalog): CatalogControl[] {
  const out: CatalogControl[] = [];
  const visitControl = (c: OscalControl, path: string[]): void => {
    if (isWithdrawn(c)) return;
    const live = (c.controls ?? []).filter((k) => !isWithdrawn(k));
    if (live.length === 0) {
      const title = c.title && c.title !== c.id ? c.title : statementOf(c) ?? c.id;
      out.push({ id: c.id, title, path });
      return;
    }
    for (const k of live) visitControl(k, [...path, c.id]);
  };
  const visitGroup = (g: OscalGroup, path: string[]): void => {
    if (isWithdrawn(g)) return;
    for (const sub of g.groups ?? []) visitGroup(sub, [...path, g.id]);
    for (const c of g.controls ?? []) visitControl(c, [...path, g.id]);
  };
  const root = doc?.catalog;
  if (!root || typeof root !== "object") throw new Error("not an OSCAL catalogue: no top-level `catalog` object");
  for (const g of root.groups ?? []) visitGroup(g, []);
  for (const c of root.controls ?? []) visitControl(c, []);
  return out;
}
