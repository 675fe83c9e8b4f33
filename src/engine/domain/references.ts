import type { DocumentFacts } from "../model/types.js";
import { kindDef, type ReferenceField } from "../model/kinds.js";

export type { ReferenceField } from "../model/kinds.js";

export interface Reference {
  pointer: string;
  /** The id of the document referenced (for an item reference `BUD-2027/L3`, `BUD-2027`). */
  id: string;
  /** For an item reference (`ref.item` set): the part after the first `/` (`L3`), or null when the value has no `/`. */
  item?: string | null;
  /** The value as written. */
  value: string;
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

const escapeSegment = (k: string): string => k.replace(/~/g, "~0").replace(/\//g, "~1");

function collectReferences(doc: DocumentFacts): Reference[] {
  const out: Reference[] = [];
  for (const ref of kindDef(doc.kind)?.references ?? []) {
    // Inside a list, messages name the value as a reader finds it: `results[1].system`, not `results[].system`.
    const push = (value: string, pointer: string, label: string) => {
      const named = label === ref.field ? ref : { ...ref, field: label };
      if (!ref.item) return out.push({ pointer, id: value, value, ref: named });
      const slash = value.indexOf("/");
      out.push(slash < 0 ? { pointer, id: value, item: null, value, ref: named } : { pointer, id: value.slice(0, slash), item: value.slice(slash + 1), value, ref: named });
    };
    const walk = (v: unknown, depth: number, pointer: string, label: string) => {
      if (depth === ref.path.length) {
        if (typeof v === "string") push(v, pointer, label);
        else if (Array.isArray(v)) v.forEach((item, i) => typeof item === "string" && push(item, `${pointer}/${i}`, label));
        return;
      }
      const key = ref.path[depth]!;
      if (key === "*") {
        if (Array.isArray(v)) v.forEach((item, i) => walk(item, depth + 1, `${pointer}/${i}`, `${label}[${i}]`));
      } else if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.hasOwn(v, key)) {
        walk((v as Record<string, unknown>)[key], depth + 1, `${pointer}/${escapeSegment(key)}`, label ? `${label}.${key}` : key);
      }
    };
    walk(doc.values, 0, "", "");
  }
  return out;
}

/** The ids of the items of a target's `item` list (a budget's `lines`), in order; strings only. */
export function itemIds(target: DocumentFacts, item: string): string[] {
  const list = target.values[item];
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const it of list) {
    const id = it !== null && typeof it === "object" && !Array.isArray(it) ? (it as Record<string, unknown>).id : undefined;
    if (typeof id === "string") out.push(id);
  }
  return out;
}
