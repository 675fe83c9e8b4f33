import { defineRule } from "../../rule.js";
import { itemIds, references } from "../../../domain/references.js";
import { closest } from "../../../model/suggestions.js";

const didYouMean = (near: string | undefined): string => (near ? ` (did you mean \`${near}\`?)` : "");

export default defineRule({
  meta: {
    code: "ref/unknown",
    severity: "error",
    description: "Require every referenced id to name a document in the repository.",
    messages: {
      unknown: "`{field}` names `{id}`, but no document has that id; correct the id or add the document.",
      unknownTarget: "`{field}` names `{value}`, but no {expected} has the id `{id}`{hint}; correct the part before the `/` or add the {expected}.",
      unknownItem: "`{field}` names `{value}`, but {expected} `{id}` has no item of `{item}` with the id `{itemId}`{hint}; name one of its {item} ({known}) or add the item to `{id}`.",
    },
  },
  check({ doc, repo, report }) {
    for (const { pointer, id, item, value, ref } of references(doc)) {
      const target = repo.declarations(id)[0];
      const expected = ref.kinds === "any" ? "document" : ref.kinds.join(" or ");
      if (!target) {
        if (!ref.item) report({ messageId: "unknown", at: pointer, data: { field: ref.field, id } });
        else {
          const candidates = ref.kinds === "any" ? [] : ref.kinds.flatMap((k) => repo.idsOf(k));
          report({ messageId: "unknownTarget", at: pointer, data: { field: ref.field, value, id, expected, hint: didYouMean(closest(id, candidates)) } });
        }
        continue;
      }
      // An item reference to a record of the wrong kind is ref/kind's; without `/` the schema's pattern says so.
      if (!ref.item || typeof item !== "string" || (ref.kinds !== "any" && !ref.kinds.includes(target.kind))) continue;
      const ids = itemIds(target, ref.item);
      if (ids.includes(item)) continue;
      const known = ids.length ? ids.map((i) => `\`${i}\``).join(", ") : "it has none";
      report({ messageId: "unknownItem", at: pointer, data: { field: ref.field, value, id, expected: target.kind, item: ref.item, itemId: item, known, hint: didYouMean(closest(item, ids)) } });
    }
  },
});
