import { parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";

/**
 * Follow-up items (SPEC §1 `actions` trait): the `actions` list of any kind with the trait
 * (common.schema.json `$defs/action`) and the `findings` list of an audit-like record. One
 * place that `action/overdue` and the `actions` report both read, so they agree on what is
 * open and when it is due.
 */
export const ITEM_LISTS = ["actions", "findings"] as const;
export type ItemList = (typeof ITEM_LISTS)[number];

/** Statuses that leave an item open: an action's `open | in-progress`, a finding's `open | in-progress`. */
export const OPEN_ITEM_STATUSES: ReadonlySet<string> = new Set(["open", "in-progress"]);

export interface OpenItem {
  list: ItemList;
  index: number;
  /** JSON pointer of the item (`/actions/2`). */
  pointer: string;
  /** The finding's `id` (findings only). */
  itemId: string | null;
  /** An action's `description`, a finding's `title`. */
  text: string | null;
  owner: string | null;
  /** The `due` date, or null when absent or not a date (the schema reports it). */
  due: Day | null;
  status: string;
  /** A finding's `severity` (`major | minor | observation | improvement`). */
  severity: string | null;
  /** The item's `controls` (FRAMEWORK:CONTROL), where it lists them (audit findings). */
  controls: string[];
}

const strOf = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** The open items of a document's `actions` and `findings` lists, in list order. */
export function openItems(doc: DocumentFacts): OpenItem[] {
  const out: OpenItem[] = [];
  for (const list of ITEM_LISTS) {
    const items = doc.values[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, index) => {
      if (!item || typeof item !== "object" || Array.isArray(item)) return;
      const v = item as Record<string, unknown>;
      const status = v.status;
      if (typeof status !== "string" || !OPEN_ITEM_STATUSES.has(status)) return;
      out.push({
        list,
        index,
        pointer: `/${list}/${index}`,
        itemId: list === "findings" ? strOf(v.id) : null,
        text: strOf(list === "findings" ? v.title : v.description),
        owner: strOf(v.owner),
        due: parseDay(v.due),
        status,
        severity: list === "findings" ? strOf(v.severity) : null,
        controls: Array.isArray(v.controls) ? v.controls.filter((c): c is string => typeof c === "string") : [],
      });
    });
  }
  return out;
}
