import { defineRule } from "../../rule.js";
import { kindDef, sectionsApply } from "../../../model/kinds.js";

/** `## 1. Purpose:` and `## purpose` both satisfy a required `Purpose`. */
const normalise = (heading: string): string =>
  heading.trim().replace(/^\d+(\.\d+)*\.?\s+/, "").replace(/[:.]\s*$/, "").replace(/\s+/g, " ").toLowerCase();

export default defineRule({
  meta: {
    code: "sections/missing",
    severity: "error",
    description: "Require the `## ` sections that `policyops.yaml` lists for the document's kind.",
    appliesTo: (k) => k.format === "markdown",
    messages: { missing: "The required section `## {section}` is missing; add it to the document body." },
  },
  check({ doc, config, repo, report }) {
    const required = config.sections[doc.kind] ?? [];
    // A kind may require its sections of some documents only (`x-policyops.sectionsWhen`: a change's `type`).
    if (required.length === 0 || !sectionsApply(kindDef(doc.kind), doc.values)) return;
    // Stops at the heading that supplies the last required section: a long page (hundreds
    // of `##` sections) is not normalised heading by heading on every edit.
    const missing = new Set(required.map(normalise));
    for (const h of repo.headings(doc)) {
      if (h.depth !== 2) continue;
      missing.delete(normalise(h.text));
      if (missing.size === 0) return;
    }
    // The whole line after the closing `---` (the last line when the file ends at the fence).
    const at = { line: doc.bodyLine };
    for (const section of required) {
      if (missing.has(normalise(section))) report({ messageId: "missing", at, data: { section } });
    }
  },
});
