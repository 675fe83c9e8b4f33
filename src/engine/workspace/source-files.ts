import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Host } from "../io/host.js";
import { byFile } from "./findings.js";

/** A file the site publishes: repo-relative path, sha256 of its bytes (null if unreadable), size in bytes. */
export interface SourceFile {
  file: string;
  sha256: string | null;
  size: number;
}

/**
 * Every file of the repository the site publishes, with its sha256 and size in bytes, in
 * path order: governed documents, agreements, READMEs, anything they link to. Skipped:
 * dot-folders and dot-files (`.git`, `.github`, caches), `node_modules`, symlinks whose
 * real path leaves the repository (`leaves`). A file that cannot be read is listed with `sha256: null`.
 */
export function sourceFiles(root: string, host: Host, leaves: (path: string) => boolean): SourceFile[] {
  const out: SourceFile[] = [];
  const visited = new Set<string>();
  const stack: string[] = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const abs = rel === "" ? root : join(root, rel);
    let real: string;
    try {
      real = host.realpath(abs);
    } catch {
      continue;
    }
    if (visited.has(real)) continue;
    visited.add(real);
    let entries;
    try {
      entries = host.readdir(abs);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const child = rel === "" ? e.name : `${rel}/${e.name}`;
      let isDir = e.isDirectory;
      let isFile = e.isFile;
      if (e.isSymbolicLink) {
        if (leaves(child)) continue;
        try {
          const st = host.stat(join(root, child));
          isDir = st.isDirectory;
          isFile = st.isFile;
        } catch {
          continue;
        }
      }
      if (isDir) stack.push(child);
      else if (isFile) {
        try {
          const bytes = host.readFile(join(root, child));
          out.push({ file: child, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength });
        } catch {
          let size = 0;
          try {
            size = host.stat(join(root, child)).size;
          } catch {
            size = 0;
          }
          out.push({ file: child, sha256: null, size });
        }
      }
    }
  }
  return out.sort(byFile);
}
