import { defineRule } from "../../rule.js";
import { kinds } from "../../../model/kinds.js";

export default defineRule({
  meta: {
    code: "kind/mismatch",
    severity: "error",
    description: "Require a document's `kind:` to agree with the folder it is in.",
    messages: { mismatch: "`kind` says `{declared}` but files under `{folder}/` are `{expected}` documents; correct `kind` or move the file to `{target}/`." },
  },
  check({ doc, config, report }) {
    const declared = doc.values.kind;
    // An unknown value is a `schema/enum` finding (the validator checks it against the kinds there are).
    if (typeof declared !== "string" || declared === doc.kind || !kinds().has(declared)) return;
    report({ messageId: "mismatch", at: "/kind", data: { declared, expected: doc.kind, folder: config.paths[doc.kind]!, target: config.paths[declared]! } });
  },
});
