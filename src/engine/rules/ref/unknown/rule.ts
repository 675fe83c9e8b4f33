import { defineRule } from "../../rule.js";
import { references } from "../../../domain/references.js";

export default defineRule({
  meta: {
    code: "ref/unknown",
    severity: "error",
    description: "Require every referenced id to name a document in the repository.",
    messages: { unknown: "`{field}` names `{id}`, but no document has that id; correct the id or add the document." },
  },
  check({ doc, repo, report }) {
    for (const { pointer, id, ref } of references(doc)) {
      if (repo.declarations(id).length === 0) report({ messageId: "unknown", at: pointer, data: { field: ref.field, id } });
    }
  },
});
