import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";

/** What the manifest lists of a file the site wrote. */
export interface WrittenFile {
  file: string;
  sha256: string;
  size: number;
}

/** A write that did not happen: `exists` when the path was taken (a file policyops did not write). */
export interface WriteFailure {
  file: string;
  exists: boolean;
  message: string;
  code?: string;
}

/** The bytes a page is written as: UTF-8 for text. */
export const bytesOf = (content: string | Uint8Array): Uint8Array => (typeof content === "string" ? Buffer.from(content, "utf8") : content);

/** The manifest's record of these bytes at `rel`. */
export function recordOf(rel: string, bytes: Uint8Array): WrittenFile {
  return { file: rel, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength };
}

/**
 * Creates `rel` under `out` exclusively (`wx`: a file or symbolic link it did not write is
 * never overwritten or followed) and writes `bytes` to it, synchronously: the caller is the
 * site's write thread, whose only work this is.
 */
export function writeExclusive(out: string, rel: string, bytes: Uint8Array): void {
  const fd = openSync(join(out, rel), "wx", 0o644);
  try {
    for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
  } finally {
    closeSync(fd);
  }
}

/** A failed write as the thread reports it. */
export function failureOf(rel: string, e: unknown): WriteFailure {
  const err = e as NodeJS.ErrnoException;
  return { file: rel, exists: err?.code === "EEXIST", message: err?.message ?? String(e), ...(err?.code ? { code: err.code } : {}) };
}
