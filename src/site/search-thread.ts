import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { SearchIndexer, type SearchDoc } from "./search.js";

/** Documents sent to the index thread at once: one message per document would cost more than it moves. */
const BATCH = 128;
/**
 * The thread's young generation, in MiB (V8's default grows further): the index it builds lives
 * long, so a small one costs no measurable time and keeps 20-30 MiB off the build's peak memory
 * on the 10k corpus (about 500 MiB with it, 515-525 without).
 */
const THREAD_YOUNG_MB = 8;

/** Where the site's search index is built: documents in, in order; the index files out at the end. */
export interface SearchBuilder {
  /** Indexes a document whose `text` is already `distinctWords` of its text. */
  addWords(doc: SearchDoc): void;
  /** The files to write (`search/base.js` and the shards), once every document is added. */
  files(): Promise<[string, string][]>;
  /** Stops the thread, if any (after `files()`, or after a failed build). */
  close(): Promise<void>;
}

/**
 * The search index on a thread of its own when `thread` is true and the worker bundle is
 * there (not when running from source), else on this thread. On a large repository the
 * index is the biggest single cost of the thread that builds the pages (a tenth of the
 * build), so it is moved off it; the documents go in the order they are added, so the index
 * files are the same byte for byte.
 */
export function searchBuilder(thread: boolean): SearchBuilder {
  const url = new URL("./site-search-worker.js", import.meta.url);
  if (!thread || url.protocol !== "file:" || !existsSync(fileURLToPath(url))) {
    const indexer = new SearchIndexer();
    return { addWords: (doc) => indexer.addWords(doc), files: async () => [...indexer.files()], close: async () => undefined };
  }
  const worker = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_MB } });
  let pending: SearchDoc[] = [];
  let failure: Error | null = null;
  let answer: ((files: [string, string][]) => void) | null = null;
  let fail: ((e: Error) => void) | null = null;
  let closed = false;
  worker.on("message", (m: { files: [string, string][] }) => answer?.(m.files));
  worker.on("error", (e) => {
    failure ??= e;
    fail?.(e);
  });
  worker.on("exit", (code) => {
    if (closed) return;
    failure ??= new Error(`the site search index thread stopped early (exit code ${code})`);
    fail?.(failure);
  });
  return {
    addWords(doc) {
      pending.push(doc);
      if (pending.length >= BATCH) {
        worker.postMessage({ docs: pending });
        pending = [];
      }
    },
    files() {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        answer = resolve;
        fail = reject;
        worker.postMessage({ docs: pending, finish: true });
        pending = [];
      });
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
