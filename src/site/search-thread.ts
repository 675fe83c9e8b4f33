import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { SearchIndexer, type SearchDoc } from "./search.js";
import { writeCalendar, type Jcal } from "../cli/format/ics-write.js";

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
  /**
   * The site's calendar.ics from its jCal (ics-write.ts). The thread is idle once the index
   * files are made, while this one still writes registers and reports; ical.js's writing of
   * 15k events (about 0.3 s on the 10k corpus) runs there instead of after them.
   */
  calendar(calendar: Jcal): Promise<string>;
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
    return { addWords: (doc) => indexer.addWords(doc), files: async () => [...indexer.files()], calendar: async (calendar) => writeCalendar(calendar), close: async () => undefined };
  }
  const worker = new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_MB } });
  let pending: SearchDoc[] = [];
  let failure: Error | null = null;
  // Answers in the order asked: the index files, then the calendar.
  const waiting: { resolve: (v: never) => void; reject: (e: Error) => void }[] = [];
  let closed = false;
  worker.on("message", (m: { files?: [string, string][]; ics?: string }) => waiting.shift()?.resolve((m.files ?? m.ics) as never));
  const failAll = (e: Error) => {
    failure ??= e;
    for (const w of waiting.splice(0)) w.reject(failure);
  };
  worker.on("error", failAll);
  worker.on("exit", (code) => {
    if (!closed) failAll(new Error(`the site search index thread stopped early (exit code ${code})`));
  });
  const ask = <T>(message: unknown): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      waiting.push({ resolve: resolve as (v: never) => void, reject });
      worker.postMessage(message);
    });
  };
  return {
    addWords(doc) {
      pending.push(doc);
      if (pending.length >= BATCH) {
        worker.postMessage({ docs: pending });
        pending = [];
      }
    },
    files() {
      const docs = pending;
      pending = [];
      return ask<[string, string][]>({ docs, finish: true });
    },
    calendar(calendar) {
      return ask<string>({ calendar });
    },
    async close() {
      closed = true;
      await worker.terminate();
    },
  };
}
