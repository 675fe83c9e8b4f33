import { defineRule } from "../../rule.js";
import { isActive } from "../../../domain/status.js";
import { references } from "../../../domain/references.js";

export default defineRule({
  meta: {
    code: "ref/retired",
    severity: "warning",
    description: "Disallow active documents referencing retired ones.",
    messages: { retired: "`{field}` names `{id}`, which is retired; reference its replacement or remove the reference." },
  },
  check({ doc, repo, report }) {
    if (!isActive(doc)) return;
    for (const { pointer, id, ref } of references(doc)) {
      const target = repo.declarations(id)[0];
      if (target && target.values.status === "retired") report({ messageId: "retired", at: pointer, data: { field: ref.field, id } });
    }
  },
});
