import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { renderBody, type BodyContext, type BodyJob, type BodyResult } from "./body.js";

/** Below this many documents the threads' start-up costs more than they save. */
export const POOL_THRESHOLD = 300;
const MAX_BATCH = 64;

/**
 * Worker threads for the bodies: one per core but one (`os.availableParallelism()`), at least one. The
 * main thread builds the pages around them and the search index and the writing of files have
 * threads of their own: one render thread per core would make them all wait for cores.
 */
export function defaultRenderThreads(documents: number): number {
  return documents < POOL_THRESHOLD ? 0 : Math.max(1, availableParallelism() - 1);
}

/**
 * Renders bodies in order: `job(i)` gives item i's body (or null for none); results come back
 * in item order while later batches render on worker threads. `threads` 0 (or no worker
 * bundle, as when running from source) renders on this thread.
 */
export async function* renderInOrder(ctx: BodyContext, count: number, job: (i: number) => BodyJob | null, threads: number): AsyncGenerator<BodyResult | null> {
  const url = new URL("./site-worker.js", import.meta.url);
  if (threads < 1 || count === 0 || url.protocol !== "file:" || !existsSync(fileURLToPath(url))) {
    for (let i = 0; i < count; i++) {
      const j = job(i);
      yield j ? renderBody(ctx, j) : null;
    }
    return;
  }
  // Small enough batches that every thread gets several (and a slow body holds up little).
  const BATCH = Math.max(1, Math.min(MAX_BATCH, Math.ceil(count / (threads * 4))));
  const batches = Math.ceil(count / BATCH);
  const workers = Array.from({ length: Math.min(threads, batches) }, () => new Worker(url, { workerData: { pages: [...ctx.pages], sources: [...ctx.sources] } }));
  const done = new Map<number, (BodyResult | null)[]>();
  let failure = null as Error | null;
  let closing = false;
  let wake: (() => void) | null = null;
  let next = 0;
  const send = (w: Worker) => {
    if (next >= batches) return;
    const seq = next++;
    const jobs: (BodyJob | null)[] = [];
    for (let i = seq * BATCH; i < Math.min(count, (seq + 1) * BATCH); i++) jobs.push(job(i));
    w.postMessage({ seq, jobs });
  };
  try {
    for (const w of workers) {
      w.on("message", (m: { seq: number; results: (BodyResult | null)[] }) => {
        done.set(m.seq, m.results);
        send(w);
        wake?.();
      });
      w.on("error", (e) => {
        failure ??= e;
        wake?.();
      });
      w.on("exit", (code) => {
        if (closing) return;
        failure ??= new Error(`a site render thread stopped early (exit code ${code})`);
        wake?.();
      });
      // Two batches each: a worker never waits for the main thread to hand it the next one.
      send(w);
      send(w);
    }
    for (let seq = 0; seq < batches; seq++) {
      while (!done.has(seq)) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      const results = done.get(seq)!;
      done.delete(seq);
      yield* results;
    }
  } finally {
    closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
