import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { WriteFailure, WrittenFile } from "./write-file.js";

/** Files posted to the thread at once: one message per page would cost more than it moves. */
const BATCH_FILES = 64;
const BATCH_CHARS = 1024 * 1024;

/** The site's files written on a thread of its own: pages in, records of what was written out. */
export interface WriteThread {
  /** Queues a file (text is written as UTF-8). */
  write(rel: string, content: string | Uint8Array): void;
  /** Characters (or bytes) queued and not yet written. */
  readonly queued: number;
  /** Resolves after the thread has written at least one more batch, or has failed. */
  progress(): Promise<void>;
  /** Whether the thread stopped or failed: nothing queued will be written, and `flush()` rejects. */
  readonly failed: boolean;
  /** Everything queued so far written (or failed): what was written and what failed since the last flush. */
  flush(): Promise<{ written: WrittenFile[]; failures: WriteFailure[] }>;
  close(): Promise<void>;
}

/**
 * The write thread for a site folder, or null when its bundle is not there (running from
 * source). Encoding each page to UTF-8, hashing it for the manifest and the open/write/close
 * of ten thousand files are a sixth of what the page-building thread did on the 10k corpus;
 * here they overlap with building the next pages.
 */
export function startWriteThread(out: string): WriteThread | null {
  const url = new URL("./site-write-worker.js", import.meta.url);
  if (url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return null;
  const worker = new Worker(url, { workerData: { out } });
  let batch: [string, string | Uint8Array][] = [];
  let batchChars = 0;
  let queued = 0;
  let failure: Error | null = null;
  let closed = false;
  let progressWaiters: (() => void)[] = [];
  const flushWaiters: { resolve: (r: { written: WrittenFile[]; failures: WriteFailure[] }) => void; reject: (e: Error) => void }[] = [];
  const wakeAll = () => {
    for (const w of progressWaiters.splice(0)) w();
  };
  const fail = (e: Error) => {
    failure ??= e;
    for (const w of flushWaiters.splice(0)) w.reject(failure);
    wakeAll();
  };
  worker.on("message", (m: { done?: number; written?: WrittenFile[]; failures?: WriteFailure[] }) => {
    if (m.done !== undefined) {
      queued -= m.done;
      wakeAll();
    }
    if (m.written) flushWaiters.shift()?.resolve({ written: m.written, failures: m.failures ?? [] });
  });
  worker.on("error", fail);
  worker.on("exit", (code) => {
    if (!closed) fail(new Error(`the site write thread stopped early (exit code ${code})`));
  });
  const send = (flush: boolean) => {
    if (batch.length > 0 || flush) worker.postMessage(flush ? { files: batch, flush } : { files: batch });
    batch = [];
    batchChars = 0;
  };
  return {
    write(rel, content) {
      const size = typeof content === "string" ? content.length : content.byteLength;
      batch.push([rel, content]);
      batchChars += size;
      queued += size;
      if (batch.length >= BATCH_FILES || batchChars >= BATCH_CHARS) send(false);
    },
    get queued() {
      return queued;
    },
    get failed() {
      return failure !== null;
    },
    progress() {
      if (failure) return Promise.resolve();
      return new Promise((resolve) => progressWaiters.push(resolve));
    },
    flush() {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        flushWaiters.push({ resolve, reject });
        send(true);
      });
    },
    async close() {
      closed = true;
      wakeAll();
      await worker.terminate();
    },
  };
}
