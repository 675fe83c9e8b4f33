import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { renewalStatus } from "../../../domain/renewal.js";
import { licenceWindow, productOf } from "../../../domain/licences.js";

export default defineRule({
  meta: {
    code: "licence/expiring",
    severity: "info",
    description: "Announce licences that expire, or reach their cancellation deadline, within `licences.horizon_days`, before their notice period.",
    appliesTo: { fields: ["expiry_date", "auto_renew", "renewal_notice_days"] },
    messages: {
      expiring: "Licence for `{product}` expires on `{expiry}` ({days, plural, =0 {today} one {in # day} other {in # days}}); its {notice}-day notice period starts on `{noticeDate}`, so plan the renewal.",
      autoRenew: "Licence for `{product}` renews automatically on `{expiry}`; its cancellation deadline is `{noticeDate}` ({days, plural, =0 {today} one {in # day} other {in # days}}, {notice}-day notice), so decide before then whether to keep it.",
    },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || renewalStatus(w, config.licences.horizon_days) !== "expiring") return;
    const days = w.autoRenew ? w.daysToDeadline : w.daysLeft;
    report({
      messageId: w.autoRenew ? "autoRenew" : "expiring",
      at: "/expiry_date",
      data: { product: productOf(doc), expiry: formatDay(w.currentTermEnd), days, notice: w.noticeDays, noticeDate: formatDay(w.deadline) },
    });
  },
});
