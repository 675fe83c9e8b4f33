/**
 * Worker thread entry: builds the site's search index (search.ts) from the documents it is
 * sent, in the order sent, and posts back the index files when told the last one came; then
 * the site's calendar.ics, when sent its jCal.
 */
import { parentPort } from "node:worker_threads";
import { SearchIndexer, type SearchDoc } from "./search.js";
import { writeCalendar, type Jcal } from "../cli/format/ics-write.js";

const indexer = new SearchIndexer();
parentPort!.on("message", (m: { docs?: SearchDoc[]; finish?: boolean; calendar?: Jcal }) => {
  for (const d of m.docs ?? []) indexer.addWords(d);
  if (m.finish) parentPort!.postMessage({ files: [...indexer.files()] });
  // The site's calendar, written here too: see search-thread.ts.
  if (m.calendar) parentPort!.postMessage({ ics: writeCalendar(m.calendar) });
});
