import { sep } from "node:path";
import type { Host } from "./host.js";
import { PathRefused } from "./safe-path.js";

/**
 * A Host that shows `base` (usually the disk) overlaid with an editor's open buffers: a
 * buffer's text wins over the file on disk, a deleted buffer hides the file, and folders
 * that only buffers live in exist. Paths are absolute, as everywhere in a Host.
 */
export interface OverlayHost extends Host {
  /** Shows `text` at `path` instead of the base's file. A `version` older than the last one set for `path` is ignored (returns false). */
  set(path: string, text: string | Uint8Array, version?: number): boolean;
  /** Hides `path` as if it were deleted (the base's file stays where it is). */
  delete(path: string, version?: number): boolean;
  /** Drops the buffer of `path`, so the base's file shows again (an editor closed it unsaved). */
  reset(path: string): void;
  /** The last version set or deleted for `path`, if any. */
  version(path: string): number | undefined;
  /** The paths that have a buffer (text or deleted). */
  overlaid(): string[];
}

const enoent = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${p}'`), { code: "ENOENT" });

/** A host that has nothing: every path is absent. The base of an in-memory repository. */
export const emptyHost: Host = {
  readFile: (p) => {
    throw enoent(p);
  },
  stat: (p) => {
    throw enoent(p);
  },
  readdir: (p) => {
    throw enoent(p);
  },
  realpath: (p) => {
    throw enoent(p);
  },
  locate: (p) => ({ real: p, exists: false }),
  exists: () => false,
};

export function overlayHost(base: Host): OverlayHost {
  /** path → buffer, or null for a file deleted in the editor. */
  const buffers = new Map<string, Uint8Array | null>();
  const versions = new Map<string, number>();
  const below = (dir: string) => (dir.endsWith(sep) ? dir : dir + sep);
  const bufferedDir = (p: string) => {
    const prefix = below(p);
    for (const [f, c] of buffers) if (c !== null && f.startsWith(prefix)) return true;
    return false;
  };
  const stale = (path: string, version?: number) => version !== undefined && (versions.get(path) ?? -Infinity) > version;
  const remember = (path: string, version?: number) => {
    if (version !== undefined) versions.set(path, version);
  };
  const dirStat = { isFile: false, isDirectory: true, size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 };
  const safeExists = (p: string) => {
    try {
      return base.exists(p);
    } catch {
      return false;
    }
  };
  const host: OverlayHost = {
    set(path, text, version) {
      if (stale(path, version)) return false;
      remember(path, version);
      buffers.set(path, typeof text === "string" ? Buffer.from(text, "utf8") : text);
      return true;
    },
    delete(path, version) {
      if (stale(path, version)) return false;
      remember(path, version);
      buffers.set(path, null);
      return true;
    },
    reset(path) {
      buffers.delete(path);
      versions.delete(path);
    },
    version: (path) => versions.get(path),
    overlaid: () => [...buffers.keys()],
    readFile(p, cap) {
      if (!buffers.has(p)) return base.readFile(p, cap);
      const c = buffers.get(p);
      if (!c) throw enoent(p);
      if (cap !== undefined && c.byteLength > cap) throw new PathRefused("EFBIG", `is larger than ${cap} bytes`);
      return c;
    },
    stat(p) {
      if (buffers.has(p)) {
        const c = buffers.get(p);
        if (!c) throw enoent(p);
        return { isFile: true, isDirectory: false, size: c.byteLength, mtimeMs: 0, ctimeMs: 0, ino: 0 };
      }
      if (!safeExists(p) && bufferedDir(p)) return dirStat;
      return base.stat(p);
    },
    readdir(p) {
      const onDisk = safeExists(p);
      if (!onDisk && !bufferedDir(p)) throw enoent(p);
      const entries = new Map((onDisk ? base.readdir(p) : []).map((e) => [e.name, e]));
      const prefix = below(p);
      for (const [f, c] of buffers) {
        if (!f.startsWith(prefix)) continue;
        const [name, ...rest] = f.slice(prefix.length).split(sep);
        if (!name) continue;
        if (rest.length > 0) {
          if (c !== null && !entries.has(name)) entries.set(name, { name, isFile: false, isDirectory: true, isSymbolicLink: false });
        } else if (c === null) entries.delete(name);
        else entries.set(name, { name, isFile: true, isDirectory: false, isSymbolicLink: false });
      }
      return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    realpath(p) {
      if (buffers.has(p)) {
        if (buffers.get(p) === null) throw enoent(p);
        return p;
      }
      if (!safeExists(p) && bufferedDir(p)) return p;
      return base.realpath(p);
    },
    exists: (p) => (buffers.has(p) ? buffers.get(p) !== null : safeExists(p) || bufferedDir(p)),
    locate(p) {
      if (buffers.has(p)) return { real: p, exists: buffers.get(p) !== null };
      if (!safeExists(p) && bufferedDir(p)) return { real: p, exists: true };
      return base.locate(p);
    },
  };
  if (base.cwd) host.cwd = () => base.cwd!();
  return host;
}
