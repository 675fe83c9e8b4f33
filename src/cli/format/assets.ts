import type { WarrantyRow } from "../../engine/index.js";
import type { CalEvent } from "./ics.js";

/**
 * One event per in-use asset's warranty end (invalid records left out: never shown as
 * valid). The UID is the record's id and the event type (`AST-LAPTOPS-2026-warranty@policyops`),
 * so re-importing the feed after the date changes moves the event.
 */
export function warrantyEvents(rows: readonly WarrantyRow[]): CalEvent[] {
  return rows
    .filter((r) => r.valid)
    .map((r) => ({
      uid: `${r.id}-warranty@policyops`,
      date: r.warranty_end,
      summary: `Warranty ends: ${r.name}${r.quantity > 1 ? ` (${r.quantity} items)` : ""}`,
      description: [
        `${r.name} (${r.id})`,
        ...(r.type ? [`Type: ${r.type}${r.quantity > 1 ? `, batch of ${r.quantity}` : ""}`] : []),
        `Owner: ${r.owner ?? "-"}`,
        `Warranty ends on ${r.warranty_end}; extend the cover or plan the replacement.`,
        `Record: ${r.file}`,
      ].join("\n"),
      categories: ["Asset", "Warranty"],
    }));
}
