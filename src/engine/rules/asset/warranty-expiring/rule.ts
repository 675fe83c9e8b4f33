import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { assetName, warrantyOf } from "../../../domain/assets.js";

export default defineRule({
  meta: {
    code: "asset/warranty-expiring",
    severity: "info",
    description: "Announce in-use assets whose warranty ends within `licences.horizon_days`.",
    appliesTo: { fields: ["warranty_end", "status"] },
    messages: {
      expiring: "Warranty of asset `{name}` ends on `{end}` ({days, plural, =0 {today} one {in # day} other {in # days}}); extend the cover or plan the replacement before then.",
    },
  },
  check({ doc, config, today, report }) {
    const w = warrantyOf(doc, today);
    if (!w || w.daysLeft < 0 || w.daysLeft > config.licences.horizon_days) return;
    report({ messageId: "expiring", at: "/warranty_end", data: { name: assetName(doc), end: formatDay(w.end), days: w.daysLeft } });
  },
});
