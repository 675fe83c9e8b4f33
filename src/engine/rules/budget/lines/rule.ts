import { defineRule } from "../../rule.js";
import { duplicateLines, fiscalYear, lineIdsOf, rollUp } from "../../../domain/budget.js";
import { formatDay } from "../../../model/dates.js";
import { closest } from "../../../model/suggestions.js";
import { BUDGET_FIELDS as BUDGET_APPLIES } from "../../../domain/budget.js";

const didYouMean = (near: string | undefined): string => (near ? ` (did you mean \`${near}\`?)` : "");

export default defineRule({
  meta: {
    code: "budget/lines",
    severity: "error",
    appliesTo: BUDGET_APPLIES,
    description: "Require a budget's line ids to be unique and each of its actuals to name one of its lines and fall in its fiscal year.",
    messages: {
      duplicate: "Line id `{id}` is used twice in this budget, so `{budget}/{id}` is ambiguous; give this line another id.",
      unknownLine: "This actual is booked to line `{line}`, but the budget has no such line{hint}; name one of its lines ({known}).",
      outsideYear: "This actual is dated `{date}`, outside fiscal year `{year}` (`{start}` to `{end}`), so it is not counted; correct the date or book it in the budget of its year.",
    },
  },
  check({ doc, report }) {
    for (const d of duplicateLines(doc)) report({ messageId: "duplicate", at: `/lines/${d.index}/id`, data: { id: d.id, budget: doc.id ?? "" } });
    const r = rollUp(doc, []);
    const fy = fiscalYear(doc);
    const actuals = Array.isArray(doc.values.actuals) ? doc.values.actuals : [];
    const ids = lineIdsOf(doc);
    for (const p of r?.actualProblems ?? []) {
      const a = actuals[p.index] as Record<string, unknown>;
      if (p.problem === "unknown-line") {
        if (typeof a.line !== "string") continue;
        report({ messageId: "unknownLine", at: `/actuals/${p.index}/line`, data: { line: a.line, hint: didYouMean(closest(a.line, ids)), known: [...new Set(ids)].map((i) => `\`${i}\``).join(", ") || "none yet" } });
      } else if (fy) {
        report({ messageId: "outsideYear", at: `/actuals/${p.index}/date`, data: { date: String(a.date), year: fy.label, start: formatDay(fy.start), end: formatDay(fy.end) } });
      }
    }
  },
});
