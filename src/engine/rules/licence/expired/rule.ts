import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { licenceWindow, productOf } from "../../../domain/licences.js";

export default defineRule({
  meta: {
    code: "licence/expired",
    severity: "error",
    description: "Disallow licences past their expiry date that do not renew automatically.",
    appliesTo: { fields: ["expiry_date", "auto_renew", "renewal_notice_days"] },
    messages: { expired: "Licence for `{product}` expired on `{expiry}` ({days, plural, =0 {today} one {# day ago} other {# days ago}}); renew it and update `expiry_date`, or delete the record if it was deliberately not renewed." },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.state !== "expired") return;
    const days = -w.daysLeft;
    report({ messageId: "expired", at: "/expiry_date", data: { product: productOf(doc), expiry: formatDay(w.currentTermEnd), days } });
  },
});
