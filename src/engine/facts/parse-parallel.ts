import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { UsageError } from "../model/errors.js";
import type { Host } from "../io/host.js";
import type { Governed } from "./discover.js";
import { parseSequentially } from "./read.js";
import { shareStrings } from "./share-strings.js";
import type { FileResult } from "./parse-file.js";
import { kinds } from "../model/kinds.js";

/**
 * Threads to use when the caller does not say. Parsing allocates heavily, and on two cores
 * two parsing threads contend for memory bandwidth and the garbage collector's helper
 * threads: measured on the 10k corpus they saved about 10% of the time for 60% more memory, and
 * on real documentation sites (bench/real-world.md) they were slower. So: one thread per
 * core from three cores up, none below. `POLICYOPS_WORKERS=N` overrides.
 */
export function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores >= 3 ? cores : 1;
}

/** How one parse went: which threads did the work (for tests and benchmarks; a fallback is otherwise silent). */
export interface ParseStats {
  /** Files parsed. */
  files: number;
  /** Distinct worker threads that parsed at least one batch; 0 when every file was parsed on the calling thread. */
  workerThreads: number;
  /** Files parsed in worker threads. */
  inWorkers: number;
}

/** Below this many files a worker's start-up costs more than it saves. */
export const PARALLEL_THRESHOLD = 600;
/**
 * Files per message. Each batch's results wait in the worker until posted and arrive on this
 * thread as one burst of allocation, so smaller batches keep both heaps lower: at 197,652
 * findings with two workers and the young generation below, 100 instead of 250 took the peak
 * RSS from 390–410 to 369–388 MiB (bench/real-world.md, wt-file round 2) at no cost in CPU.
 */
const BATCH = 100;
/**
 * A worker's young generation, in MB. V8's default (two 16 MB semi-spaces and more) is room a
 * worker keeps and never needs: its live data is one batch. At 197,652 findings, two workers,
 * 250-file batches: peak RSS 417–421 -> 390–410 MiB, CPU unchanged (8 MB was no better).
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/**
 * Parses files across worker threads, one per core, handing out batches so that a slow
 * file does not hold up a whole share. Falls back to this thread when the repository is
 * small, the host is not the real disk, or the worker bundle is absent (running from source).
 */
export function parallelParser(options: { workers?: number; onStats?: (stats: ParseStats) => void } = {}) {
  const threadCount = options.workers ?? defaultWorkers();
  if (!Number.isInteger(threadCount) || threadCount < 1) throw new UsageError(`invalid worker count \`${threadCount}\`: use a whole number of threads of 1 or more`);
  return async (root: string, files: Governed[], host: Host): Promise<FileResult[]> => {
    const results = await parse(root, files, host);
    options.onStats?.(results.stats);
    return results.out;
  };

  async function parse(root: string, files: Governed[], host: Host): Promise<{ out: FileResult[]; stats: ParseStats }> {
    const url = new URL("./parse-worker.js", import.meta.url);
    const count = Math.min(threadCount, Math.ceil(files.length / BATCH));
    if (files.length < PARALLEL_THRESHOLD || count < 2 || url.protocol !== "file:" || !existsSync(fileURLToPath(url)) || host.disk !== true) {
      return { out: await parseSequentially(root, files, host), stats: { files: files.length, workerThreads: 0, inWorkers: 0 } };
    }
    const batches: Governed[][] = [];
    for (let i = 0; i < files.length; i += BATCH) batches.push(files.slice(i, i + BATCH));
    const out: FileResult[][] = new Array(batches.length);
    let next = 0;
    const threads = new Set<number>();
    // Each batch's strings are copies made by structured clone: one copy of each repeat across
    // the parse (parseSequentially does the same), done on receipt so that the copies die young.
    const pool = new Map<string, string>();
    let inWorkers = 0;
    // The repository's own kinds travel as their schemas: each thread derives the same definitions.
    const ownKinds = kinds().own().map((d) => ({ schema: d.schema, source: d.source }));
    const workers = Array.from({ length: count }, () => new Worker(url, { workerData: { root, ownKinds }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }));
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                if (next >= batches.length) return resolve();
                const seq = next++;
                w.postMessage({ seq, files: batches[seq] });
              };
              w.on("message", (m: { seq: number; threadId: number; results: FileResult[] }) => {
                send(); // the worker starts its next batch while this one is shared
                shareStrings(m.results, pool);
                out[m.seq] = m.results;
                threads.add(m.threadId);
                inWorkers += m.results.length;
              });
              w.on("error", reject);
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    const results = out.flat();
    // Fail closed: a batch that never came back must not shrink the repository silently.
    if (results.length !== files.length) throw new Error(`worker threads returned ${results.length} of ${files.length} files`);
    return { out: results, stats: { files: files.length, workerThreads: threads.size, inWorkers } };
  }
}
