import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { REVIEW_WITHIN_DAYS, incidentReviewDue } from "../../../domain/incidents.js";

export default defineRule({
  meta: {
    code: "incident/review-overdue",
    severity: "warning",
    description: "Warn when a sev1 or sev2 incident was resolved more than 14 days ago and has not been reviewed.",
    appliesTo: { fields: ["severity", "resolved_at", "status"] },
    messages: {
      overdue:
        "The `{severity}` incident was resolved on `{resolved}` and its post-incident review was due by `{due}` ({days, plural, one {# day} other {# days}} later); hold the review, record its actions and set `status` to `reviewed`.",
    },
  },
  check({ doc, today, report }) {
    const review = incidentReviewDue(doc);
    if (!review || today <= review.due) return;
    report({
      messageId: "overdue",
      at: "/status",
      data: { severity: String(doc.values.severity), resolved: formatDay(review.resolved), due: formatDay(review.due), days: REVIEW_WITHIN_DAYS },
    });
  },
});
