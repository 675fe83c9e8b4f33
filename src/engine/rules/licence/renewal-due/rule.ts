import { defineRule } from "../../rule.js";
import { formatDay } from "../../../dates.js";
import { licenceWindow, productOf } from "../../shared.js";

export default defineRule({
  meta: {
    code: "licence/renewal-due",
    severity: "warning",
    description: "Warn when a licence is inside its renewal notice period.",
    kinds: ["licence"],
    messages: {
      renew: "Licence for `{product}` expires on `{expiry}` (in {days} day{s}, inside its {notice}-day notice period); start the renewal now.",
      autoRenew: "Licence for `{product}` renews automatically on `{expiry}` (in {days} day{s}); its {notice}-day cancellation window is open, so cancel now if it should not renew.",
    },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.daysLeft < 0 || w.daysLeft > w.notice) return;
    report({
      messageId: doc.values.auto_renew === true ? "autoRenew" : "renew",
      at: "/expiry_date",
      data: { product: productOf(doc), expiry: formatDay(w.expiry), days: w.daysLeft, s: w.daysLeft === 1 ? "" : "s", notice: w.notice },
    });
  },
});
