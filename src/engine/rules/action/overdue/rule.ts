import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { openItems } from "../../../domain/actions.js";

/**
 * One rule for every follow-up list (SPEC §2): the `actions` and `findings` items of every
 * kind with the `actions` trait, built in or the repository's own. An open item past its
 * `due` is reported at the item; an open major audit finding is an error.
 */
export default defineRule({
  meta: {
    code: "action/overdue",
    severity: "warning",
    description: "Warn when an open action or audit finding is past its due date (an open major finding is an error).",
    appliesTo: { trait: "actions" },
    messages: {
      action: "Action `{text}` (owner {owner}) was due on `{due}` ({days, plural, one {# day ago} other {# days ago}}) and is still `{status}`; do it and set `status: done` with `closed_on`, or agree a new `due` date.",
      finding: "{severity} finding `{id}` (owner {owner}) was due on `{due}` ({days, plural, one {# day ago} other {# days ago}}) and is still `{status}`; close it and set `status: closed` with `closed_on`, or agree a new `due` date with the auditor.",
    },
  },
  check({ doc, today, report }) {
    for (const item of openItems(doc)) {
      if (item.due === null || today <= item.due) continue;
      const common = { owner: item.owner ?? "not named", due: formatDay(item.due), days: today - item.due, status: item.status };
      if (item.list === "findings") {
        const severity = item.severity ?? "unrated";
        report({
          messageId: "finding",
          at: item.pointer,
          data: { ...common, id: item.itemId ?? `#${item.index + 1}`, severity: severity[0]!.toUpperCase() + severity.slice(1) },
          ...(severity === "major" ? { severity: "error" as const } : {}),
        });
      } else {
        report({ messageId: "action", at: item.pointer, data: { ...common, text: item.text ?? `#${item.index + 1}` } });
      }
    }
  },
});
