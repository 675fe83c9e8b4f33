/**
 * Worker thread entry: parses the governed files it is sent and posts their results
 * back. Parsing is pure (see parse-file.ts), so any thread gives the same answer.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { nodeHost } from "../host/host.js";
import { readAndParse } from "./load.js";
import type { Governed } from "./discover.js";

const { root } = workerData as { root: string };
parentPort!.on("message", (batch: { seq: number; files: Governed[] }) => {
  parentPort!.postMessage({ seq: batch.seq, threadId, results: batch.files.map((g) => readAndParse(root, g, nodeHost)) });
});
