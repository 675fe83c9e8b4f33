import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { licenceWindow, productOf } from "../../../domain/licences.js";

export default defineRule({
  meta: {
    code: "licence/renewed",
    severity: "info",
    description: "Announce auto-renewing licences past their recorded expiry date: they renewed by their terms and the record is out of date.",
    appliesTo: { fields: ["expiry_date", "auto_renew", "renewal_notice_days"] },
    messages: {
      renewed: "Licence for `{product}` renewed automatically on `{expiry}` by its terms (current term ends `{end}`); set `expiry_date` to `{end}` and update the cost and seats if they changed.",
    },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.renewals === 0) return;
    report({ messageId: "renewed", at: "/expiry_date", data: { product: productOf(doc), expiry: formatDay(w.recordedEnd), end: formatDay(w.currentTermEnd) } });
  },
});
