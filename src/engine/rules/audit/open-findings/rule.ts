import { defineRule } from "../../rule.js";
import { openItems } from "../../../domain/actions.js";

/** An audit is closed only when every finding is closed or accepted (SPEC §2 `audit/open-findings`). */
export default defineRule({
  meta: {
    code: "audit/open-findings",
    severity: "warning",
    description: "Warn when an audit is closed while some of its findings are still open.",
    appliesTo: { fields: ["findings", "status"] },
    messages: {
      open: "The audit is `closed` but {count, plural, one {# finding is} other {# findings are}} still open ({ids}); close or accept {count, plural, one {it} other {them}} first, or set `status` back to `reported`.",
    },
  },
  check({ doc, report }) {
    if (doc.values.status !== "closed") return;
    const open = openItems(doc).filter((i) => i.list === "findings");
    if (open.length === 0) return;
    const ids = open.map((i) => `\`${i.itemId ?? `#${i.index + 1}`}\``).join(", ");
    report({ messageId: "open", at: "/status", data: { count: open.length, ids } });
  },
});
