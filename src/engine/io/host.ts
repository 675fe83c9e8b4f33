import { basename, dirname } from "node:path";

/**
 * Everything the engine reads goes through a Host, so an editor can serve unsaved
 * buffers and tests can use in-memory repositories. Paths are absolute. Synchronous on
 * purpose: for thousands of small files, sync reads beat the thread-pool round trips.
 */
export interface Host {
  /**
   * A regular file's bytes, at most `cap` (default 16 MB). Never opens a FIFO, device or
   * socket (throws a PathRefused `ESPECIAL`); a larger file throws `EFBIG`.
   */
  readFile(path: string, cap?: number): Uint8Array;
  /** Follows symlinks; throws like fs.statSync (ENOENT, ELOOP, EACCES…). */
  stat(path: string): { isFile: boolean; isDirectory: boolean; size: number; mtimeMs: number; ctimeMs: number; ino: number };
  readdir(path: string): { name: string; isFile: boolean; isDirectory: boolean; isSymbolicLink: boolean }[];
  realpath(path: string): string;
  /** The real path of `path` whether or not it exists (see safe-path.ts); throws ELOOP on a loop. */
  locate(path: string): { real: string; exists: boolean };
  exists(path: string): boolean;
  /**
   * The directory a relative root or `--config` is resolved against when the caller gives
   * none (nodeHost: the process's). A host without it needs absolute paths.
   */
  cwd?(): string;
  /**
   * True when every read answers what the real disk holds (nodeHost, and hosts that only
   * remember its answers): worker threads may then read the files themselves.
   */
  disk?: boolean;
}

/** True when `path` is itself a symbolic link (dangling or not), asked through the host's listing of its folder. */
export function isSymlinkVia(host: Host, path: string): boolean {
  try {
    const name = basename(path);
    return host.readdir(dirname(path)).some((e) => e.name === name && e.isSymbolicLink);
  } catch {
    return false;
  }
}
