import { defineRule } from "../../rule.js";
import { formatCents, rollUp } from "../../../domain/budget.js";
import { validateKind } from "../../../facts/validator.js";
import { BUDGET_FIELDS as BUDGET_APPLIES } from "../../../domain/budget.js";

export default defineRule({
  meta: {
    code: "budget/overspend",
    severity: "warning",
    appliesTo: BUDGET_APPLIES,
    description: "Warn when a budget line's committed costs plus its actuals exceed its planned amount.",
    messages: {
      overspend: "Budget line `{line}` ({title}) has `{committed} {currency}` committed and `{actuals} {currency}` spent against `{planned} {currency}` planned for `{year}`, `{over} {currency}` over; raise `planned`, move costs to another line, or cut spending.",
    },
  },
  check({ doc, repo, report }) {
    if (!doc.id) return;
    // As the report: a record that does not validate is left out (its schema findings say why), so the two never disagree.
    const r = rollUp(doc, repo.referrers(doc.id).filter((d) => validateKind(d.kind, d.values).length === 0));
    if (!r) return;
    const currency = r.currency ?? "";
    for (const l of r.lines) {
      if (l.varianceCents >= 0) continue;
      report({
        messageId: "overspend",
        at: `/lines/${l.line.index}/planned`,
        data: {
          line: `${doc.id}/${l.line.id}`, title: l.line.title ?? l.line.id, currency, year: r.fy.label,
          committed: formatCents(l.committedCents), actuals: formatCents(l.actualsCents), planned: formatCents(l.line.plannedCents), over: formatCents(-l.varianceCents),
        },
      });
    }
  },
});
