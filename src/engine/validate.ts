import { load, type LoadOptions } from "./open.js";
import type { Workspace } from "./workspace/workspace.js";
import type { Finding, Summary, ValidationResult } from "./model/types.js";

export function summarise(documents: number, findings: readonly Finding[]): Summary {
  const s: Summary = { documents, errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === "error") s.errors++;
    else if (f.severity === "warning") s.warnings++;
    else s.infos++;
  }
  return s;
}

/** The result of validating a loaded workspace, in the exact JSON shape of SPEC §3. */
export function resultOf(ws: Workspace, filter?: (f: Finding) => boolean): ValidationResult {
  const documents = ws.documents();
  const findings = filter ? ws.findings().filter(filter) : ws.findings();
  return { version: 1, today: ws.today, summary: summarise(documents.length, findings), documents, findings };
}

/** Validates a repository (a path, or a workspace already loaded). */
export async function validate(root: string | Workspace, options: LoadOptions = {}): Promise<ValidationResult> {
  const ws = typeof root === "string" ? await load(root, options) : root;
  return resultOf(ws);
}
