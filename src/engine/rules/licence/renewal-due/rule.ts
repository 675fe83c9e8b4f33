import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { licenceWindow, productOf } from "../../../domain/licences.js";

export default defineRule({
  meta: {
    code: "licence/renewal-due",
    severity: "warning",
    description: "Warn when a licence that does not renew automatically is inside its renewal notice period.",
    appliesTo: { fields: ["expiry_date", "auto_renew", "renewal_notice_days"] },
    messages: {
      renew: "Licence for `{product}` expires on `{expiry}` ({days, plural, =0 {today} one {in # day} other {in # days}}, inside its {notice}-day notice period); start the renewal now.",
    },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.state !== "renewal-due") return;
    report({
      messageId: "renew",
      at: "/expiry_date",
      data: { product: productOf(doc), expiry: formatDay(w.currentTermEnd), days: w.daysLeft, notice: w.noticeDays },
    });
  },
});
