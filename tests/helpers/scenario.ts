import { join, sep } from "node:path";
import { nodeHost, type Host } from "../../src/engine/index.js";
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
  const files = new Map([...buffers].map(([f, c]) => [join(root, f), c]));
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: "ENOENT" });
  const bufferedDir = (p: string) => [...files].some(([f, c]) => c !== null && f.startsWith(p.endsWith(sep) ? p : p + sep));
  return {
    readFile: (p) => {
      if (!files.has(p)) return nodeHost.readFile(p);
      const c = files.get(p);
      if (c === null || c === undefined) throw enoent(p);
      return Buffer.from(c, "utf8");
    },
    stat: (p) => {
      if (files.has(p)) {
        const c = files.get(p);
        if (c === null || c === undefined) throw enoent(p);
        return { isFile: true, isDirectory: false, size: Buffer.byteLength(c), mtimeMs: 0, mtimeNs: 0n, ctimeNs: 0n, ino: 0 };
      }
      if (!nodeHost.exists(p) && bufferedDir(p)) return { isFile: false, isDirectory: true, size: 0, mtimeMs: 0, mtimeNs: 0n, ctimeNs: 0n, ino: 0 };
      return nodeHost.stat(p);
    },
    readdir: (p) => {
      const onDisk = nodeHost.exists(p) ? nodeHost.readdir(p) : [];
      if (!nodeHost.exists(p) && !bufferedDir(p)) throw enoent(p);
      const entries = new Map(onDisk.map((e) => [e.name, e]));
      for (const [f, c] of files) {
        if (!f.startsWith(p + sep)) continue;
        const [name, ...rest] = f.slice(p.length + 1).split(sep);
        if (rest.length > 0) {
          if (c !== null && !entries.has(name!)) entries.set(name!, { name: name!, isFile: false, isDirectory: true, isSymbolicLink: false });
        } else if (c === null) entries.delete(name!);
        else entries.set(name!, { name: name!, isFile: true, isDirectory: false, isSymbolicLink: false });
      }
      return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    realpath: (p) => {
      if (files.has(p)) {
        if (files.get(p) === null) throw enoent(p);
        return p;
      }
      if (!nodeHost.exists(p) && bufferedDir(p)) return p;
      return nodeHost.realpath(p);
    },
    exists: (p) => (files.has(p) ? files.get(p) !== null : nodeHost.exists(p) || bufferedDir(p)),
    locate: (p) => {
      if (files.has(p)) return { real: p, exists: files.get(p) !== null };
      if (!nodeHost.exists(p) && bufferedDir(p)) return { real: p, exists: true };
      return nodeHost.locate(p);
    },
  };
}
