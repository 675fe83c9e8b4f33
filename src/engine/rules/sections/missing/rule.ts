import { defineRule } from "../../rule.js";

/** `## 1. Purpose:` and `## purpose` both satisfy a required `Purpose`. */
const normalise = (heading: string): string =>
  heading.trim().replace(/^\d+(\.\d+)*\.?\s+/, "").replace(/[:.]\s*$/, "").replace(/\s+/g, " ").toLowerCase();

export default defineRule({
  meta: {
    code: "sections/missing",
    severity: "error",
    description: "Require the `## ` sections that `policyops.yaml` lists for the document's kind.",
    kinds: ["policy", "sop", "manual"],
    messages: { missing: "The required section `## {section}` is missing; add it to the document body." },
  },
  check({ doc, config, report }) {
    const required = config.sections[doc.kind as "policy" | "sop" | "manual"] ?? [];
    if (required.length === 0) return;
    const present = new Set(doc.headings.filter((h) => h.depth === 2).map((h) => normalise(h.text)));
    const line = Math.min(doc.bodyLine, doc.lineLengths.length);
    const at = { line, column: 1, endLine: line, endColumn: (doc.lineLengths[line - 1] ?? 0) + 1 };
    for (const section of required) {
      if (!present.has(normalise(section))) report({ messageId: "missing", at, data: { section } });
    }
  },
});
