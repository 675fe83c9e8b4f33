import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { changeReviewDue } from "../../../domain/changes.js";

export default defineRule({
  meta: {
    code: "change/review-overdue",
    severity: "warning",
    description: "Require failed, backed-out and emergency changes to be closed by a post-implementation review within `changes.review_within_days`.",
    appliesTo: { fields: ["type", "status", "implemented_on", "review_due"] },
    messages: {
      overdue: "The `{status}` change's post-implementation review was due on `{due}` (`implemented_on` {implemented} + {days, plural, one {# day} other {# days}}); hold the review and set `status` to `closed`.",
      overdueSet: "The `{status}` change's post-implementation review was due on `{due}` (`review_due`); hold the review and set `status` to `closed`.",
    },
  },
  check({ doc, config, today, report }) {
    const review = changeReviewDue(doc, config);
    if (!review || today <= review.due) return;
    const status = String(doc.values.status);
    if (review.field === "review_due") return report({ messageId: "overdueSet", at: "/status", data: { status, due: formatDay(review.due) } });
    report({ messageId: "overdue", at: "/status", data: { status, due: formatDay(review.due), implemented: formatDay(review.base), days: config.changes.review_within_days } });
  },
});
