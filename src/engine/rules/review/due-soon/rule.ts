import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { isActive } from "../../../domain/status.js";
import { nextReview, reviewPointer } from "../../../domain/reviews.js";

export default defineRule({
  meta: {
    code: "review/due-soon",
    severity: "info",
    description: "Announce reviews that fall due within `reviews.due_soon_days`.",
    appliesTo: { trait: "reviewed" },
    messages: { soon: "Review is due on `{due}` ({days, plural, =0 {today} one {in # day} other {in # days}}); plan it and update `last_reviewed` when done." },
  },
  check({ doc, config, today, report }) {
    if (!isActive(doc)) return;
    const next = nextReview(doc, config);
    if (next === null || next === "never") return;
    const days = next.due - today;
    if (days < 0 || days > config.reviews.due_soon_days) return;
    report({ messageId: "soon", at: reviewPointer(doc), data: { due: formatDay(next.due), days } });
  },
});
