/**
 * Worker thread entry: renders the document bodies it is sent (body.ts, pure) and posts the
 * results back in the batch it was given. Before the first batch, while the main thread is
 * still loading the repository, it renders ahead the bodies of the batches it will be sent
 * (`prerender`), reading the files itself; a batch then only puts in the anchors and link
 * targets (`finishBody`), or renders afresh what was not rendered ahead or changed since.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parentPort } from "node:worker_threads";
import { finishBody, prerenderBody, renderBody, type BodyContext, type BodyJob, type Prerendered } from "./body.js";

type Message =
  | { prerender: { root: string; batches: [number, string[]][] } }
  | { context: { pages: [string, string][]; sources: string[] } }
  | { seq: number; jobs: (BodyJob | null)[] };

let ctx: BodyContext = { pages: new Map(), sources: new Set() };
let root = "";
const ahead = new Map<string, Prerendered>();
const queue: [number, string[]][] = [];
/** Batches already sent for real: rendering them ahead is too late. */
const sent = new Set<number>();
let running = false;

parentPort!.on("message", (m: Message) => {
  if ("prerender" in m) {
    root = m.prerender.root;
    queue.push(...m.prerender.batches);
    if (!running) {
      running = true;
      setImmediate(step);
    }
  } else if ("context" in m) {
    ctx = { pages: new Map(m.context.pages), sources: new Set(m.context.sources) };
  } else {
    sent.add(m.seq);
    const results = m.jobs.map((j) => {
      if (!j) return null;
      const pre = ahead.get(j.file);
      if (pre) ahead.delete(j.file);
      return (pre && finishBody(ctx, j, pre)) ?? renderBody(ctx, j);
    });
    parentPort!.postMessage({ seq: m.seq, results });
  }
});

/** One batch ahead, then back to the event loop so that a batch sent for real is not kept waiting. */
function step(): void {
  const batch = queue.shift();
  if (!batch) {
    running = false;
    return;
  }
  if (!sent.has(batch[0])) for (const file of batch[1]) {
    const pre = prerenderFile(file);
    if (pre) ahead.set(file, pre);
  }
  setImmediate(step);
}

/** The body as the site will be given it (the text after a closed front matter, lines joined by `\n`), rendered ahead; null on any doubt. */
function prerenderFile(file: string): Prerendered | null {
  let text: string;
  try {
    text = new TextDecoder().decode(readAhead(join(root, file))); // drops a BOM, as the engine does
  } catch {
    return null;
  }
  const lines = text.split(/\r?\n/);
  let from = 0;
  if (/^---[ \t]*$/.test(lines[0]!)) {
    const close = lines.findIndex((l, i) => i > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(l));
    if (close > 0) from = close + 1;
  }
  return prerenderBody(lines.slice(from).join("\n"));
}

/** Files larger than this are not rendered ahead. */
const MAX_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * A regular file's bytes, opened without waiting (a FIFO's open would block) and not read past
 * the cap. Not the engine's reader (its module would load the whole engine into each thread,
 * tens of MiB): what is read here only counts if it equals what the engine read.
 */
function readAhead(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_AHEAD_BYTES) throw new Error("not rendered ahead");
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
