/**
 * Worker thread entry: writes the site's files (write-thread.ts). Each batch is encoded,
 * hashed for the manifest and written here, off the thread that builds the pages; the batch's
 * size is acknowledged so the builder can keep the queue bounded, and at `flush` the records of
 * what was written and the failures go back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { bytesOf, failureOf, recordOf, writeExclusive, type WriteFailure, type WrittenFile } from "./write-file.js";

const out = (workerData as { out: string }).out;
let written: WrittenFile[] = [];
let failures: WriteFailure[] = [];

parentPort!.on("message", (m: { files?: [string, string | Uint8Array][]; flush?: boolean }) => {
  let size = 0;
  for (const [rel, content] of m.files ?? []) {
    const bytes = bytesOf(content);
    size += typeof content === "string" ? content.length : bytes.byteLength;
    try {
      writeExclusive(out, rel, bytes);
      written.push(recordOf(rel, bytes));
    } catch (e) {
      failures.push(failureOf(rel, e));
    }
  }
  if (m.files) parentPort!.postMessage({ done: size });
  if (m.flush) {
    parentPort!.postMessage({ written, failures });
    written = [];
    failures = [];
  }
});
