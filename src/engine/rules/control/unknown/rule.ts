import { defineRule } from "../../rule.js";
import { closest } from "../../shared.js";

export default defineRule({
  meta: {
    code: "control/unknown",
    severity: "error",
    description: "Require every control reference to name a framework and control from a known catalogue.",
    kinds: ["policy", "sop", "manual"],
    messages: {
      framework: "Framework `{framework}` is not known; use a built-in one (`NIST-CSF-2.0`) or add `frameworks/{framework}.yaml`.",
      control: "Control `{control}` is not in `{framework}`{hint}; use an id from the catalogue.",
    },
  },
  check({ doc, repo, report }) {
    const controls = doc.values.controls;
    if (!Array.isArray(controls)) return;
    controls.forEach((ref, i) => {
      if (typeof ref !== "string") return;
      const colon = ref.indexOf(":");
      if (colon <= 0 || colon === ref.length - 1) return; // malformed: schema/pattern says so
      const framework = ref.slice(0, colon);
      const control = ref.slice(colon + 1);
      const known = repo.framework(framework);
      if (!known) report({ messageId: "framework", at: `/controls/${i}`, data: { framework } });
      else if (!known.has(control)) {
        const near = closest(control, known);
        report({ messageId: "control", at: `/controls/${i}`, data: { framework, control, hint: near ? ` (did you mean \`${near}\`?)` : "" } });
      }
    });
  },
});
