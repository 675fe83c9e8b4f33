import { defineRule } from "../../rule.js";
import type { RelatedLocation } from "../../../model/types.js";

/**
 * A support contract promises `sla.resolution_hours`; each system it covers needs to be
 * back within its `rto_hours`. Checked on the contract (the rule runs per document and the
 * contract names the systems); the system's `rto_hours` is the related location.
 */
export default defineRule({
  meta: {
    code: "sla/gap",
    severity: "warning",
    description: "Warn when a support contract promises a resolution time longer than the recovery time objective of a system it covers.",
    appliesTo: { fields: ["sla", "systems", "type"] },
    messages: {
      gap: "Support contract promises resolution within {resolution, plural, one {# hour} other {# hours}} but system `{system}` must be recovered within {rto, plural, one {# hour} other {# hours}} (`rto_hours`); negotiate a shorter resolution time or plan recovery without the supplier.",
    },
  },
  check({ doc, repo, report }) {
    if (doc.values.type !== "support") return;
    const sla = doc.values.sla;
    const resolution = sla && typeof sla === "object" && !Array.isArray(sla) ? (sla as Record<string, unknown>).resolution_hours : undefined;
    const systems = doc.values.systems;
    if (typeof resolution !== "number" || !Array.isArray(systems)) return;
    systems.forEach((id, i) => {
      if (typeof id !== "string") return;
      // `document` (not `declarations`): the rule reads the system's values, so an edit of its rto_hours re-checks this contract.
      const system = repo.document(id);
      const rto = system?.values.rto_hours;
      if (!system || typeof rto !== "number" || resolution <= rto) return;
      const at = repo.rangeOf(system, "/rto_hours");
      const related: RelatedLocation[] = at ? [{ file: system.file, ...at, message: `\`${id}\` has \`rto_hours: ${rto}\` here.` }] : [];
      report({ messageId: "gap", at: `/systems/${i}`, data: { resolution, system: id, rto }, related });
    });
  },
});
