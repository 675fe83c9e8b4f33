import { defineRule } from "../../rule.js";
import { formatDay } from "../../../dates.js";
import { licenceWindow, productOf } from "../../shared.js";

export default defineRule({
  meta: {
    code: "licence/expiring",
    severity: "info",
    description: "Announce licences that expire within `licences.horizon_days`, before their notice period.",
    kinds: ["licence"],
    messages: { expiring: "Licence for `{product}` expires on `{expiry}` (in {days} day{s}); its {notice}-day notice period starts on `{noticeDate}`, so plan the renewal." },
  },
  check({ doc, config, today, report }) {
    const w = licenceWindow(doc, config, today);
    if (!w || w.daysLeft <= w.notice || w.daysLeft > config.licences.horizon_days) return;
    report({ messageId: "expiring", at: "/expiry_date", data: { product: productOf(doc), expiry: formatDay(w.expiry), days: w.daysLeft, s: w.daysLeft === 1 ? "" : "s", notice: w.notice, noticeDate: formatDay(w.expiry - w.notice) } });
  },
});
