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

/** A term as file-name-safe units: [a-z0-9] as themselves, anything else as `_<hex>_` (prefix-free). The client has the same function. */
export function termUnits(term: string): string[] {
  return Array.from(term).map((c) => (/^[a-z0-9]$/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`));
}

/** A term's shard key for a given prefix length in units. */
export const shardKey = (term: string, units = 2): string => termUnits(term).slice(0, units).join("");

/** A shard bigger than this (serialized) is split by one more character, up to MAX_UNITS. */
export const SHARD_BYTES = 96 * 1024;
const MAX_UNITS = 8;

/**
 * Splits the index's terms into shards keyed by a prefix: two characters, and more where the
 * shard would be large (governance text has many common words starting `co…`, `pr…`). A term
 * belongs to the longest key that is a prefix of it; a query loads that shard, and for the
 * word being typed (a prefix search) every shard whose key starts with it.
 */
export function shardEntries(entries: [string, unknown][]): Map<string, [string, unknown][]> {
  const out = new Map<string, [string, unknown][]>();
  const split = (list: [string, unknown][], units: number, key: string) => {
    const size = list.reduce((n, e) => n + e[0].length + JSON.stringify(e[1]).length + 8, 0);
    if (size <= SHARD_BYTES || units >= MAX_UNITS) {
      out.set(key, list);
      return;
    }
    const stay: [string, unknown][] = [];
    const groups = new Map<string, [string, unknown][]>();
    for (const e of list) {
      const u = termUnits(e[0]);
      if (u.length <= units) stay.push(e);
      else {
        const k = u.slice(0, units + 1).join("");
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(e);
      }
    }
    if (stay.length) out.set(key, stay);
    for (const [k, g] of groups) split(g, units + 1, k);
  };
  const top = new Map<string, [string, unknown][]>();
  for (const e of entries) {
    const k = shardKey(e[0]);
    let g = top.get(k);
    if (!g) top.set(k, (g = []));
    g.push(e);
  }
  for (const [k, g] of top) split(g, Math.min(2, termUnits(g[0]![0]).length), k);
  return out;
}

/**
 * Each word of a document once, in order: the index answers which documents hold a word, and
 * indexing repeated words would cost a third of the build on a large repository.
 */
export function distinctWords(text: string): string {
  return [...new Set(text.toLowerCase().split(/[\s\p{P}\p{S}]+/u))].join(" ");
}

const defaultTokenize = MiniSearch.getDefault("tokenize") as (text: string, field?: string) => string[];
const defaultProcessTerm = MiniSearch.getDefault("processTerm") as (term: string, field?: string) => string;

/**
 * The index as SEARCH_OPTIONS builds it, but the `text` field arrives as `distinctWords`:
 * lower-case words split on spaces and punctuation, joined by one space. Splitting that on
 * the space gives the terms minisearch's own tokenizer and lower-casing would (the browser
 * keeps both for queries), without running its Unicode punctuation pattern and `toLowerCase`
 * over every word of every document again.
 */
const INDEX_OPTIONS = {
  ...SEARCH_OPTIONS,
  tokenize: (text: string, field?: string) => (field === "text" ? text.split(" ") : defaultTokenize(text, field)),
  processTerm: (term: string, field?: string) => (field === "text" ? term : defaultProcessTerm(term, field)),
};

export class SearchIndexer {
  private readonly mini: MiniSearch<SearchDoc>;
  constructor(options: { defaultTokenizer?: boolean } = {}) {
    this.mini = new MiniSearch<SearchDoc>(options.defaultTokenizer ? SEARCH_OPTIONS : INDEX_OPTIONS);
  }
  /** Indexes a document; `text` is its plain text (the indexer keeps each word once). */
  add(doc: SearchDoc): void {
    this.mini.add({ ...doc, text: distinctWords(doc.text) });
  }
  /** Indexes a document whose `text` is already `distinctWords` of its text (as render threads give it). */
  addWords(doc: SearchDoc): void {
    this.mini.add(doc);
  }
  /** The files to write: `search/base.js` and one `search/s-<key>.js` per shard. */
  *files(): Generator<[string, string]> {
    const json = this.mini.toJSON() as unknown as { index: [string, unknown][] } & Record<string, unknown>;
    const shards = shardEntries(json.index);
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
