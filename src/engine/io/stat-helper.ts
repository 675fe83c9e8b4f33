import { Worker } from "node:worker_threads";
import type { Host } from "./host.js";
import { nodeHost } from "./node-host.js";

export type FileStat = ReturnType<Host["stat"]>;
/** Stats of many files, in their order; null where a file cannot be stat'ed (gone, unreadable). */
export type StatMany = (paths: readonly string[]) => Promise<(FileStat | null)[]>;

// The helper thread's code: statSync of each path, five numbers a file (kind, size, mtimeMs,
// ctimeMs, ino), kind -1 for a file that cannot be stat'ed. Plain CommonJS, evaluated as is.
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { statSync } = require("node:fs");
parentPort.on("message", ({ id, paths }) => {
  const out = new Float64Array(paths.length * 5);
  for (let i = 0; i < paths.length; i++) {
    let s;
    try { s = statSync(paths[i]); } catch { s = undefined; }
    const o = i * 5;
    if (!s) { out[o] = -1; continue; }
    out[o] = s.isFile() ? 1 : s.isDirectory() ? 2 : 0;
    out[o + 1] = s.size; out[o + 2] = s.mtimeMs; out[o + 3] = s.ctimeMs; out[o + 4] = s.ino;
  }
  parentPort.postMessage({ id, out }, [out.buffer]);
});
`;

function statOrNull(path: string): FileStat | null {
  try {
    return nodeHost.stat(path);
  } catch {
    return null;
  }
}

/** Below this many files a second thread is not worth the messages. */
const MIN_SPLIT = 512;

/**
 * Stats many files on two threads: this one takes the first half while a helper thread takes
 * the second. For a process that lives across runs (the daemon), where the helper is started
 * once: a warm run stats every governed file, and on a 10k-file repository that was a third of
 * the daemon's time on one thread (syscalls, 5 µs a file here). A fresh process would pay more
 * to start the thread than it saves. Same answers as `host.stat`, read at the same moment give
 * or take the split; a helper that failed leaves every stat to this thread.
 */
export class StatHelper {
  private readonly worker: Worker;
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, (rows: Float64Array | null) => void>();

  constructor() {
    this.worker = new Worker(WORKER, { eval: true });
    this.worker.unref();
    this.worker.on("message", ({ id, out }: { id: number; out: Float64Array }) => {
      this.waiting.get(id)?.(out);
      this.waiting.delete(id);
    });
    const fail = () => {
      this.broken = true;
      for (const done of this.waiting.values()) done(null);
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", fail);
  }

  /** Stats of `paths` from the real disk, this thread taking the first half. */
  readonly statMany: StatMany = async (paths) => {
    const half = this.broken || paths.length < MIN_SPLIT ? paths.length : paths.length >> 1;
    const rest = half < paths.length ? this.ask(paths.slice(half)) : null;
    const out: (FileStat | null)[] = [];
    for (let i = 0; i < half; i++) out.push(statOrNull(paths[i]!));
    if (!rest) return out;
    const rows = await rest;
    for (let i = half; i < paths.length; i++) {
      const o = (i - half) * 5;
      if (!rows) out.push(statOrNull(paths[i]!));
      else if (rows[o] === -1) out.push(null);
      else out.push({ isFile: rows[o] === 1, isDirectory: rows[o] === 2, size: rows[o + 1]!, mtimeMs: rows[o + 2]!, ctimeMs: rows[o + 3]!, ino: rows[o + 4]! });
    }
    return out;
  };

  private ask(paths: readonly string[]): Promise<Float64Array | null> {
    if (this.broken) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, paths });
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
