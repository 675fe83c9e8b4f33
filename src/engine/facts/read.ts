import { join } from "node:path";
import type { Host } from "../io/host.js";
import { PathRefused } from "../io/safe-path.js";
import { ABORT_STRIDE, yieldAndCheck } from "../model/abort.js";
import type { Governed } from "./discover.js";
import { shareStrings } from "./share-strings.js";
import { MAX_FILE_BYTES, parseFile, unreadableResult, type FileResult } from "./parse-file.js";

/** Reads and parses one governed file from disk, turning every I/O problem into a finding. */
export function readAndParse(root: string, g: Governed, host: Host): FileResult {
  const abs = join(root, g.file);
  let bytes: Uint8Array;
  const tooLarge = (size: number) =>
    unreadableResult(g.file, g.kind, "file/too-large", `The file is ${(size / 1048576).toFixed(1)} MB, over the 5 MB limit for a governed document, so it was not read; split it or move it out of \`${g.file.split("/")[0]}/\`.`);
  try {
    // Bounded, and never a FIFO or device: the file may have changed since discovery. No stat
    // first: the read's own fstat applies the cap, and a stat of every file was a tenth of a
    // cold run's main thread; the size is asked only for the message of a file over the cap.
    bytes = host.readFile(abs, MAX_FILE_BYTES);
  } catch (e) {
    if (e instanceof PathRefused && e.code === "EFBIG") return tooLarge(sizeOf(host, abs) ?? MAX_FILE_BYTES + 1);
    if (e instanceof PathRefused && e.code === "ESPECIAL") return unreadableResult(g.file, g.kind, "file/unreadable", "This is not a regular file (a FIFO, device or socket), so it was not read; replace it with a regular file.");
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return unreadableResult(g.file, g.kind, "file/unreadable", `The file cannot be read (${code}); check its permissions.`);
  }
  try {
    return parseFile(g.file, g.kind, bytes);
  } catch (e) {
    // A bug of ours, not the user's file: say so, and keep checking every other file.
    return unreadableResult(g.file, g.kind, "engine/parse-error", `PolicyOps failed while reading this file (${(e as Error).message}); please report this bug with the file attached.`);
  }
}

/** A file's size for a message, or null when it cannot be told (gone, unreadable). */
function sizeOf(host: Host, abs: string): number | null {
  try {
    return host.stat(abs).size;
  } catch {
    return null;
  }
}

/**
 * How long a parse on this thread holds it before letting the event loop run. `load` starts
 * git before the parse so that its processes run meanwhile, but a child process is only
 * spawned, and its output only read, when this thread turns the loop: without these turns
 * git ran after the parse, on the critical path (10k corpus, no repository: 0.17 s of a
 * 2.6 s cold run spent spawning git and waiting for it to give up).
 */
const TURN_EVERY_MS = 20;

export async function parseSequentially(root: string, files: Governed[], host: Host, signal?: AbortSignal): Promise<FileResult[]> {
  const out: FileResult[] = [];
  let turnAt = performance.now() + TURN_EVERY_MS;
  for (let i = 0; i < files.length; i++) {
    if (signal ? i % ABORT_STRIDE === 0 : performance.now() >= turnAt) {
      await yieldAndCheck(signal);
      turnAt = performance.now() + TURN_EVERY_MS;
    }
    out.push(readAndParse(root, files[i]!, host));
  }
  shareStrings(out);
  return out;
}
