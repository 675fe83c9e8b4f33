import { join } from "node:path";
import { UsageError } from "../model/errors.js";
import { isInside, realRootOf } from "../io/safe-path.js";
import type { Config } from "../config/config.js";
import { isSymlinkVia, type Host } from "../io/host.js";
import type { Kind } from "../model/types.js";
import { kindDef, kinds } from "../model/kinds.js";

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
  return kindClassifier(config)(file);
}

/**
 * kindOf for many files under one config and kinds: each kind's folder and extension are
 * looked up once, not once a file (discover classifies every file of the repository). Same
 * answers: kinds in registry order, the longest folder wins, the first of equal ones.
 */
export function kindClassifier(config: Config): (file: string) => Kind | null {
  const candidates: { kind: Kind; prefix: string; markdown: boolean }[] = [];
  for (const kind of kinds().names()) {
    const folder = config.paths[kind];
    if (folder) candidates.push({ kind, prefix: folder + "/", markdown: kindDef(kind)?.format === "markdown" });
  }
  return (file) => {
    let best: Kind | null = null;
    let bestLength = -1;
    let lower: string | undefined;
    for (const c of candidates) {
      if (!file.startsWith(c.prefix) || c.prefix.length - 1 <= bestLength) continue;
      lower ??= file.toLowerCase();
      if (fitsExtension(c.markdown, lower)) {
        best = c.kind;
        bestLength = c.prefix.length - 1;
      }
    }
    return best;
  };
}

export function hasExtensionOf(kind: Kind, file: string): boolean {
  return fitsExtension(kindDef(kind)?.format === "markdown", file.toLowerCase());
}

/** A Markdown kind's files end in `.md`, a YAML kind's in `.yaml` or `.yml` (`lower`: the name in lower case). */
const fitsExtension = (markdown: boolean, lower: string) => (markdown ? lower.endsWith(".md") : lower.endsWith(".yaml") || lower.endsWith(".yml"));

/**
 * Checks every configured kind folder before anything is read: a folder that is absent is
 * fine (nothing of that kind yet), but one that is a symlink leaving the repository, a broken
 * symlink, or not a folder at all (a file, a FIFO, a device) is a usage error, one sentence
 * that never says what lies outside.
 */
export function checkKindFolders(root: string, config: Config, host: Host): void {
  const realRoot = realRootOf(root, host);
  const seen = new Set<string>();
  for (const kind of kinds().names()) {
    const folder = config.paths[kind];
    if (!folder || seen.has(folder)) continue;
    seen.add(folder);
    const abs = join(root, folder);
    const fix = `make \`${folder}\` a folder inside the repository or set \`paths.${kind}\` in policyops.yaml to one`;
    let where: { real: string; exists: boolean };
    try {
      where = host.locate(abs);
    } catch {
      throw new UsageError(`kind folder \`${folder}\` is a symlink that loops back on itself; ${fix}.`);
    }
    if (!isInside(realRoot, where.real)) throw new UsageError(`kind folder \`${folder}\` leaves the repository; ${fix}.`);
    if (!where.exists) {
      if (isSymlinkVia(host, abs)) throw new UsageError(`kind folder \`${folder}\` is a broken symlink; ${fix}.`);
      continue;
    }
    let isDir = false;
    try {
      isDir = host.stat(abs).isDirectory;
    } catch {
      isDir = false;
    }
    if (!isDir) throw new UsageError(`kind folder \`${folder}\` is not a folder; ${fix}.`);
  }
}

/**
 * Walks each kind's folder, at any depth. Symlinks are followed only while their real path
 * stays inside the repository and does not loop (a folder is visited once by real path);
 * anything else becomes a `Skipped` entry, never a crash, and never a read outside.
 */
export function discover(root: string, config: Config, host: Host): { governed: Governed[]; skipped: Skipped[] } {
  const governed = new Map<string, Kind>();
  const skipped: Skipped[] = [];
  const realRoot = realRootOf(root, host);
  const inside = (real: string) => isInside(realRoot, real);
  const names = kinds().names();
  const kindOfFile = kindClassifier(config);
  const folders = [...new Set(names.map((k) => config.paths[k]).filter((f): f is string => Boolean(f)))];
  const skip = (file: string, kind: Kind | null, message: string) => {
    if (kind) skipped.push({ file, kind, code: "file/unreadable", message });
  };

  for (const folder of folders) {
    const folderKind = names.find((k) => config.paths[k] === folder) ?? null;
    const visited = new Set<string>();
    // An explicit stack, not recursion: any depth is walked (a loop is cut by `visited`).
    const stack: string[] = [folder];
    while (stack.length > 0) {
      const rel = stack.pop()!;
      const abs = join(root, rel);
      let real: string;
      try {
        real = host.realpath(abs);
      } catch {
        continue;
      }
      if (visited.has(real) || !inside(real)) continue;
      visited.add(real);
      let entries;
      try {
        entries = host.readdir(abs);
      } catch {
        continue;
      }
      const dirs: string[] = [];
      for (const e of entries) {
        if (e.name.startsWith(".") || e.name === "node_modules") continue;
        const child = `${rel}/${e.name}`;
        const kind = kindOfFile(child);
        let isDir = e.isDirectory;
        let isFile = e.isFile;
        if (e.isSymbolicLink) {
          try {
            const target = host.locate(join(root, child));
            if (!inside(target.real)) {
              // A file of the kind, or a sub-folder (reported against the folder being walked).
              skip(child, kind ?? folderKind, OUTSIDE_MESSAGE);
              continue;
            }
            if (!target.exists) {
              skip(child, kind, "This symlink is broken, so it was not read; fix or remove it.");
              continue;
            }
            const s = host.stat(join(root, child));
            isDir = s.isDirectory;
            isFile = s.isFile;
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            skip(child, kind, code === "ELOOP" ? "This symlink loops back on itself, so it was not read; point it at a real file." : `This symlink cannot be followed (${code ?? "unreadable"}); fix or remove it.`);
            continue;
          }
        }
        if (isDir) dirs.push(child);
        else if (isFile) {
          if (kind) governed.set(child, kind);
        } else if (kind) {
          skip(child, kind, "This is not a regular file (a FIFO, device or socket), so it was not read; replace it with a regular file.");
        }
      }
      // Reverse so the walk visits folders in listing order (the result is sorted anyway).
      for (let i = dirs.length - 1; i >= 0; i--) stack.push(dirs[i]!);
    }
  }
  const byPath = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  return {
    governed: [...governed].map(([file, kind]) => ({ file, kind })).sort(byPath),
    skipped: skipped.filter((s) => !governed.has(s.file)).sort(byPath),
  };
}

/** One message for every symlink whose real path leaves the repository, whatever lies there. */
export const OUTSIDE_MESSAGE = "This symlink leaves the repository, so it was not read; copy what it points at into the repository instead.";
