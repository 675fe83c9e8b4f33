/**
 * OSCAL catalogue → PolicyOps framework controls.
 *
 * Every OSCAL control at any depth is a control (NIST SP 800-53: AC-2 and its
 * enhancements AC-2(1) …), recorded with its parent control, except entries NIST marks
 * `status: withdrawn` (with everything under them) and entries OSCAL classes `category`
 * (CSF 2.0's GV.OC …), which only group the subcategories under them. A control whose
 * OSCAL title is only its id is titled with its statement prose (as in NIST's CSF 2.0).
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
  /** The enclosing control this one refines (an 800-53 enhancement's base control), when there is one. */
  parent?: string;
  /** Ids of the enclosing groups/controls, outermost first (e.g. `["GV", "GV.OC"]`). */
  path?: string[];
}

const isWithdrawn = (c: OscalControl): boolean =>
  Array.isArray(c.props) && c.props.some((p) => p?.name === "status" && p?.value === "withdrawn");

const statementOf = (c: OscalControl): string | undefined => {
  const prose = Array.isArray(c.parts) ? c.parts.find((p) => p?.name === "statement")?.prose : undefined;
  return typeof prose === "string" ? prose.trim() || undefined : undefined;
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Flattens an OSCAL catalogue to its live controls at any depth, in catalogue order.
 * Groups and `category` entries are never controls. A malformed catalogue (a control
 * without a usable id, a duplicate id, a list that is not a list) throws an Error whose
 * message names the JSON path and says what to fix.
 */
export function controlsFromOscal(doc: OscalCatalog): CatalogControl[] {
  const out: CatalogControl[] = [];
  const seen = new Map<string, string>();
  const list = (v: unknown, where: string): unknown[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) throw new Error(`\`${where}\` is not a list; fix the catalogue or export it again as OSCAL JSON`);
    return v;
  };
  const entry = (v: unknown, where: string): OscalControl => {
    if (!isObject(v)) throw new Error(`\`${where}\` is not an object; fix the catalogue or export it again as OSCAL JSON`);
    const id = v.id;
    if (typeof id !== "string" || !/^\S+$/.test(id)) throw new Error(`\`${where}\` has no usable \`id\` (${id === undefined ? "none" : `\`${JSON.stringify(id)}\``}); give every group and control an id without spaces`);
    if (v.title !== undefined && typeof v.title !== "string") throw new Error(`\`${where}.title\` of \`${id}\` is not text; fix the catalogue or export it again as OSCAL JSON`);
    return v as unknown as OscalControl;
  };
  const visitControl = (raw: unknown, where: string, path: string[], parent: string | undefined): void => {
    const c = entry(raw, where);
    if (isWithdrawn(c)) return;
    const isControl = c.class !== "category";
    if (isControl) {
      const first = seen.get(c.id);
      if (first) throw new Error(`control \`${c.id}\` appears twice (\`${first}\` and \`${where}\`); keep one of them`);
      seen.set(c.id, where);
      const title = c.title && c.title !== c.id ? c.title : statementOf(c) ?? c.id;
      out.push({ id: c.id, title, ...(parent ? { parent } : {}), path });
    }
    list(c.controls, `${where}.controls`).forEach((k, i) => visitControl(k, `${where}.controls[${i}]`, [...path, c.id], isControl ? c.id : parent));
  };
  const visitGroup = (raw: unknown, where: string, path: string[]): void => {
    const g = entry(raw, where) as OscalGroup;
    if (isWithdrawn(g)) return;
    list(g.groups, `${where}.groups`).forEach((sub, i) => visitGroup(sub, `${where}.groups[${i}]`, [...path, g.id]));
    list(g.controls, `${where}.controls`).forEach((c, i) => visitControl(c, `${where}.controls[${i}]`, [...path, g.id], undefined));
  };
  const root: unknown = isObject(doc) ? doc.catalog : undefined;
  if (!isObject(root)) throw new Error("not an OSCAL catalogue: no top-level `catalog` object");
  list(root.groups, "catalog.groups").forEach((g, i) => visitGroup(g, `catalog.groups[${i}]`, []));
  list(root.controls, "catalog.controls").forEach((c, i) => visitControl(c, `catalog.controls[${i}]`, [], undefined));
  return out;
}
