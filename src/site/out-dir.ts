import { lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmdirSync, unlinkSync, writeFile } from "node:fs";
import { basename, dirname, isAbsolute, join, sep } from "node:path";
import { UsageError } from "../engine/index.js";
import { startWriteThread, type WriteThread } from "./write-thread.js";
import { bytesOf, recordOf, type WriteFailure, type WrittenFile } from "./write-file.js";

export const MANIFEST = "manifest.json";
/** Files being written at once, and bytes waiting for the disk before the build waits. */
const MAX_IN_FLIGHT = 16;
const MAX_QUEUED_BYTES = 32 * 1024 * 1024;
export const GENERATOR = "policyops site";

/** The real path of `abs`, or of its deepest existing ancestor with the rest appended (for a folder not made yet). */
export function realish(abs: string): string {
  const rest: string[] = [];
  let p = abs;
  for (;;) {
    try {
      return join(realpathSync(p), ...rest.reverse());
    } catch {
      const parent = dirname(p);
      if (parent === p) return abs;
      rest.push(basename(p));
      p = parent;
    }
  }
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/** A site-relative path the manifest may name: forward slashes, no `..`, not absolute. */
export function safeRel(rel: unknown): rel is string {
  return typeof rel === "string" && rel.length > 0 && !isAbsolute(rel) && !rel.includes("\\") && !rel.includes("\0") && rel.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** What an earlier build wrote, from its manifest (each file's record); null when the folder holds no manifest of ours. */
export function previousSite(out: string): WrittenFile[] | null {
  let text: string;
  try {
    if (!lstatSync(join(out, MANIFEST)).isFile()) return null;
    text = readFileSync(join(out, MANIFEST), "utf8");
  } catch {
    return null;
  }
  try {
    const m = JSON.parse(text) as { generator?: unknown; pages?: unknown };
    if (m.generator !== GENERATOR || !Array.isArray(m.pages)) return null;
    return (m.pages as Partial<WrittenFile>[]).filter((p): p is WrittenFile => safeRel(p?.file) && typeof p.sha256 === "string" && typeof p.size === "number");
  } catch {
    return null;
  }
}

/** Whether `abs` is still the file a build wrote: a regular file (not a link) of the record's size and sha256. */
function stillAsWritten(abs: string, record: WrittenFile): boolean {
  try {
    const st = lstatSync(abs);
    if (!st.isFile() || st.size !== record.size) return false;
    return recordOf(record.file, readFileSync(abs)).sha256 === record.sha256;
  } catch {
    return false;
  }
}

/**
 * Writes the site: only inside `--out`, never into the repository root, a governed folder or
 * `/`, never into a non-empty folder it did not write, and deletes only the files an earlier
 * build of its own listed in its manifest, and only while they are still as it wrote them.
 * Files are created exclusively (`wx`): a file or symbolic link it did not write is never
 * overwritten or followed.
 */
export class SiteWriter {
  readonly out: string;
  private readonly real: string;
  private readonly pages: WrittenFile[] = [];
  private readonly dirs = new Set<string>();
  /** Set by `useThread()`: files go to the write thread instead of libuv's pool. */
  private thread: WriteThread | null = null;

  constructor(outAbs: string, root: string, governed: readonly string[], shown: string) {
    this.out = outAbs;
    this.real = realish(outAbs);
    const rootReal = realish(root);
    if (this.real === sep || this.real === "/") throw new UsageError(`refusing to write the site into \`/\`; give \`--out\` an empty folder of its own, e.g. \`site/\``);
    if (this.real === rootReal) throw new UsageError(`refusing to write the site into the repository root \`${shown}\`; give \`--out\` a folder of its own, e.g. \`_site\``);
    for (const folder of governed) {
      const g = realish(join(root, folder));
      if (inside(this.real, g)) throw new UsageError(`refusing to write the site into the governed folder \`${folder}/\` (\`--out ${shown}\`); give \`--out\` a folder outside it, e.g. \`_site\``);
    }
    if (inside(rootReal, this.real)) throw new UsageError(`refusing to write the site into \`${shown}\`, which holds the repository; give \`--out\` a folder of its own, e.g. \`_site\``);
  }

  /** Checks the folder and removes what an earlier build wrote there (only that). */
  prepare(shown: string): void {
    let st;
    try {
      st = lstatSync(this.out);
    } catch {
      mkdirSync(this.out, { recursive: true });
      return;
    }
    if (st.isSymbolicLink()) st = lstatSync(realpathSync(this.out));
    if (!st.isDirectory()) throw new UsageError(`\`${shown}\` is not a folder; give \`--out\` an empty folder or a new path`);
    const entries = readdirSync(this.out);
    if (entries.length === 0) return;
    const previous = previousSite(this.out);
    if (previous === null) throw new UsageError(`\`${shown}\` is not empty and holds no site that policyops wrote (no \`${MANIFEST}\` of its own); give \`--out\` an empty folder or a new path`);
    const folders = new Set<string>();
    for (const record of previous) {
      const abs = join(this.out, record.file);
      // Only inside the real output folder, whatever the manifest says, and only a file that is
      // still what that build wrote: a manifest (forged, or left beside someone's files) cannot
      // get their files deleted. A file left here at a path this build writes makes its
      // exclusive (`wx`) write refuse to overwrite it, which is right: it is not ours any more.
      if (inside(realish(dirname(abs)), this.real) && stillAsWritten(abs, record)) {
        try {
          unlinkSync(abs);
        } catch {
          /* already gone */
        }
      }
      for (let d = dirname(record.file); d !== "." && d !== ""; d = dirname(d)) folders.add(d);
    }
    try {
      unlinkSync(join(this.out, MANIFEST)); // a regular file of ours: previousSite read it
    } catch {
      /* already gone */
    }
    // Folders it made, deepest first, when they are empty now.
    for (const d of [...folders].sort((a, b) => b.split("/").length - a.split("/").length)) {
      try {
        rmdirSync(join(this.out, d));
      } catch {
        /* not empty: someone else's files are there */
      }
    }
  }

  private ensureDir(relDir: string): void {
    if (relDir === "." || this.dirs.has(relDir)) return;
    const abs = join(this.out, relDir);
    mkdirSync(abs, { recursive: true });
    if (!inside(realpathSync(abs), this.real)) throw new UsageError(`refusing to write into \`${relDir}\` of the site: it leads outside \`--out\`; remove it and build again`);
    this.dirs.add(relDir);
  }

  /**
   * Hands the encoding, hashing and writing of every later file to a thread of its own (when
   * its bundle is there): on a large site they otherwise take a sixth of the thread that builds
   * the pages. Output and refusals are the same either way. Returns whether it did.
   */
  useThread(): boolean {
    this.thread ??= startWriteThread(this.out);
    return this.thread !== null;
  }

  /** Stops the write thread, if any (after the last flush, or after a failed build). */
  async close(): Promise<void> {
    await this.thread?.close();
  }

  /**
   * Writes a file of the site: on the write thread when there is one; else its hash is taken
   * now and the bytes go to disk through libuv's thread pool (`open` with `wx`, write, close),
   * so creating ten thousand files overlaps with building the next pages. `flush()` waits for
   * them and reports the first failure.
   */
  write(rel: string, content: string | Uint8Array): void {
    this.ensureDir(dirname(rel));
    if (this.thread) return this.thread.write(rel, content);
    const bytes = bytesOf(content);
    const record = recordOf(rel, bytes);
    if (rel !== MANIFEST) this.pages.push(record);
    this.queue.push({ rel, bytes, record });
    this.queuedBytes += bytes.byteLength;
    this.pump();
  }

  /** Whether enough bytes wait for the disk that the caller should `await drain()` before building more. */
  get backlog(): boolean {
    return (this.thread ? this.thread.queued : this.queuedBytes) > MAX_QUEUED_BYTES;
  }

  /** Resolves when the queue is back under its limit (or empty). */
  async drain(): Promise<void> {
    if (this.thread) {
      const thread = this.thread;
      // A failed thread writes nothing more: stop waiting, and let flush() report it.
      while (this.backlog && !thread.failed) await thread.progress();
      return;
    }
    if (!this.backlog) return;
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Waits for every queued write; throws the first failure (a file it did not write, a full disk). */
  async flush(): Promise<void> {
    if (this.thread) {
      const { written, failures } = await this.thread.flush();
      for (const r of written) if (r.file !== MANIFEST) this.pages.push(r);
      if (failures[0]) this.failure ??= writeError(failures[0]);
    }
    while (this.queue.length > 0 || this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.failure) throw this.failure;
  }

  private readonly queue: { rel: string; bytes: Uint8Array; record: { file: string; sha256: string; size: number } }[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private drainWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  private pump(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      writeFile(join(this.out, job.rel), job.bytes, { flag: "wx", mode: 0o644 }, (e) => {
        this.inFlight--;
        this.queuedBytes -= job.bytes.byteLength;
        if (e) {
          // Not ours: never listed, never rolled back (it may be someone else's file).
          const i = this.pages.indexOf(job.record);
          if (i >= 0) this.pages.splice(i, 1);
          this.failure ??= e.code === "EEXIST" ? overwriteRefused(job.rel) : e;
        }
        this.pump();
        if (!this.backlog) for (const w of this.drainWaiters.splice(0)) w();
        if (this.queue.length === 0 && this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  written(): { file: string; sha256: string; size: number }[] {
    return [...this.pages].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** After a failed build: removes what this run wrote, so the folder is as it was (or empty). */
  async rollback(): Promise<void> {
    // The thread's files are listed once it has written them; if it died, what it wrote is unknown and stays.
    if (this.thread) await this.flush().catch(() => undefined);
    // Not started: nothing of ours to remove, and the path may hold someone else's file.
    for (const job of this.queue.splice(0)) {
      const i = this.pages.indexOf(job.record);
      if (i >= 0) this.pages.splice(i, 1);
    }
    await this.flush().catch(() => undefined);
    for (const p of this.pages) {
      try {
        unlinkSync(join(this.out, p.file));
      } catch {
        /* gone */
      }
    }
    for (const d of [...this.dirs].sort((a, b) => b.split("/").length - a.split("/").length)) {
      try {
        rmdirSync(join(this.out, d));
      } catch {
        /* not empty */
      }
    }
  }
}


const overwriteRefused = (rel: string) => new UsageError(`refusing to overwrite \`${rel}\` in the site folder: policyops did not write it; move it away and build again`);

/** The error a failed write on the thread stands for, as the same failure on this thread would be. */
function writeError(f: WriteFailure): Error {
  if (f.exists) return overwriteRefused(f.file);
  return Object.assign(new Error(f.message), f.code ? { code: f.code } : {});
}
