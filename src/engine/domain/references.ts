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
    const nested = ref.field.split("/*/");
    if (nested.length === 2) {
      const list = doc.values[nested[0]!];
      if (!Array.isArray(list)) continue;
      list.forEach((item, i) => {
        const id = item && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>)[nested[1]!] : undefined;
        // Messages name the value as a reader writes it: `results[1].system`.
        if (typeof id === "string") out.push({ pointer: `/${nested[0]}/${i}/${nested[1]}`, id, ref: { ...ref, field: `${nested[0]}[${i}].${nested[1]}` } });
      });
      continue;
    }
    const v = doc.values[ref.field];
    if (typeof v === "string") out.push({ pointer: `/${ref.field}`, id: v, ref });
    else if (Array.isArray(v)) v.forEach((item, i) => typeof item === "string" && out.push({ pointer: `/${ref.field}/${i}`, id: item, ref }));
  }
  return out;
}
