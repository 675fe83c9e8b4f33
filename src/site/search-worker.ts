/**
 * Worker thread entry: builds the site's search index (search.ts) from the documents it is
 * sent, in the order sent, and posts back the index files when told the last one came.
 */
import { parentPort } from "node:worker_threads";
import { SearchIndexer, type SearchDoc } from "./search.js";

const indexer = new SearchIndexer();
parentPort!.on("message", (m: { docs?: SearchDoc[]; finish?: boolean }) => {
  for (const d of m.docs ?? []) indexer.addWords(d);
  if (m.finish) parentPort!.postMessage({ files: [...indexer.files()] });
});
