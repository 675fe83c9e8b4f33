import { defineRule } from "../../rule.js";
import { assetName, assetQuantity } from "../../../domain/assets.js";

/** A batch is one record: when its serials are listed, there is one per item (`quantity`, 1 when absent). */
export default defineRule({
  meta: {
    code: "asset/serial-count",
    severity: "warning",
    description: "Warn when an asset lists a number of serials different from its quantity.",
    appliesTo: { fields: ["serials", "quantity"] },
    messages: {
      count: "Asset `{name}` lists {serials, plural, one {# serial number} other {# serial numbers}} but `quantity` is {quantity}; list one serial number per item, or correct `quantity`.",
    },
  },
  check({ doc, report }) {
    const serials = doc.values.serials;
    if (!Array.isArray(serials)) return;
    const quantity = assetQuantity(doc);
    if (serials.length === quantity) return;
    report({ messageId: "count", at: "/serials", data: { name: assetName(doc), serials: serials.length, quantity } });
  },
});
