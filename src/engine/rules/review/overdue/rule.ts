import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { isActive } from "../../../domain/status.js";
import { nextReview, reviewPointer } from "../../../domain/reviews.js";

export default defineRule({
  meta: {
    code: "review/overdue",
    severity: "warning",
    description: "Require active documents to be reviewed within their review cycle.",
    appliesTo: { trait: "reviewed" },
    messages: {
      overdue: "Review was due on `{due}` (`{baselineField}` {baseline} + {months, plural, one {# month} other {# months}}); review the document and update `last_reviewed`.",
      never: "The document is active but has neither `last_reviewed` nor `approved_on`, so it counts as overdue; review it and record `last_reviewed`.",
    },
  },
  check({ doc, config, today, report }) {
    if (!isActive(doc)) return;
    const next = nextReview(doc, config);
    if (next === "never") return report({ messageId: "never", at: reviewPointer(doc) });
    if (next === null || today <= next.due) return;
    report({
      messageId: "overdue",
      at: reviewPointer(doc),
      data: { due: formatDay(next.due), baselineField: next.baselineField, baseline: formatDay(next.baseline), months: next.months },
    });
  },
});
