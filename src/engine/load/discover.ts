import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { Host } from "../host/host.js";
import { KINDS, MARKDOWN_KINDS, type Kind } from "../types.js";

/** A governed file found on disk. */
export interface Governed {
  file: string;
  kind: Kind;
}

/** A file we found but will not read, with the reason (symlink loop, outside the repo…). */
export interface Skipped {
  file: string;
  kind: Kind;
  code: "file/unreadable";
  message: string;
}

/** The kind a repo-relative path is governed as, or null. The deepest configured folder wins. */
export function kindOf(file: string, config: Config): Kind | null {
  let best: Kind | null = null;
  let bestLength = -1;
  for (const kind of KINDS) {
    const folder = config.paths[kind];
    if (!folder) continue;
    if (file.startsWith(folder + "/") && folder.length > bestLength && hasExtensionOf(kind, file)) {
      best = kind;
      bestLength = folder.length;
    }
  }
  return best;
}

export function hasExtensionOf(kind: Kind, file: string): boolean {
  const lower = file.toLowerCase();
  return MARKDOWN_KINDS.has(kind) ? lower.endsWith(".md") : lower.endsWith(".yaml") || lower.endsWith(".yml");
}

/**
 * Walks each kind's folder. Symlinks are followed only while they stay inside the
 * repository and do not loop; anything else becomes a `Skipped` entry, never a crash.
 */
export function discover(root: string, config: Config, host: Host): { governed: Governed[]; skipped: Skipped[] } {
  const governed = new Map<string, Kind>();
  const skipped: Skipped[] = [];
  let realRoot: string;
  try {
    realRoot = host.realpath(root);
  } catch {
    realRoot = root;
  }
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot.endsWith("/") ? realRoot : realRoot + "/");
  const folders = [...new Set(KINDS.map((k) => config.paths[k]).filter(Boolean))];

  for (const folder of folders) {
    const visited = new Set<string>();
    const walk = (rel: string, depth: number): void => {
      const abs = join(root, rel);
      let real: string;
      try {
        real = host.realpath(abs);
      } catch {
        return;
      }
      if (visited.has(real) || depth > 64) return;
      visited.add(real);
      let entries;
      try {
        entries = host.readdir(abs);
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.startsWith(".") || e.name === "node_modules") continue;
        const child = `${rel}/${e.name}`;
        let isDir = e.isDirectory;
        let isFile = e.isFile;
        if (e.isSymbolicLink) {
          const kind = kindOf(child, config);
          try {
            const target = host.realpath(join(root, child));
            if (!inside(target)) {
              if (kind) skipped.push({ file: child, kind, code: "file/unreadable", message: "This symlink points outside the repository, so it was not read; copy the file into the repository instead." });
              continue;
            }
            const s = host.stat(join(root, child));
            isDir = s.isDirectory;
            isFile = s.isFile;
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (kind) skipped.push({ file: child, kind, code: "file/unreadable", message: code === "ELOOP" ? "This symlink loops back on itself, so it was not read; point it at a real file." : `This symlink is broken (${code ?? "unreadable"}); fix or remove it.` });
            continue;
          }
        }
        if (isDir) walk(child, depth + 1);
        else if (isFile) {
          const kind = kindOf(child, config);
          if (kind) governed.set(child, kind);
        }
      }
    };
    walk(folder, 0);
  }
  const byPath = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return {
    governed: [...governed].map(([file, kind]) => ({ file, kind })).sort(byPath),
    skipped: skipped.filter((s) => !governed.has(s.file)).sort(byPath),
  };
}
