import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { UsageError } from "../errors.js";
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

/**
 * `POLICYOPS_WORKERS`, checked: unset gives undefined (the default applies); anything but a
 * whole number from 1 to 1024 is a usage error. Fail closed: `auto` used to become NaN
 * threads, and NaN threads checked no document at all.
 */
export function workersFromEnv(value: string | undefined = process.env.POLICYOPS_WORKERS): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\s*[1-9][0-9]{0,3}\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 1024)) throw new UsageError(`invalid \`POLICYOPS_WORKERS\` value \`${value}\`: use a whole number of threads from 1 to 1024, or unset it`);
  return n;
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
  // Read and checked now, so a bad value stops the command before anything is loaded.
  const threads = options.workers ?? workersFromEnv() ?? defaultWorkers();
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`invalid worker count \`${threads}\`: use a whole number of threads of 1 or more`);
  return async (root: string, files: Governed[], host: Host): Promise<FileResult[]> => {
    const url = new URL("./parse-worker.js", import.meta.url);
    const count = Math.min(threads, Math.ceil(files.length / BATCH));
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
    const results = out.flat();
    // Fail closed: a batch that never came back must not shrink the repository silently.
    if (results.length !== files.length) throw new Error(`worker threads returned ${results.length} of ${files.length} files`);
    return results;
  };
}
