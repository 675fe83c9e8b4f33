/**
 * Worker thread entry: parses the governed files it is sent and posts their results
 * back. Parsing is pure (see parse-file.ts), so any thread gives the same answer.
 */
import { parentPort, threadId, workerData } from "node:worker_threads";
import { nodeHost } from "../io/node-host.js";
import { readAndParse } from "./read.js";
import type { Governed } from "./discover.js";
import { BUILTIN_KINDS, KindRegistry, kindFromSchema, useKinds } from "../model/kinds.js";
import type { JsonSchema } from "../model/schemas.js";

const { root, ownKinds } = workerData as { root: string; ownKinds: { schema: JsonSchema; source: string }[] };
if (ownKinds.length > 0) useKinds(new KindRegistry([...BUILTIN_KINDS.defs, ...ownKinds.map((k) => kindFromSchema(k.schema, k.source, false))]));
parentPort!.on("message", (batch: { seq: number; files: Governed[] }) => {
  parentPort!.postMessage({ seq: batch.seq, threadId, results: batch.files.map((g) => readAndParse(root, g, nodeHost)) });
});
