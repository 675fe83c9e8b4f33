import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import type { KindDef } from "../../../model/kinds.js";
import type { RelatedLocation } from "../../../model/types.js";
import { implementedChangesOf } from "../../../domain/changes.js";
import { nextReview, reviewPointer } from "../../../domain/reviews.js";

/** Kinds that document one system and are reviewed: a `system` reference and `last_reviewed` (built in: manual). */
const documentsASystem = (k: KindDef): boolean => k.fields.includes("last_reviewed") && k.references.some((r) => r.field === "system");

export default defineRule({
  meta: {
    code: "manual/outdated",
    severity: "warning",
    description: "Warn when a change was implemented on a manual's system, or named the manual, after the manual was last reviewed.",
    appliesTo: documentsASystem,
    messages: {
      outdated:
        "The manual was last reviewed on `{reviewed}` (`{baselineField}`) but {count, plural, one {# change} other {# changes}} to it or its system `{system}` {count, plural, one {was} other {were}} implemented since (latest `{change}` on `{implemented}`); review the manual against the change and update `last_reviewed`.",
    },
  },
  check({ doc, repo, config, report }) {
    if (doc.values.status === "retired" || !doc.id) return;
    const review = nextReview(doc, config);
    if (review === null || review === "never") return;
    const system = typeof doc.values.system === "string" ? doc.values.system : "";
    // Through the RepoView: an edit to any change re-checks this manual.
    const after = implementedChangesOf(repo, doc.id, system).filter((c) => c.implemented > review.baseline);
    const latest = after[after.length - 1];
    if (!latest) return;
    const related: RelatedLocation[] = [];
    for (const c of after) {
      const at = repo.rangeOf(c.doc, "/implemented_on");
      if (at) related.push({ file: c.doc.file, ...at, message: `\`${c.doc.id}\` was implemented on \`${formatDay(c.implemented)}\`.` });
    }
    report({
      messageId: "outdated",
      at: reviewPointer(doc),
      data: { reviewed: formatDay(review.baseline), baselineField: review.baselineField, count: after.length, system: system || "-", change: latest.doc.id ?? latest.doc.file, implemented: formatDay(latest.implemented) },
      related,
    });
  },
});
