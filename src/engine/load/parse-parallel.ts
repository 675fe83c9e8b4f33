import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { nodeHost, type Host } from "../host/host.js";
import type { Governed } from "./discover.js";
import { parseSequentially } from "./load.js";
import type { FileResult } from "./parse-file.js";

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

/** Below this many files a worker's start-up costs more than it saves. */
export const PARALLEL_THRESHOLD = 600;
const BATCH = 250;

/**
 * Parses files across worker threads, one per core, handing out batches so that a slow
 * file does not hold up a whole share. Falls back to this thread when the repository is
 * small, the host is not the real disk, or the worker bundle is absent (running from source).
 */
export function parallelParser(options: { workers?: number } = {}) {
  return async (root: string, files: Governed[], host: Host): Promise<FileResult[]> => {
    const url = new URL("./parse-worker.js", import.meta.url);
    const count = Math.min(options.workers ?? defaultWorkers(), Math.ceil(files.length / BATCH));
    if (files.length < PARALLEL_THRESHOLD || count < 2 || url.protocol !== "file:" || !existsSync(fileURLToPath(url)) || host !== nodeHost) {
      return parseSequentially(root, files, host);
    }
    const batches: Governed[][] = [];
    for (let i = 0; i < files.length; i += BATCH) batches.push(files.slice(i, i + BATCH));
    const out: FileResult[][] = new Array(batches.length);
    let next = 0;
    const workers = Array.from({ length: count }, () => new Worker(url, { workerData: { root } }));
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
              w.on("message", (m: { seq: number; results: FileResult[] }) => {
                out[m.seq] = m.results;
                send();
              });
              w.on("error", reject);
              send();
            }),
        ),
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    return out.flat();
  };
}
