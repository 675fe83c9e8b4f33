import { defineRule } from "../../rule.js";
import { budgetCurrency, costsOf } from "../../../domain/budget.js";
import { kindDef } from "../../../model/kinds.js";
import type { RelatedLocation } from "../../../model/types.js";

export default defineRule({
  meta: {
    code: "budget/currency",
    severity: "warning",
    // Kinds with a cost beside a budget-line reference (`x-policyops-ref-item`), by annotation, never by name.
    appliesTo: (def) => def.references.some((r) => r.item !== undefined),
    description: "Warn when a cost names a budget line of a budget kept in another currency (the roll-up never adds it).",
    messages: {
      currency: "This cost is in `{currency}` but `{line}` belongs to budget `{budget}`, kept in `{budgetCurrency}`, so `policyops budget` leaves it out; record the cost in `{budgetCurrency}` or pay it from a line of a `{currency}` budget.",
    },
  },
  check({ doc, repo, report }) {
    for (const cost of costsOf(doc)) {
      if (cost.budget === null || cost.currency === null) continue;
      const budget = repo.declarations(cost.budget)[0];
      if (!budget || !kindDef(budget.kind)?.fields.includes("currency")) continue;
      const expected = budgetCurrency(budget);
      if (expected === null || expected === cost.currency) continue;
      const at = repo.rangeOf(budget, "/currency");
      const related: RelatedLocation[] = at ? [{ file: budget.file, ...at, message: `\`${cost.budget}\` is kept in \`${expected}\` here.` }] : [];
      report({ messageId: "currency", at: `${cost.costPointer}/currency`, data: { currency: cost.currency, line: cost.line ?? "", budget: cost.budget, budgetCurrency: expected }, related });
    }
  },
});
