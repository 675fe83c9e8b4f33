import * as fs from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";

/**
 * The one place that decides whether a path may be read, statted or written: every read the
 * engine makes goes through here (via nodeHost), and the writers (`init`, `new`,
 * `import-catalog`) can use `resolveInside` before they create a file.
 *
 * - Containment is decided on real paths (symlinks resolved, also for paths that do not exist
 *   yet), never lexically: a committed `notes.md -> /etc` leaves the repository whatever
 *   lies at `/etc`, and the answer never says whether the outside target exists.
 * - Special files (FIFOs, devices, sockets) are never opened: a FIFO would block forever,
 *   `/dev/zero` never ends.
 * - Every read is bounded: a file larger than the cap is refused before it is read, and a
 *   file that grows while it is read is cut off at the cap.
 */

/** A refused read: `code` is `EOUTSIDE`, `ESPECIAL`, `EFBIG` or a Node `E…` code. */
export class PathRefused extends Error {
  constructor(
    readonly code: "EOUTSIDE" | "ESPECIAL" | "EFBIG" | "EISDIR",
    message: string,
  ) {
    super(message);
  }
}

/** Default cap for one file: a governed document, a README a link points at, a catalogue. */
export const DEFAULT_READ_CAP = 16 * 1024 * 1024;

const MAX_LINKS = 40;

/**
 * The real path of `abs`, symlinks resolved, whether or not it exists. For a path that does
 * not exist, the deepest existing ancestor is resolved (following a dangling symlink's target
 * lexically), so `link -> /outside/missing` resolves to `/outside/missing`.
 * Throws ELOOP for a symlink loop and whatever else realpath throws besides ENOENT/ENOTDIR.
 */
export function realPathOf(abs: string, hops = 0): { real: string; exists: boolean } {
  if (hops > MAX_LINKS) throw Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" });
  // A missing path (a broken link's target: thousands on a docs site) is told by existsSync,
  // which throws nothing; realpath and lstat build an exception (with a stack) per miss.
  const present = fs.existsSync(abs);
  if (present) {
    try {
      return { real: fs.realpathSync.native(abs), exists: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw e;
    }
  }
  const rest: string[] = [];
  let p = abs;
  let st: fs.Stats | undefined;
  for (;;) {
    try {
      st = fs.lstatSync(p, { throwIfNoEntry: false });
    } catch (e) {
      // What realpath would have thrown (a folder that cannot be searched, a loop on the
      // way), had existsSync not spared the call: the same error, as before.
      const code = (e as NodeJS.ErrnoException).code;
      if (!present && p === abs && code !== "ENOENT" && code !== "ENOTDIR") throw e;
      st = undefined;
    }
    if (st) break;
    const parent = dirname(p);
    if (parent === p) return { real: abs, exists: false };
    rest.unshift(p.slice(parent.length).replace(/^[/\\]+/, ""));
    p = parent;
  }
  if (st.isSymbolicLink()) {
    const target = fs.readlinkSync(p);
    const parent = realPathOf(dirname(p), hops + 1).real;
    return { real: realPathOf(resolve(parent, target, ...rest), hops + 1).real, exists: false };
  }
  return { real: join(fs.realpathSync.native(p), ...rest), exists: false };
}

/** True when `real` is `realRoot` or below it. Both must be real paths. */
export function isInside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/** The real path of a repository root (the root itself if it cannot be resolved). */
export function realRootOf(root: string, host?: { realpath(path: string): string }): string {
  try {
    return host ? host.realpath(root) : fs.realpathSync.native(root);
  } catch {
    return resolve(root);
  }
}

export type Resolved =
  | { ok: true; real: string; exists: boolean }
  | { ok: false; reason: "outside" | "loop"; message: string };

/**
 * Resolves a path (absolute, or relative to `root`) and checks that its real path stays
 * inside the real root. The refusal says the same thing whatever lies outside.
 * Writers: call this on the file you are about to create and write to `real`.
 */
export function resolveInside(root: string, path: string, realRoot = realRootOf(root)): Resolved {
  const abs = isAbsolute(path) ? path : join(root, path);
  let r: { real: string; exists: boolean };
  try {
    r = realPathOf(abs);
  } catch {
    return { ok: false, reason: "loop", message: "it is a symlink that loops back on itself" };
  }
  if (!isInside(realRoot, r.real)) return { ok: false, reason: "outside", message: "it leaves the repository" };
  return { ok: true, real: r.real, exists: r.exists };
}

/**
 * Reads a regular file, at most `cap` bytes. Opens without blocking (a FIFO's open would
 * wait for a writer), refuses anything but a regular file, and never reads past the cap.
 * `onStat` is given the stat of the very file read (not of whatever the path names later).
 */
export function readBounded(path: string, cap = DEFAULT_READ_CAP, onStat?: (st: fs.Stats) => void): Uint8Array {
  const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0));
  try {
    const st = fs.fstatSync(fd);
    onStat?.(st);
    if (st.isDirectory()) throw new PathRefused("EISDIR", "is a folder, not a file");
    if (!st.isFile()) throw new PathRefused("ESPECIAL", "is not a regular file (a FIFO, device or socket)");
    if (st.size > cap) throw new PathRefused("EFBIG", `is larger than ${formatBytes(cap)}`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // What fstat says plus one byte (to see a file that grew), in one buffer: read in 1 MB
      // pieces, the 11 MB run cache of a 10k-document repository was copied again by
      // Buffer.concat on every warm run (~5 ms of ~450).
      const want = Math.min(Math.max(st.size - total, 0) + 1, cap + 1 - total);
      const buf = Buffer.allocUnsafe(Math.max(want, 1));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > cap) throw new PathRefused("EFBIG", `is larger than ${formatBytes(cap)}`);
    }
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** The kind of filesystem object at `path` without following a final symlink or opening it. */
export function describeSpecial(st: fs.Stats): string | null {
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return null;
}

export function formatBytes(n: number): string {
  return n >= 1048576 ? `${+(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
