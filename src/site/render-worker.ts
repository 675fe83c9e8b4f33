/**
 * Worker thread entry: renders the document bodies it is sent (body.ts, pure) and posts the
 * results back in the batch it was given.
 */
import { parentPort, workerData } from "node:worker_threads";
import { renderBody, type BodyContext, type BodyJob } from "./body.js";

const data = workerData as { pages: [string, string][]; sources: string[] };
const ctx: BodyContext = { pages: new Map(data.pages), sources: new Set(data.sources) };
parentPort!.on("message", (batch: { seq: number; jobs: (BodyJob | null)[] }) => {
  parentPort!.postMessage({ seq: batch.seq, results: batch.jobs.map((j) => (j ? renderBody(ctx, j) : null)) });
});
