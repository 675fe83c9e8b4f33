import { defineRule } from "../../rule.js";

export default defineRule({
  meta: {
    code: "licence/over-allocated",
    severity: "error",
    description: "Disallow assigning more seats than a licence provides.",
    appliesTo: { fields: ["seats", "assigned"] },
    messages: { over: "{assigned, plural, one {# seat is} other {# seats are}} assigned but the licence provides {seats, plural, =0 {none} other {only #}}; {extra, plural, one {buy # more seat or reclaim it} other {buy # more seats or reclaim them}}." },
  },
  check({ doc, report }) {
    const { seats, assigned } = doc.values;
    if (typeof seats !== "number" || typeof assigned !== "number" || assigned <= seats) return;
    const extra = assigned - seats;
    report({ messageId: "over", at: "/assigned", data: { assigned, seats, extra } });
  },
});
