import { defineRule } from "../../rule.js";
import { formatDay } from "../../../model/dates.js";
import { NEEDS_DR_TEST, lastPassingTest } from "../../../domain/continuity.js";

export default defineRule({
  meta: {
    code: "continuity/test-overdue",
    severity: "warning",
    description: "Warn when a high or critical system has no passing DR test within `continuity.test_interval_months`.",
    appliesTo: { fields: ["criticality"] },
    messages: {
      never: "The `{criticality}` system `{system}` has no passing DR test on record; test its recovery and record a DR test with a `pass` result for `{system}`.",
      overdue:
        "The `{criticality}` system `{system}` last passed a DR test on `{last}` (`{test}`), so the next was due by `{due}` (every {months, plural, one {# month} other {# months}}); test its recovery and record the DR test.",
    },
  },
  check({ doc, repo, config, today, report }) {
    const criticality = doc.values.criticality;
    if (typeof criticality !== "string" || !NEEDS_DR_TEST.includes(criticality) || !doc.id) return;
    const months = config.continuity.test_interval_months;
    // Through the RepoView: saving a DR test re-checks the systems.
    const passed = lastPassingTest(repo, doc.id, today, months);
    if (!passed) return report({ messageId: "never", at: "/criticality", data: { criticality, system: doc.id } });
    if (today <= passed.due) return;
    const { last } = passed;
    const at = repo.rangeOf(last.test, `/results/${last.index}`);
    report({
      messageId: "overdue",
      at: "/criticality",
      data: { criticality, system: doc.id, last: formatDay(last.date), test: last.test.id ?? last.test.file, due: formatDay(passed.due), months },
      ...(at ? { related: [{ file: last.test.file, ...at, message: `The last passing result for \`${doc.id}\`.` }] } : {}),
    });
  },
});
