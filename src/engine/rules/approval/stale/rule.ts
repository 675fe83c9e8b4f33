import { defineRule } from "../../rule.js";
import { parseDay } from "../../../model/dates.js";

export default defineRule({
  meta: {
    code: "approval/stale",
    severity: "warning",
    description: "Require a new approval when a document's content changes after it was approved.",
    appliesTo: { trait: "approved" },
    messages: {
      stale: "The document changed after its approval on `{approved}` ({count, plural, one {# commit} other {# commits}} since, latest `{commit}` on `{date}`: \"{subject}\"); have the change approved and record the new `approved_on` and `approved_by`, or revert it.",
    },
  },
  check({ doc, repo, report }) {
    if (doc.values.status === "retired") return;
    const approved = parseDay(doc.values.approved_on);
    if (approved === null) return;
    const history = repo.history(doc.file);
    if (!history) return;
    // History is newest first and follows renames. Every commit dated after the approval day
    // that changed the content (not only review bookkeeping) makes the approval stale,
    // whether or not it also changed `version`; only a newer `approved_on` clears it. The
    // commit that adds a file is not a change to an approved text.
    const changes = history.filter((c) => (parseDay(c.date) ?? 0) > approved && c.status !== "A" && repo.changeIn(c.hash, doc.file).content);
    const latest = changes[0];
    if (!latest) return;
    report({
      messageId: "stale",
      at: "/approved_on",
      data: {
        approved: String(doc.values.approved_on),
        count: changes.length,
        commit: latest.hash.slice(0, 7),
        date: latest.date,
        subject: latest.subject.replace(/["`]/g, "'").slice(0, 80),
      },
    });
  },
});
