import { defineRule } from "../../rule.js";
import { formatDay, parseDay } from "../../../model/dates.js";
import { EMERGENCY_APPROVAL_DAYS, SCHEDULED_OR_LATER, missingApproval, windowStart } from "../../../domain/changes.js";

const list = (fields: string[]): string => fields.map((f) => `\`${f}\``).join(" or ");

export default defineRule({
  meta: {
    code: "change/unapproved",
    severity: "error",
    description: "Require normal changes to be approved before their window starts, and emergency changes within 2 days of being implemented.",
    appliesTo: { fields: ["type", "status", "window", "implemented_on", "approved_by", "approved_on"] },
    messages: {
      missing: "The normal change is `{status}` but has no {missing}; record its approval, or set `status` back to `proposed`.",
      late: "The normal change was approved on `{approved}`, after its {startField} on `{start}`; approve changes before they start, or record it as an `emergency` change.",
      emergencyMissing: "The emergency change was implemented on `{implemented}` and has no {missing} {days, plural, one {# day} other {# days}} later; have it approved retrospectively and record `approved_by` and `approved_on`.",
      emergencyLate: "The emergency change was approved on `{approved}`, more than {limit, plural, one {# day} other {# days}} after it was implemented on `{implemented}`; approve emergency changes within {limit, plural, one {# day} other {# days}} and record why this one was late.",
    },
  },
  check({ doc, today, report }) {
    const v = doc.values;
    const status = typeof v.status === "string" ? v.status : "";
    const missing = missingApproval(doc);
    const approved = parseDay(v.approved_on);
    if (v.type === "normal") {
      if (!SCHEDULED_OR_LATER.includes(status)) return;
      if (missing.length) return report({ messageId: "missing", at: "/status", data: { status, missing: list(missing) } });
      // The window's start, or (no window recorded) the day it was implemented.
      const start = windowStart(doc);
      const implemented = parseDay(v.implemented_on);
      const [startField, startDay] = start !== null ? ["window start", start] : ["implementation", implemented];
      if (approved !== null && startDay !== null && approved > startDay) {
        report({ messageId: "late", at: "/status", data: { approved: formatDay(approved), startField, start: formatDay(startDay) } });
      }
      return;
    }
    if (v.type !== "emergency" || status === "cancelled") return;
    const implemented = parseDay(v.implemented_on);
    if (implemented === null) return;
    const deadline = implemented + EMERGENCY_APPROVAL_DAYS;
    if (missing.length) {
      if (today > deadline) report({ messageId: "emergencyMissing", at: "/status", data: { implemented: formatDay(implemented), missing: list(missing), days: today - implemented } });
      return;
    }
    if (approved !== null && approved > deadline) {
      report({ messageId: "emergencyLate", at: "/status", data: { approved: formatDay(approved), implemented: formatDay(implemented), limit: EMERGENCY_APPROVAL_DAYS } });
    }
  },
});
