import * as fs from "node:fs";

/**
 * Everything the engine reads goes through a Host, so an editor can serve unsaved
 * buffers and tests can use in-memory repositories. Paths are absolute. Synchronous on
 * purpose: for thousands of small files, sync reads beat the thread-pool round trips.
 */
export interface Host {
  readFile(path: string): Uint8Array;
  /** Follows symlinks; throws like fs.statSync (ENOENT, ELOOP, EACCES…). */
  stat(path: string): { isFile: boolean; isDirectory: boolean; size: number; mtimeMs: number };
  readdir(path: string): { name: string; isFile: boolean; isDirectory: boolean; isSymbolicLink: boolean }[];
  realpath(path: string): string;
  exists(path: string): boolean;
}

export const nodeHost: Host = {
  readFile: (p) => fs.readFileSync(p),
  stat: (p) => {
    const s = fs.statSync(p);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs };
  },
  readdir: (p) =>
    fs.readdirSync(p, { withFileTypes: true }).map((d) => ({
      name: d.name,
      isFile: d.isFile(),
      isDirectory: d.isDirectory(),
      isSymbolicLink: d.isSymbolicLink(),
    })),
  realpath: (p) => fs.realpathSync.native(p),
  exists: (p) => fs.existsSync(p),
};
