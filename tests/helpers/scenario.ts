import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { compareFindings, load, nodeHost, overlayHost, type Finding, type Host } from "../../src/engine/index.js";
import { policy } from "./repo.js";

/**
 * A small repository whose documents depend on each other in every way the rules look
 * things up (ids, kinds, statuses, headings, plain files), and edits that change each of
 * those. The incremental-workspace and the cache tests replay random sequences of them.
 */
export const sop = (id: string, policies: string[], link = "../policies/a.md#purpose") =>
  `---\nid: ${id}\ntitle: SOP ${id}\nversion: "1.0"\nstatus: active\nowner: IT\napproved_by: IT\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\npolicies: [${policies.join(", ")}]\n---\n\n## Purpose\n\nSee [policy](${link}).\n\n## Scope\n\nAll.\n\n## Procedure\n\n1. Do.\n`;

export const SCENARIO: Record<string, string> = {
  "policies/a.md": policy("POL-001"),
  "policies/b.md": policy("POL-002"),
  "sops/s1.md": sop("SOP-001", ["POL-001", "POL-002"]),
  "sops/s2.md": sop("SOP-002", ["POL-002"], "../policies/b.md#scope"),
  "licences/l.yaml": "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nagreement: agreements/x.md\n",
  "agreements/x.md": "# Agreement\n",
  "README.md": "# Readme\n\n## Contacts\n",
};

export interface Edit {
  file: string;
  /** New content, or null to delete the file. */
  content: string | null;
}

/** Edits that change ids, headings and statuses, delete and re-add documents, and touch plain files. */
export const SCENARIO_EDITS: Edit[] = [
  { file: "policies/a.md", content: null },
  { file: "policies/a.md", content: policy("POL-001") },
  { file: "policies/a.md", content: policy("POL-002") },
  { file: "policies/a.md", content: policy("POL-001", "", "## Purposes\n\n## Scope\n\n## Policy\n") },
  { file: "policies/b.md", content: policy("POL-002").replace("status: active", "status: retired") },
  { file: "policies/b.md", content: null },
  { file: "policies/b.md", content: policy("POL-002") },
  { file: "policies/c.md", content: policy("POL-001") },
  { file: "policies/c.md", content: null },
  { file: "sops/s1.md", content: sop("SOP-001", ["POL-003"], "../README.md#contacts") },
  { file: "sops/s1.md", content: sop("SOP-001", ["POL-001", "POL-002"]) },
  { file: "README.md", content: "# Readme\n" },
  { file: "README.md", content: "# Readme\n\n## Contacts\n" },
  { file: "agreements/x.md", content: null },
  { file: "agreements/x.md", content: "# Agreement\n" },
];

/**
 * What an editor's engine sees: the disk under `root`, overlaid with unsaved `buffers`
 * (repo-relative path → content, or null for a file deleted in the editor but still on
 * disk). A fresh `load(root, { host })` with it must agree with a workspace that was told
 * the same edits through `update`/`remove`.
 */
export function bufferHost(root: string, buffers: ReadonlyMap<string, string | null>): Host {
  // The engine's own overlay host (what a language server uses), over the disk.
  const host = overlayHost(nodeHost);
  for (const [file, content] of buffers) {
    if (content === null) host.delete(join(root, file));
    else host.set(join(root, file), content);
  }
  return host;
}

/**
 * Plays saved and unsaved edits on a loaded workspace, then checks that its findings, and what
 * the deltas told a client, equal a fresh load that sees the same buffers (the incremental
 * property tests' one harness). A save writes the disk and drops the buffer; an unsaved edit
 * only tells the workspace, so buffer and disk differ.
 */
export async function expectEditsMatchFreshLoad(root: string, today: string, edits: readonly Edit[], steps: readonly { edit: number; saved: boolean }[]): Promise<void> {
  const ws = await load(root, { today });
  const view = new Map<string, Finding[]>();
  for (const f of ws.findings()) view.set(f.file, [...(view.get(f.file) ?? []), f]);
  const buffers = new Map<string, string | null>();
  for (const { edit: i, saved } of steps) {
    const edit = edits[i]!;
    if (saved) {
      buffers.delete(edit.file);
      if (edit.content === null) rmSync(join(root, edit.file), { force: true });
      else {
        mkdirSync(dirname(join(root, edit.file)), { recursive: true });
        writeFileSync(join(root, edit.file), edit.content);
      }
    } else buffers.set(edit.file, edit.content);
    const delta = edit.content === null ? ws.remove(edit.file) : ws.update(edit.file, edit.content);
    for (const [file, findings] of delta) view.set(file, findings);
  }
  const full = await load(root, { today, host: bufferHost(root, buffers) });
  expect(ws.findings()).toEqual(full.findings());
  // What the deltas told a client adds up to the same.
  expect([...view.values()].flat().sort(compareFindings)).toEqual(full.findings());
}
