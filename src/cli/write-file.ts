import { linkSync, lstatSync, mkdirSync, readlinkSync, realpathSync, statSync, unlinkSync, writeFileSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { UsageError } from "../engine/index.js";

/**
 * Creates `path` with `content` atomically and never over an existing file: the content
 * goes to a temporary file first, and a hard link publishes it only if `path` is still
 * free (EEXIST otherwise). A reader never sees half a document.
 */
export function createFileAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content, { flag: "wx" });
  try {
    linkSync(tmp, path);
  } finally {
    unlinkSync(tmp);
  }
}

/** lstat, or null when nothing (not even a dangling link) is there. */
export function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw e;
  }
}

const kindOfEntry = (s: Stats): string =>
  s.isFile() ? "a file" : s.isFIFO() ? "a named pipe" : s.isCharacterDevice() || s.isBlockDevice() ? "a device" : s.isSocket() ? "a socket" : "not a folder";

/**
 * The repository root a writer works in must already be a folder (a link to one is fine).
 * Anything else is a usage error that says what is there instead.
 */
export function requireFolder(abs: string, shown: string): void {
  const l = lstatOrNull(abs);
  if (!l) throw new UsageError(`\`${shown}\` does not exist; create the folder first or pass the repository's folder`);
  let s: Stats = l;
  if (l.isSymbolicLink()) {
    try {
      s = statSync(abs);
    } catch {
      throw new UsageError(`\`${shown}\` is a symbolic link to \`${readlinkSync(abs)}\`, which does not exist; fix the link or pass the real folder`);
    }
  }
  if (!s.isDirectory()) throw new UsageError(`\`${shown}\` is ${kindOfEntry(s)}, not a folder; pass the repository's folder`);
}

const inside = (parent: string, child: string): boolean => {
  const r = relative(parent, child);
  return r === "" || (!r.startsWith("..") && !isAbsolute(r) && !r.startsWith(`..${sep}`));
};

/**
 * Checks that `rel` (a folder path inside `root`) can hold a new file: every part of it is
 * missing (it will be created) or a folder, and a symbolic link among them leads to an
 * existing folder inside the repository. Nothing is created here.
 */
export function requireWritableFolderInside(root: string, rel: string): void {
  const realRoot = realpathSync(root);
  let at = root;
  let shown = "";
  for (const part of rel.split(/[\\/]+/).filter(Boolean)) {
    at = join(at, part);
    shown = shown ? `${shown}/${part}` : part;
    const l = lstatOrNull(at);
    if (!l) return;
    if (l.isSymbolicLink()) {
      let real: string;
      try {
        real = realpathSync(at);
      } catch {
        throw new UsageError(`\`${shown}\` is a symbolic link to \`${readlinkSync(at)}\`, which does not exist; fix or remove the link, then run the command again`);
      }
      if (!inside(realRoot, real)) throw new UsageError(`\`${shown}\` is a symbolic link leading out of the repository (to \`${real}\`); replace it with a folder inside the repository`);
      if (!statSync(at).isDirectory()) throw new UsageError(`\`${shown}\` is a symbolic link to ${kindOfEntry(statSync(at))}, not a folder; replace it with a folder`);
    } else if (!l.isDirectory()) throw new UsageError(`\`${shown}\` is ${kindOfEntry(l)}, not a folder; move it away so the folder can be created`);
  }
}
