import type { DocumentFacts } from "../model/types.js";
import { kindDef, type ReferenceField } from "../model/kinds.js";

export type { ReferenceField } from "../model/kinds.js";

export interface Reference {
  pointer: string;
  id: string;
  ref: ReferenceField;
}

/** Three rules read each document's references: work them out once per facts object. */
const referencesMemo = new WeakMap<DocumentFacts, readonly Reference[]>();

/** Every id a document references, with the pointer of the value that names it. */
export function references(doc: DocumentFacts): readonly Reference[] {
  let out = referencesMemo.get(doc);
  if (!out) referencesMemo.set(doc, (out = collectReferences(doc)));
  return out;
}

function collectReferences(doc: DocumentFacts): Reference[] {
  const out: Reference[] = [];
  for (const ref of kindDef(doc.kind)?.references ?? []) {
    const v = doc.values[ref.field];
    if (typeof v === "string") out.push({ pointer: `/${ref.field}`, id: v, ref });
    else if (Array.isArray(v)) v.forEach((item, i) => typeof item === "string" && out.push({ pointer: `/${ref.field}/${i}`, id: item, ref }));
  }
  for (const ref of kindDef(doc.kind)?.itemReferences ?? []) {
    const items = doc.values[ref.list!];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (!item || typeof item !== "object" || Array.isArray(item)) return;
      const v = (item as Record<string, unknown>)[ref.field];
      const base = `/${ref.list}/${i}/${ref.field}`;
      if (typeof v === "string") out.push({ pointer: base, id: v, ref });
      else if (Array.isArray(v)) v.forEach((id, j) => typeof id === "string" && out.push({ pointer: `${base}/${j}`, id, ref }));
    });
  }
  return out;
}
