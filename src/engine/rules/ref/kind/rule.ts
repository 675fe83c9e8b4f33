import { defineRule } from "../../rule.js";
import { references } from "../../../domain/references.js";

export default defineRule({
  meta: {
    code: "ref/kind",
    severity: "error",
    description: "Require each reference field to name documents of the kind it expects.",
    messages: { kind: "`{field}` expects {expected} ids, but `{id}` is a {actual} (`{target}`); reference a {expected} instead." },
  },
  check({ doc, repo, report }) {
    for (const { pointer, id, ref } of references(doc)) {
      const target = repo.declarations(id)[0];
      if (!target || ref.kinds === "any" || ref.kinds.includes(target.kind)) continue;
      report({ messageId: "kind", at: pointer, data: { field: ref.field, id, expected: ref.kinds.join(" or "), actual: target.kind, target: target.file } });
    }
  },
});
