import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import MiniSearch from "minisearch";

/**
 * The site's search: a minisearch index built here and shipped as classic scripts, because
 * Chromium blocks fetch, ES modules and workers on file://. The index is split by the first
 * two characters of each term into shards (`search/s-<key>.js`); the page loads
 * `search/base.js` (documents, field lengths, stored titles) and only the shards the query's
 * terms need, by adding <script> tags.
 */
export const SEARCH_OPTIONS = {
  idField: "ref",
  fields: ["id", "title", "text"],
  storeFields: ["id", "title", "kind", "url"],
};

export interface SearchDoc {
  ref: string;
  id: string;
  title: string;
  kind: string;
  url: string;
  text: string;
}

/** A term's shard key: its first two characters, anything but [a-z0-9] as `_<hex>_` (file-name safe, prefix-free). The client has the same function. */
export function shardKey(term: string): string {
  return Array.from(term)
    .slice(0, 2)
    .map((c) => (/^[a-z0-9]$/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`))
    .join("");
}

export class SearchIndexer {
  private readonly mini = new MiniSearch<SearchDoc>(SEARCH_OPTIONS);
  add(doc: SearchDoc): void {
    this.mini.add(doc);
  }
  /** The files to write: `search/base.js` and one `search/s-<key>.js` per shard. */
  *files(): Generator<[string, string]> {
    const json = this.mini.toJSON() as unknown as { index: [string, unknown][] } & Record<string, unknown>;
    const shards = new Map<string, [string, unknown][]>();
    for (const entry of json.index) {
      const key = shardKey(entry[0]);
      let list = shards.get(key);
      if (!list) shards.set(key, (list = []));
      list.push(entry);
    }
    const { index: _index, ...base } = json;
    // U+2028/2029 are valid in JSON and in ES2019 strings; escaped anyway for older parsers.
    const js = (v: unknown) => JSON.stringify(v).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
    yield ["search/base.js", `PolicyOpsSearch.base(${js({ ...base, shards: [...shards.keys()].sort(), options: SEARCH_OPTIONS })});\n`];
    for (const [key, entries] of shards) yield [`search/s-${key}.js`, `PolicyOpsSearch.shard(${js(key)},${js(entries)});\n`];
  }
}

/** minisearch's UMD build (defines the global `MiniSearch`), shipped as the site's assets/minisearch.js. */
export function miniSearchScript(): string {
  const require = createRequire(import.meta.url);
  // The package's exports map hides dist/umd; its CommonJS entry sits next to it.
  const cjs = require.resolve("minisearch");
  const umd = readFileSync(join(dirname(cjs), "..", "umd", "index.js"), "utf8");
  return umd.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
}
