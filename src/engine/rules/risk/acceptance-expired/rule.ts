import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { acceptanceOf } from "../../../domain/risks.js";

/** A risk acceptance lapses on its `expires` date (SPEC §2 `risk/acceptance-expired`). */
export default defineRule({
  meta: {
    code: "risk/acceptance-expired",
    severity: "warning",
    description: "Warn when the acceptance of a risk has expired.",
    appliesTo: { fields: ["acceptance"] },
    messages: {
      expired: "The acceptance of this risk by {by} expired on `{expires}` ({days, plural, one {# day ago} other {# days ago}}); review the risk and renew the acceptance with a new `expires` date, or treat the risk.",
    },
  },
  check({ doc, today, report }) {
    if (doc.values.status === "retired") return;
    const a = acceptanceOf(doc);
    if (!a || a.expires === null || today <= a.expires) return;
    report({ messageId: "expired", at: "/acceptance/expires", data: { by: a.by ?? "an unnamed approver", expires: formatDay(a.expires), days: today - a.expires } });
  },
});
