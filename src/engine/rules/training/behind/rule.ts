import { defineRule } from "../../rule.js";
import { formatDay, parseDay } from "../../../model/dates.js";
import { count } from "../../../domain/training.js";

/** Past its due date, a training programme must have reached its completion target (SPEC §2 `training/behind`). */
export default defineRule({
  meta: {
    code: "training/behind",
    severity: "warning",
    description: "Warn when a training programme is past its due date with completion below its target.",
    appliesTo: { fields: ["due", "target_pct", "completed", "total"] },
    messages: {
      behind: "Training was due on `{due}` but only {pct}% ({completed} of {total}) have completed it, below the {target}% target; chase the {missing, plural, one {# person} other {# people}} still to do it, or agree a new `due` date.",
      unrecorded: "Training was due on `{due}` but its completion is not recorded; record `completed` and `total` so progress against the {target}% target can be checked.",
    },
  },
  check({ doc, today, report }) {
    const due = parseDay(doc.values.due);
    const target = doc.values.target_pct;
    if (due === null || today <= due || typeof target !== "number") return;
    const completed = count(doc.values.completed);
    const total = count(doc.values.total);
    if (completed === null || total === null) {
      if (doc.values.completed === undefined || doc.values.total === undefined) report({ messageId: "unrecorded", at: "/due", data: { due: formatDay(due), target } });
      return; // a value of the wrong type: the schema reports it
    }
    if (total === 0) return;
    const pct = (completed / total) * 100;
    if (pct >= target) return;
    const missing = Math.max(0, Math.ceil((target / 100) * total - 1e-9) - completed);
    report({ messageId: "behind", at: "/completed", data: { due: formatDay(due), pct: Math.floor(pct * 10) / 10, completed, total, target, missing } });
  },
});
