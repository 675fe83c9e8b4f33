import { defineRule, type RuleContext } from "../../rule.js";
import { formatDay, parseDay } from "../../../model/dates.js";
import { fieldValue, kindDef } from "../../../model/kinds.js";

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
    const def = kindDef(doc.kind);
    if (!def) return;
    // An approval or a review is something that happened: never in the future.
    if (def.traits.includes("approved")) future("approved_on");
    if (def.traits.includes("reviewed")) future("last_reviewed");
    // The schema's `x-policyops-after` pairs, in its own fields and in list items.
    for (const p of def.datePairs) for (const [base, values] of mappingsAt(v, p.base)) pairIn(ctx, values, base, p.earlier, p.later);
  },
});

/** The mappings a pointer pattern (`""`, `/contracts/*`) names in the values, with their concrete pointers. */
function mappingsAt(root: Record<string, unknown>, pattern: string): [string, Record<string, unknown>][] {
  let found: [string, unknown][] = [["", root]];
  for (const part of pattern.split("/").slice(1)) {
    const next: [string, unknown][] = [];
    for (const [at, node] of found) {
      if (part === "*") {
        if (Array.isArray(node)) node.forEach((item, i) => next.push([`${at}/${i}`, item]));
      } else if (node && typeof node === "object" && !Array.isArray(node)) next.push([`${at}/${part}`, (node as Record<string, unknown>)[part]]);
    }
    found = next;
  }
  return found.filter((f): f is [string, Record<string, unknown>] => !!f[1] && typeof f[1] === "object" && !Array.isArray(f[1]));
}

/**
 * `earlier` may name a field of a nested mapping with dots (`purchase.date`, for an asset's
 * `warranty_end`): it is read from the same mapping as `later`.
 */
function pairIn(ctx: RuleContext, values: Record<string, unknown>, base: string, earlier: string, later: string): void {
  const a = parseDay(fieldValue(values, earlier.split(".").join("/")));
  const b = parseDay(values[later]);
  if (a === null || b === null || b >= a) return;
  const name = (f: string) => (base ? `${base.slice(1).replace(/\/(\d+)/g, "[$1]")}.${f}` : f);
  ctx.report({ messageId: "before", at: `${base}/${later}`, data: { later: name(later), laterValue: String(values[later]), earlier: name(earlier), earlierValue: String(fieldValue(values, earlier.split(".").join("/"))) } });
}
