import { defineRule } from "../../rule.js";
import { formatDay } from "../../../dates.js";
import { licenceWindow, productOf } from "../../shared.js";

export default defineRule({
  meta: {
    code: "licence/expired",
    severity: "error",
    description: "Disallow licences past their expiry date.",
    kinds: ["licence"],
    messages: { expired: "Licence for `{product}` expired on `{expiry}` ({days} day{s} ago); renew it and update `expiry_date`, or retire the record." },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.daysLeft >= 0) return;
    const days = -w.daysLeft;
    report({ messageId: "expired", at: "/expiry_date", data: { product: productOf(doc), expiry: formatDay(w.expiry), days, s: days === 1 ? "" : "s" } });
  },
});
