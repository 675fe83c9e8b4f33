import { defineRule } from "../../rule.js";
import { isActive } from "../../../domain/status.js";

export default defineRule({
  meta: {
    code: "approval/missing",
    severity: "error",
    description: "Require active documents to record who approved them and when.",
    appliesTo: { trait: "approved" },
    messages: { missing: "The document is active but has no {missing}; record the approval, or set `status` back to `draft`." },
  },
  check({ doc, report }) {
    if (!isActive(doc)) return;
    const missing = ["approved_by", "approved_on"].filter((f) => doc.values[f] === undefined || doc.values[f] === null || doc.values[f] === "");
    if (missing.length) report({ messageId: "missing", at: "/status", data: { missing: missing.map((f) => `\`${f}\``).join(" or ") } });
  },
});
