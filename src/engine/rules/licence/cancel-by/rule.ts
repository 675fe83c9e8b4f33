import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { licenceWindow, productOf } from "../../../domain/licences.js";

export default defineRule({
  meta: {
    code: "licence/cancel-by",
    severity: "warning",
    description: "Warn when an auto-renewing licence nears its cancellation deadline (the current term's end minus the notice days).",
    appliesTo: { fields: ["expiry_date", "auto_renew", "renewal_notice_days"] },
    messages: {
      cancelBy: "Licence for `{product}` renews automatically on `{end}` unless cancelled by `{deadline}` ({days, plural, =0 {today} one {in # day} other {in # days}}, {notice}-day notice); cancel it by then if it should not renew.",
    },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.state !== "cancel-by") return;
    report({
      messageId: "cancelBy",
      at: "/expiry_date",
      data: { product: productOf(doc), end: formatDay(w.currentTermEnd), deadline: formatDay(w.deadline), days: w.daysToDeadline, notice: w.noticeDays },
    });
  },
});
