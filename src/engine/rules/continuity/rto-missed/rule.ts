import { defineRule } from "../../rule.js";
import type { RelatedLocation } from "../../../model/types.js";
import { recordsDrTests } from "../../../domain/continuity.js";

export default defineRule({
  meta: {
    code: "continuity/rto-missed",
    severity: "warning",
    description: "Warn when a DR test achieved a recovery time or recovery point above the system's `rto_hours` or `rpo_hours`.",
    appliesTo: recordsDrTests,
    messages: {
      rto: "System `{system}` was recovered in {achieved, plural, one {# hour} other {# hours}}, above its recovery time objective of {objective, plural, one {# hour} other {# hours}} (`rto_hours`); fix what slowed the recovery and test again, or agree a new objective with the business.",
      rpo: "The data restored for system `{system}` was {achieved, plural, one {# hour} other {# hours}} old, above its recovery point objective of {objective, plural, one {# hour} other {# hours}} (`rpo_hours`); back it up more often and test again, or agree a new objective with the business.",
    },
  },
  check({ doc, repo, report }) {
    const results = doc.values.results;
    if (!Array.isArray(results)) return;
    results.forEach((item, i) => {
      if (!item || typeof item !== "object" || Array.isArray(item)) return;
      const r = item as Record<string, unknown>;
      if (typeof r.system !== "string") return;
      // The system's objectives are values of another document: `document` re-checks this test when they change.
      const system = repo.document(r.system);
      if (!system) return;
      for (const [messageId, achievedField, objectiveField] of [["rto", "rto_achieved_hours", "rto_hours"], ["rpo", "rpo_achieved_hours", "rpo_hours"]] as const) {
        const achieved = r[achievedField];
        const objective = system.values[objectiveField];
        if (typeof achieved !== "number" || typeof objective !== "number" || achieved <= objective) continue;
        const at = repo.rangeOf(system, `/${objectiveField}`);
        const related: RelatedLocation[] = at ? [{ file: system.file, ...at, message: `\`${r.system}\` has \`${objectiveField}: ${objective}\` here.` }] : [];
        report({ messageId, at: `/results/${i}`, data: { system: r.system, achieved, objective }, related });
      }
    });
  },
});
