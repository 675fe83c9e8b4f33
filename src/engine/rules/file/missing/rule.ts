import { defineRule } from "../../rule.js";
import { resolveRepoPath } from "../../../model/paths.js";
import { fieldLabel, fieldValue, kindDef } from "../../../model/kinds.js";

export default defineRule({
  meta: {
    code: "file/missing",
    severity: "error",
    description: "Require path fields (a licence's `agreement`, an asset's `disposal.certificate`) to name a file in the repository.",
    appliesTo: (k) => k.pathFields.length > 0,
    messages: {
      missing: "`{field}` names `{path}`, which does not exist; commit the file or correct the path (paths are relative to the repository root).",
      outside: "`{field}` names `{path}`, which leaves the repository; store the file in the repository and give its repo-relative path.",
      folder: "`{field}` names the folder `{path}`, not a file; give the path of the signed document itself.",
    },
  },
  check({ doc, repo, report }) {
    // Fields whose schema says `x-policyops-path: true`: a repo-relative file that must exist.
    for (const path of kindDef(doc.kind)?.pathFields ?? []) {
      const value = fieldValue(doc.values, path);
      const field = fieldLabel(path);
      if (typeof value !== "string" || value.trim() === "") continue;
      const file = resolveRepoPath(null, value.trim());
      if (file === null || repo.leaves(file)) report({ messageId: "outside", at: `/${path}`, data: { field, path: value } });
      else if (!repo.exists(file)) report({ messageId: "missing", at: `/${path}`, data: { field, path: value } });
      else if (repo.isFolder(file)) report({ messageId: "folder", at: `/${path}`, data: { field, path: value } });
    }
  },
});
