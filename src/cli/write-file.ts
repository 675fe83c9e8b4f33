import { linkSync, mkdirSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

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
