import { deserialize, serialize } from "node:v8";
import type { DocumentFacts, Heading, LineLengths, Link, Range } from "../model/types.js";

/**
 * A document's facts as the run cache keeps them: what every warm run reads (file, kind,
 * id, title, whether it parsed) in the cache's index, and two sets of bytes deserialized
 * only when something asks for them: the values, and the rest (headings, links, spans,
 * line lengths). A warm run after one edit re-checks a handful of documents, so most
 * documents' headings, links and values are never needed; not building them is most of
 * what reading the cache used to cost (issue 14). (The values of kinds with path fields are
 * read every run by `folder/ungoverned`; the others only by the checks and signatures that
 * an edit brings about.)
 */

/** The facts every warm run reads, stored in the cache's index. */
export type FactsHead = Omit<DocumentFacts, BodyField | "values">;
type BodyField = "ranges" | "headings" | "links" | "htmlAnchors" | "lineLengths";
interface FactsBody {
  ranges: Record<string, Range> | null;
  headings: Heading[] | null;
  links: Link[];
  htmlAnchors: string[] | null;
  lineLengths: LineLengths | null;
}

/**
 * DocumentFacts whose body fields are read from `bytes` on first use (get or set). The
 * fields are accessors on the class, not own properties: code that copies facts with a
 * spread or JSON would miss them, so only the run cache hands these out (to `validate`),
 * and `split` below gives back the same bytes when nothing touched them.
 */
class CachedFacts implements DocumentFacts {
  file!: string;
  kind!: DocumentFacts["kind"];
  format!: DocumentFacts["format"];
  parsed!: boolean;
  id!: string | null;
  title!: string | null;
  bodyLine!: number;
  #bytes: Uint8Array | null;
  #body: FactsBody | null = null;
  #valueBytes: Uint8Array | null;
  #values: Record<string, unknown> | null = null;

  constructor(head: FactsHead, valueBytes: Uint8Array, bytes: Uint8Array) {
    Object.assign(this, head);
    this.#valueBytes = valueBytes;
    this.#bytes = bytes;
  }

  get values(): Record<string, unknown> {
    if (!this.#values) {
      this.#values = deserialize(this.#valueBytes!) as Record<string, unknown>;
      this.#valueBytes = null;
    }
    return this.#values;
  }

  set values(v) {
    this.#values = v;
    this.#valueBytes = null;
  }

  /** The stored bytes of the values while nothing read or replaced them, else null. */
  get untouchedValueBytes(): Uint8Array | null {
    return this.#values ? null : this.#valueBytes;
  }

  /** The stored bytes while no body field was read or written, else null. */
  get untouchedBytes(): Uint8Array | null {
    return this.#body ? null : this.#bytes;
  }

  #load(): FactsBody {
    if (!this.#body) {
      this.#body = deserialize(this.#bytes!) as FactsBody;
      this.#bytes = null;
    }
    return this.#body;
  }

  get ranges() { return this.#load().ranges; }
  set ranges(v) { this.#load().ranges = v; }
  get headings() { return this.#load().headings; }
  set headings(v) { this.#load().headings = v; }
  get links() { return this.#load().links; }
  set links(v) { this.#load().links = v; }
  get htmlAnchors() { return this.#load().htmlAnchors; }
  set htmlAnchors(v) { this.#load().htmlAnchors = v; }
  get lineLengths() { return this.#load().lineLengths; }
  set lineLengths(v) { this.#load().lineLengths = v; }
}

/** Facts from their head, value bytes and body bytes (see `split`). */
export function cachedFacts(head: FactsHead, valueBytes: Uint8Array, bytes: Uint8Array): DocumentFacts {
  return new CachedFacts(head, valueBytes, bytes);
}

/** A document's facts as head, value bytes and body bytes: the bytes they were read from when untouched. */
export function split(facts: DocumentFacts): { head: FactsHead; values: Uint8Array; body: Uint8Array } {
  if (facts instanceof CachedFacts) {
    const head: FactsHead = { file: facts.file, kind: facts.kind, format: facts.format, parsed: facts.parsed, id: facts.id, title: facts.title, bodyLine: facts.bodyLine };
    return { head, values: facts.untouchedValueBytes ?? serialize(facts.values), body: facts.untouchedBytes ?? bodyBytes(facts) };
  }
  const { ranges, headings, links, htmlAnchors, lineLengths, values, ...head } = facts;
  return { head, values: serialize(values), body: serialize({ ranges, headings, links, htmlAnchors, lineLengths } satisfies FactsBody) };
}

function bodyBytes(f: DocumentFacts): Uint8Array {
  return serialize({ ranges: f.ranges, headings: f.headings, links: f.links, htmlAnchors: f.htmlAnchors, lineLengths: f.lineLengths } satisfies FactsBody);
}
