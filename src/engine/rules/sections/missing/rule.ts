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
    const present = new Set(repo.headings(doc).filter((h) => h.depth === 2).map((h) => normalise(h.text)));
    // The whole line after the closing `---` (the last line when the file ends at the fence).
    const at = { line: doc.bodyLine };
    for (const section of required) {
      if (!present.has(normalise(section))) report({ messageId: "missing", at, data: { section } });
    }
  },
});
