import { defineRule } from "../../rule.js";
import { kinds } from "../../../model/kinds.js";

export default defineRule({
  meta: {
    code: "kind/mismatch",
    severity: "error",
    description: "Require a document's `kind:` to agree with the folder it is in.",
    messages: {
      unknown: "`kind` says `{declared}`, which is not a kind this repository has; write `{expected}` or remove `kind` (the folder decides the kind).",
      mismatch: "`kind` says `{declared}` but files under `{folder}/` are `{expected}` documents; correct `kind` or move the file to `{target}/`.",
    },
  },
  check({ doc, config, report }) {
    const declared = doc.values.kind;
    if (typeof declared !== "string" || declared === doc.kind) return;
    if (!kinds().has(declared)) return report({ messageId: "unknown", at: "/kind", data: { declared, expected: doc.kind } });
    report({ messageId: "mismatch", at: "/kind", data: { declared, expected: doc.kind, folder: config.paths[doc.kind]!, target: config.paths[declared]! } });
  },
});
