import { defineRule, type RuleContext } from "../../rule.js";
import { formatDay, parseDay } from "../../../dates.js";

export default defineRule({
  meta: {
    code: "date/order",
    severity: "error",
    description: "Require dates to follow each other in a possible order (approval before effect, start before expiry, nothing approved in the future).",
    messages: {
      before: "`{later}` ({laterValue}) is before `{earlier}` ({earlierValue}); correct one of the dates.",
      future: "`{field}` ({value}) is in the future (today is {today}); record the date it actually happened.",
    },
  },
  check(ctx) {
    const { doc, today, report } = ctx;
    const v = doc.values;
    const future = (field: string) => {
      const d = parseDay(v[field]);
      if (d !== null && d > today) report({ messageId: "future", at: `/${field}`, data: { field, value: String(v[field]), today: formatDay(today) } });
    };
    if (doc.kind === "policy" || doc.kind === "sop" || doc.kind === "manual") {
      future("approved_on");
      future("last_reviewed");
      pair(ctx, "approved_on", "effective_date");
    } else if (doc.kind === "licence") {
      pair(ctx, "start_date", "expiry_date");
    } else if (doc.kind === "vendor" && Array.isArray(v.contracts)) {
      v.contracts.forEach((c: unknown, i: number) => {
        if (c && typeof c === "object") pairIn(ctx, c as Record<string, unknown>, `/contracts/${i}`, "start", "end");
      });
    }
  },
});

/** Reports at the later field when it comes before the earlier one. */
function pair(ctx: RuleContext, earlier: string, later: string): void {
  pairIn(ctx, ctx.doc.values, "", earlier, later);
}

function pairIn(ctx: RuleContext, values: Record<string, unknown>, base: string, earlier: string, later: string): void {
  const a = parseDay(values[earlier]);
  const b = parseDay(values[later]);
  if (a === null || b === null || b >= a) return;
  const name = (f: string) => (base ? `${base.slice(1).replace(/\/(\d+)/g, "[$1]")}.${f}` : f);
  ctx.report({ messageId: "before", at: `${base}/${later}`, data: { later: name(later), laterValue: String(values[later]), earlier: name(earlier), earlierValue: String(values[earlier]) } });
}
