import { changedSince } from "./git/history.js";
import { UsageError } from "./errors.js";
import { kindOf } from "./load/discover.js";
import { parseFile } from "./load/parse-file.js";
import type { Workspace } from "./repo/workspace.js";

/**
 * For `--changed-since REF`: the documents to report on. Changed files, plus the
 * documents whose cross-document findings involve them (a sop naming a policy this
 * change deleted or renamed), because those break with the change even though their own
 * text did not change. Null outside git: then everything is reported.
 */
export async function documentsChangedSince(ws: Workspace, ref: string): Promise<Set<string> | null> {
  let diff;
  try {
    diff = await changedSince(ws.root, ref);
  } catch (e) {
    throw new UsageError(`--changed-since: ${(e as Error).message}`);
  }
  if (!diff) return null;
  const formerIds: string[] = [];
  for (const path of [...diff.changed, ...diff.deleted]) {
    const kind = kindOf(path, ws.config);
    if (!kind) continue;
    const old = await diff.oldContent(path);
    const id = old === null ? null : parseFile(path, kind, old).facts.id;
    if (id) formerIds.push(id);
  }
  return ws.affectedBy([...diff.changed, ...diff.deleted], formerIds);
}
