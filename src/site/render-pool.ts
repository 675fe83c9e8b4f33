import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { renderBody, type BodyContext, type BodyJob, type BodyResult } from "./body.js";

/** Below this many documents the threads' start-up costs more than they save. */
export const POOL_THRESHOLD = 300;
const MAX_BATCH = 64;
/**
 * The thread's young generation, in MiB (V8's default grows to 48 per thread): every thread
 * of the site build holds its own, and on the 10k corpus the default put the build's peak
 * memory over 600 MiB for no measurable speed.
 */
const THREAD_YOUNG_MB = 8;

/** Worker threads for the bodies: one per core (`os.availableParallelism()`), the main thread building pages meanwhile. */
export function defaultRenderThreads(documents: number): number {
  return documents < POOL_THRESHOLD ? 0 : availableParallelism();
}

/** Small enough batches that every thread gets several (and a slow body holds up little). */
const batchSize = (count: number, threads: number) => Math.max(1, Math.min(MAX_BATCH, Math.ceil(count / (threads * 4))));

/**
 * The threads that render document bodies (render-worker.ts). Batch `seq` of the documents
 * (in the site's order) always goes to thread `seq % threads`, so that a thread can render
 * its batches ahead (`prerender`) while the repository is still loading, and find them when
 * they are sent for real.
 */
export class RenderPool {
  private readonly workers: Worker[];
  private batch = 0;
  private closing = false;
  /** The first thread that failed or stopped: every later render throws it. */
  private failure: Error | null = null;
  /** Where results go (and what to wake on a failure) while `renderInOrder` runs. */
  private onResult: ((k: number, m: { seq: number; results: (BodyResult | null)[] }) => void) | null = null;
  private wake: (() => void) | null = null;

  private constructor(url: URL, threads: number) {
    // Listening from the start: a thread that fails while rendering ahead is reported by the next render, not as an uncaught error.
    this.workers = Array.from({ length: threads }, (_, k) =>
      new Worker(url, { resourceLimits: { maxYoungGenerationSizeMb: THREAD_YOUNG_MB } })
        .on("message", (m: { seq: number; results: (BodyResult | null)[] }) => this.onResult?.(k, m))
        .on("error", (e) => {
          this.failure ??= e;
          this.wake?.();
        })
        .on("exit", (code) => {
          if (this.closing) return;
          this.failure ??= new Error(`a site render thread stopped early (exit code ${code})`);
          this.wake?.();
        }),
    );
  }

  /** Threads to render on, or null for this thread: `threads` 0, or no worker bundle (as when running from source). */
  static start(threads: number): RenderPool | null {
    const url = new URL("./site-worker.js", import.meta.url);
    if (threads < 1 || url.protocol !== "file:" || !existsSync(fileURLToPath(url))) return null;
    return new RenderPool(url, threads);
  }

  /**
   * Renders ahead, on the threads, the Markdown files among `files` (every document the site
   * will have, in its order: by path), reading them from `root`. Only an optimisation: a
   * body that differs when its batch comes, or was not reached, renders then.
   */
  prerender(root: string, files: readonly { file: string; markdown: boolean }[]): void {
    this.batch = batchSize(files.length, this.workers.length);
    const shares = this.workers.map((): [number, string[]][] => []);
    for (let seq = 0; seq * this.batch < files.length; seq++) {
      const markdown = files.slice(seq * this.batch, (seq + 1) * this.batch).filter((f) => f.markdown).map((f) => f.file);
      if (markdown.length) shares[seq % shares.length]!.push([seq, markdown]);
    }
    shares.forEach((batches, i) => this.workers[i]!.postMessage({ prerender: { root, batches } }));
  }

  /** Renders bodies in order: `job(i)` gives item i's body (or null for none); results come back in item order while later batches render. */
  async *renderInOrder(ctx: BodyContext, count: number, job: (i: number) => BodyJob | null): AsyncGenerator<BodyResult | null> {
    if (count === 0) return;
    const BATCH = this.batch || batchSize(count, this.workers.length);
    const batches = Math.ceil(count / BATCH);
    const workers = this.workers;
    const done = new Map<number, (BodyResult | null)[]>();
    const next = workers.map((_, i) => i);
    const send = (k: number) => {
      const seq = next[k]!;
      if (seq >= batches) return;
      next[k] = seq + workers.length;
      const jobs: (BodyJob | null)[] = [];
      for (let i = seq * BATCH; i < Math.min(count, (seq + 1) * BATCH); i++) jobs.push(job(i));
      workers[k]!.postMessage({ seq, jobs });
    };
    this.onResult = (k, m) => {
      done.set(m.seq, m.results);
      send(k);
      this.wake?.();
    };
    try {
      const context = { context: { pages: [...ctx.pages], sources: [...ctx.sources] } };
      for (const w of workers) w.postMessage(context);
      // Two batches each: a thread never waits for this one to hand it the next.
      for (let k = 0; k < workers.length; k++) {
        send(k);
        send(k);
      }
      for (let seq = 0; seq < batches; seq++) {
        while (!done.has(seq)) {
          if (this.failure) throw this.failure;
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = null;
        }
        const results = done.get(seq)!;
        done.delete(seq);
        yield* results;
      }
    } finally {
      this.onResult = null;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Renders bodies in order on `pool`'s threads, or on this thread without one: `job(i)` gives
 * item i's body (or null for none); results come back in item order.
 */
export async function* renderInOrder(ctx: BodyContext, count: number, job: (i: number) => BodyJob | null, pool: RenderPool | null): AsyncGenerator<BodyResult | null> {
  if (pool) {
    yield* pool.renderInOrder(ctx, count, job);
    return;
  }
  for (let i = 0; i < count; i++) {
    const j = job(i);
    yield j ? renderBody(ctx, j) : null;
  }
}
