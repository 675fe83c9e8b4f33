import { defineRule } from "../../rule.js";
import { parseDay } from "../../../dates.js";

export default defineRule({
  meta: {
    code: "approval/stale",
    severity: "warning",
    description: "Require a version change (and a new approval) when a document changes after it was approved.",
    kinds: ["policy", "sop", "manual"],
    messages: {
      stale: "The document changed after its approval on {approved} (commit `{commit}` on {date}: \"{subject}\") but `version` stayed `{version}`; bump `version` and record the new approval, or revert the change.",
    },
  },
  check({ doc, repo, report }) {
    if (doc.values.status === "retired") return;
    const approved = parseDay(doc.values.approved_on);
    if (approved === null || doc.values.version === undefined) return;
    const history = repo.history(doc.file);
    if (!history) return;
    // History is newest first. The newest commit after the approval day that changed the
    // text decides: with a `version:` change it was re-versioned; without, it is stale.
    // Review bookkeeping (`last_reviewed`…) is not a change, nor is the commit adding the file.
    let stale: (typeof history)[number] | undefined;
    for (const c of history) {
      if ((parseDay(c.date) ?? 0) <= approved || c.change === "A") continue;
      const change = repo.changeIn(c.hash, doc.file);
      if (change.version) return;
      if (change.content) {
        stale = c;
        break;
      }
    }
    if (!stale) return;
    report({
      messageId: "stale",
      at: "/version",
      data: { approved: String(doc.values.approved_on), commit: stale.hash.slice(0, 7), date: stale.date, subject: stale.subject.replace(/"/g, "'").slice(0, 80), version: String(doc.values.version) },
    });
  },
});
