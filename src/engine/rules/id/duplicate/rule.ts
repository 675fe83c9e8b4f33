import { defineRule } from "../../rule.js";

export default defineRule({
  meta: {
    code: "id/duplicate",
    severity: "error",
    description: "Require every document id to be unique in the repository.",
    messages: { duplicate: "Id `{id}` is already used by `{first}`; give this document a new id (references keep resolving to the first)." },
  },
  check({ doc, repo, report }) {
    if (!doc.id) return;
    const decls = repo.declarations(doc.id);
    const first = decls[0];
    if (!first || first.file === doc.file) return;
    const at = repo.rangeOf(first, "/id");
    report({
      messageId: "duplicate",
      at: "/id",
      data: { id: doc.id, first: first.file },
      related: at ? [{ file: first.file, ...at, message: `\`${doc.id}\` is first declared here.` }] : [],
    });
  },
});
