import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { isInside, readBounded, realPathOf, realRootOf, resolveInside } from "./safe-path.js";
import { deserialize, serialize } from "node:v8";
import type { GitFacts } from "./git-history.js";
import type { RuleMemo, RuleMemoStore, StoreChanges } from "../workspace/workspace.js";
import { PairTable } from "./pair-table.js";
import type { Host } from "./host.js";
import type { Governed } from "../facts/discover.js";
import { readAndParse } from "../facts/read.js";
import { MAX_FILE_BYTES, type FileResult } from "../facts/parse-file.js";
import { kindDef, kinds } from "../model/kinds.js";
import type { DocumentFacts } from "../model/types.js";
import { cachedFacts, split, type FactsHead } from "./cached-facts.js";
import type { StatMany } from "./stat-helper.js";

/**
 * A content-hash cache of parse results and git facts (`validate --cache`, like eslint's).
 *
 * Rule results are kept per document with the signature of every lookup they made (see
 * workspace/rule-memo.ts): they are reused only when today, the config and every one of
 * those lookups still answer the same, so a config change or an edit elsewhere is always
 * honoured. The run context and each (lookup, signature) pair are stored once per file, in
 * tables the documents' entries number into. A document's facts are stored as a head (what
 * every run reads) and body bytes read only when asked for (cached-facts.ts). A file's entry is reused without reading the
 * file only when that is provably safe (git's racy-clean rule): size, mtime, ctime (ms) and
 * inode are all unchanged AND the recorded mtime and ctime were strictly older than the
 * moment the entry was taken, minus a margin for coarse file-system clocks, so an edit made
 * after the entry (even one that keeps the size and restores the mtime: `touch -r` still
 * moves the ctime) can never look unchanged. Otherwise (a fresh checkout, a moved folder, a
 * recent edit) the entry is reused only when the file's SHA-256 matches.
 *
 * A committed file must never change a result: every cache file is authenticated with an
 * HMAC-SHA256 keyed by a machine-local secret kept outside any repository
 * (`$XDG_CACHE_HOME/policyops/key`, else `~/.cache/policyops/key`, created 0600). A cache
 * that came with the repository (committed, or crafted in a pull request) fails the check
 * and is ignored before it is even deserialized; so is any cache when no key can be had.
 * The default cache file is refused if its real path leaves the repository (a committed
 * `.policyops-cache -> /elsewhere` symlink): nothing is read or written there. Git facts are reused while HEAD has not moved. The cache is saved
 * after the rules ran, so positions computed for findings are kept for next time. A cache
 * written by another build, or one that does not parse, is ignored, never trusted.
 *
 * Layout: a base file with every entry, and a small delta file beside it with what
 * changed since (entries, removals, git facts). A run after one edit writes only the
 * delta; once the delta holds more than a tenth of the entries, the base is rewritten.
 * An entry whose file was only stat'ed anew (a fresh checkout or copy: new inodes and
 * times, same content) goes into the delta as a row of numbers, not as a changed entry:
 * on the 10k corpus such a run rewrote the 11 MB base (~0.3 s) for nothing but times. The
 * rows stay in the delta (applying 10k of them costs a later run ~30 ms) until the base is
 * rewritten for a change of content: folding them in at once moved the 0.3 s to the next
 * run, the one after an edit.
 */
const MAGIC = "policyops-cache";
const FORMAT = 7;
/** The first bytes of a cache file, then a 32-byte HMAC, then the v8-serialized payload. */
const HEADER = Buffer.from("policyops-cache\n", "latin1");
const MAC_BYTES = 32;
/** A cache file larger than this is not ours (10k documents take a few tens of MB). */
const MAX_CACHE_BYTES = 1024 * 1024 * 1024;
/** Margin for coarse file-system timestamps and clock skew in the racy-clean rule. */
const RACY_MARGIN_MS = 2000;

interface Entry {
  kind: string;
  size: number;
  /** Milliseconds since the epoch, as fs.Stats gives them (a double: sub-microsecond steps). */
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  /** Wall-clock ms just before the stat above was taken. */
  statAt: number;
  hash: string;
  result: FileResult;
  /** Rule results of the last run that checked this document, with what they depended on. */
  rules?: RuleMemo;
}

/**
 * A file's entries as columns, one row per document in `files` order: a few typed arrays
 * and flat lists rather than some ten small objects per document, which is what decoding
 * the file cost a warm run (issue 14; v8.deserialize of 10k entries: ~25 ms as objects,
 * ~3 ms as columns). Rule results name their run context and each (lookup key, signature)
 * pair by number in the file's tables, so the long strings (the config, a framework's
 * controls) are written once per file rather than once per document.
 */
interface StoredEntries {
  files: string[];
  /** HEAD_WIDTH values a document: kind key, then its facts' head (file when it differs from the row's path, kind, format, parsed, id, title, bodyLine). */
  heads: unknown[];
  /** NUMBERS_WIDTH numbers a document: size, inode, statAt, mtime and ctime (ms), then offset and length of its values and of its body in `bodies`. */
  numbers: Float64Array;
  /** The SHA-256 of each document's content, 64 hex digits each, one after another. */
  hashes: string;
  /** Parse findings, of the documents that have any (by row). */
  findings: Map<number, FileResult["findings"]>;
  /** Each document's rule memo's context (a number in the tables), or -1 when it has none. */
  contexts: Int32Array;
  /** Rule findings, of the documents that have any (by row). */
  ruleFindings: Map<number, RuleMemo["findings"]>;
  /** Row i's lookups are `deps[depStarts[i]]` up to `deps[depStarts[i + 1]]`, numbers into the tables. */
  depStarts: Uint32Array;
  deps: Uint32Array;
}

const HEAD_WIDTH = 8;
const NUMBERS_WIDTH = 9;
const HASH_WIDTH = 64;

interface MemoTables {
  contexts: string[];
  /** Lookup keys and, at the same index, the signature the key had. */
  keys: string[];
  sigs: string[];
}

interface CacheFile {
  magic: string;
  format: number;
  engine: string;
  /** Random id of a base file; a delta names the base it applies to. */
  generation: string;
  entries: StoredEntries;
  memo: MemoTables;
  /** The facts' values and bodies (see cached-facts.ts), one after another. */
  bodies: Uint8Array;
  git: GitFacts | null;
  /** What `changes()` needs to trust the entries as the whole of their run (see RunState). */
  state: RunState;
}

/**
 * The run a file's entries are the state of: whether every document of that run has an
 * entry (a file too large to hash or that vanished mid-run has none), and the kinds it ran
 * with. Only then can the next run tell every change from the entries alone.
 */
interface RunState {
  complete: boolean;
  kinds: string;
}

interface DeltaFile extends CacheFile {
  removed: string[];
  /** True when `git` replaces the base's git facts. */
  gitChanged: boolean;
  /** Base entries whose content is unchanged but whose stat is new: their files, and their stats (STAT_WIDTH numbers each). */
  restat: { files: string[]; numbers: Float64Array };
}

type Stat = Pick<Entry, "size" | "ino" | "statAt" | "mtimeMs" | "ctimeMs">;
/** An entry's stat as STAT_WIDTH numbers: the start of its row in `StoredEntries.numbers`, and a restat row. */
const STAT_WIDTH = 5;
const statNumbers = (e: Stat): number[] => [e.size, e.ino, e.statAt, e.mtimeMs, e.ctimeMs];
const statFrom = (numbers: Float64Array, n: number): Stat => ({ size: numbers[n]!, ino: numbers[n + 1]!, statAt: numbers[n + 2]!, mtimeMs: numbers[n + 3]!, ctimeMs: numbers[n + 4]! });

export interface CacheStats {
  hits: number;
  misses: number;
  /** Files read to compare their content (their stat alone could not vouch for them). */
  hashed: number;
  /** Cache files (base, delta) this process had already read and decoded, so did not again (see decodedFiles). */
  remembered: number;
  file: string;
}

/** The folder SPEC §3 names: node_modules/.cache when the repo has node_modules, else .policyops-cache. */
export function defaultCacheFile(root: string): string {
  const base = existsSync(join(root, "node_modules")) ? join(root, "node_modules", ".cache", "policyops") : join(root, ".policyops-cache");
  return join(base, "cache.v8");
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * What a cached parse depends on besides the bytes: the kind, and for a repository's own
 * kind its schema too (the build id covers the built-in ones), so editing
 * `kinds/<kind>.schema.json` re-parses that kind's files.
 */
const kindSchemaKeys = new WeakMap<object, string>();
function kindKey(kind: string): string {
  const def = kindDef(kind);
  if (!def || def.builtin) return kind;
  let key = kindSchemaKeys.get(def.schema);
  if (!key) kindSchemaKeys.set(def.schema, (key = `${kind}@${createHash("sha256").update(JSON.stringify(def.schema)).digest("hex").slice(0, 16)}`));
  return key;
}

/** Where the machine-local cache key lives: never inside a repository. */
export function defaultKeyFile(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache");
  return join(base, "policyops", "key");
}

/**
 * The machine-local secret that authenticates cache files, created (0600, in a 0700 folder)
 * on first use. Null when it cannot be had, is not a plain 32-byte file, or lies inside the
 * repository: the cache is then simply not used.
 */
export function machineKey(keyFile = defaultKeyFile(), root?: string): Buffer | null {
  try {
    if (root && isInside(realRootOf(root), realPathOf(keyFile).real)) return null;
    if (!existsSync(keyFile)) {
      mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
      try {
        const fd = openSync(keyFile, "wx", 0o600);
        try {
          writeSync(fd, randomBytes(MAC_BYTES));
        } finally {
          closeSync(fd);
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") return null; // another run made it first
      }
    }
    const key = Buffer.from(readBounded(keyFile, 4096));
    return key.length === MAC_BYTES ? key : null;
  } catch {
    return null;
  }
}

function mac(key: Buffer, payload: Uint8Array): Buffer {
  return createHmac("sha256", key).update(HEADER).update(payload).digest();
}

/** Header + HMAC + payload. */
function seal(key: Buffer, payload: Uint8Array): Buffer {
  return Buffer.concat([HEADER, mac(key, payload), payload]);
}

/** The payload of a sealed file, or null when the header or the HMAC does not match. */
function open(key: Buffer, data: Uint8Array): Uint8Array | null {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < HEADER.length + MAC_BYTES || !buf.subarray(0, HEADER.length).equals(HEADER)) return null;
  const given = buf.subarray(HEADER.length, HEADER.length + MAC_BYTES);
  const payload = buf.subarray(HEADER.length + MAC_BYTES);
  return timingSafeEqual(given, mac(key, payload)) ? payload : null;
}

export interface CacheOptions {
  /** The repository root: the cache file must then stay inside it (by real path) to be used. */
  root?: string;
  /** The machine-local key file (default `defaultKeyFile()`). */
  keyFile?: string;
  /** Stats the governed files all at once (a resident process's StatHelper), when the host reads the real disk. */
  statMany?: StatMany;
}

type Parser = (root: string, files: Governed[], host: Host) => Promise<FileResult[]>;

/**
 * Cache files this process has authenticated and decoded, by path, with the identity of the
 * file read (device, inode, size, modification and change times). A process that lives
 * across runs (`policyops daemon`) reads the same base file run after run; while the path
 * still names that very file (a rewrite is a rename: a new inode and change time, which no
 * writer can set back), its contents are known and neither read, authenticated nor decoded
 * again. Nothing that reads entries changes them: each run builds its own maps from them.
 */
const decodedFiles = new Map<string, { identity: string; engine: string; key: Buffer; data: CacheFile; entries?: Map<string, Entry> }>();
/** Repositories a resident process keeps decoded at once (the least recently used go first). */
const KEEP_DECODED = 4;

/** Records `known` as the most recently used (last: the map is trimmed from the front). */
function remember(file: string, known: { identity: string; engine: string; key: Buffer; data: CacheFile; entries?: Map<string, Entry> }): void {
  decodedFiles.delete(file);
  decodedFiles.set(file, known);
  while (decodedFiles.size > KEEP_DECODED) decodedFiles.delete(decodedFiles.keys().next().value!);
}

const identityOf = (st: { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number }): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

export class ParseCache implements RuleMemoStore {
  /** Entries as the base file has them (identity tells what changed since). */
  // Maps, not records: a cache file's paths are not internalized strings, and a keyed
  // property read hashes them again each time (10k documents: tens of ms a warm run).
  private base = new Map<string, Entry>();
  private baseGit: GitFacts | null = null;
  private generation: string | null = null;
  private old = new Map<string, Entry>();
  private next = new Map<string, Entry>();
  private gitFacts: GitFacts | null = null;
  /** The stored run's state (see RunState), and this run's. */
  private previous: RunState | null = null;
  private current: RunState | null = null;
  private loaded = false;
  /** The HMAC key, or null: then the cache is neither read nor written. */
  private key: Buffer | null = null;
  /** Cache files taken from decodedFiles rather than read. */
  private remembered = 0;
  stats: CacheStats;

  /**
   * @param engine identifies the build (version + source fingerprint): entries from another are never used.
   * The files are read on first use, so a caller can start other work (git) first.
   */
  constructor(
    readonly file: string,
    readonly engine: string,
    private readonly options: CacheOptions = {},
  ) {
    this.stats = { hits: 0, misses: 0, hashed: 0, remembered: 0, file };
  }

  /** True when the cache file and its delta stay inside the repository (when one is given). */
  private placeIsSafe(): boolean {
    const root = this.options.root;
    if (!root) return true;
    const realRoot = realRootOf(root);
    for (const f of [this.file, this.deltaFile]) {
      const r = resolveInside(root, f, realRoot);
      if (!r.ok) return false;
    }
    return true;
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    this.key = this.placeIsSafe() ? machineKey(this.options.keyFile, this.options.root) : null;
    const file = this.file;
    const engine = this.engine;
    const base = this.read<CacheFile>(file, engine);
    this.base = base ? this.entriesOf(file, base) : new Map();
    this.baseGit = base?.git ?? null;
    this.generation = base?.generation ?? null;
    this.previous = base?.state ?? null;
    this.old = new Map(this.base);
    this.gitFacts = this.baseGit;
    const delta = base ? this.read<DeltaFile>(this.deltaFile, engine) : null;
    if (delta && delta.generation === base!.generation && Array.isArray(delta.removed) && validRestat(delta.restat)) {
      for (const f of delta.removed) this.old.delete(f);
      for (const [f, e] of fromStored(delta)) this.old.set(f, e);
      const { files, numbers } = delta.restat;
      for (let i = 0; i < files.length; i++) {
        const b = this.base.get(files[i]!);
        if (b) this.old.set(files[i]!, { ...b, ...statFrom(numbers, i * STAT_WIDTH) });
      }
      if (delta.gitChanged) this.gitFacts = delta.git;
      this.previous = delta.state;
    }
  }

  private get deltaFile(): string {
    return this.file.replace(/(\.v8)?$/, ".delta$1");
  }

  private read<T extends CacheFile>(file: string, engine: string): T | null {
    const key = this.key;
    if (!key) return null;
    try {
      const known = decodedFiles.get(file);
      if (known && known.engine === engine && known.key.equals(key) && known.identity === identityOf(statSync(file))) {
        remember(file, known);
        this.remembered++;
        return known.data as T;
      }
      let identity = "";
      // Authenticated before it is deserialized: a file this machine did not write is never parsed.
      const payload = open(key, readBounded(file, MAX_CACHE_BYTES, (st) => (identity = identityOf(st))));
      if (!payload) return null;
      const data = deserialize(payload) as T;
      if (data && data.magic === MAGIC && data.format === FORMAT && data.engine === engine && typeof data.generation === "string" && validTables(data.memo) && data.bodies instanceof Uint8Array && validState(data.state) && validEntries(data.entries, data.memo)) {
        remember(file, { identity, engine, key, data });
        return data;
      }
    } catch {
      // Missing, corrupt, truncated or foreign: start afresh rather than trust it.
    }
    return null;
  }

  /** A base file's entries, decoded once per file this process read (see decodedFiles). */
  private entriesOf(file: string, data: CacheFile): Map<string, Entry> {
    const known = decodedFiles.get(file);
    if (known?.data !== data) return fromStored(data);
    return (known.entries ??= fromStored(data));
  }

  /** Git facts of the last run (reused by readGitFacts only if HEAD is the same). */
  get git(): GitFacts | null {
    this.load();
    return this.gitFacts;
  }

  set git(facts: GitFacts | null) {
    this.load();
    this.gitFacts = facts;
  }

  /** Earlier rule results of a document whose content this run found unchanged. */
  get(file: string): RuleMemo | undefined {
    const entry = this.next.get(file);
    return entry && this.hits.has(file) ? entry.rules : undefined;
  }

  set(file: string, memo: RuleMemo): void {
    const entry = this.next.get(file);
    if (entry) this.next.set(file, { ...entry, rules: memo });
  }

  /** Files whose cached parse was used this run (their content is unchanged). */
  private readonly hits = new Set<string>();
  /** The governed files of this run, as the parser was given them. */
  private runFiles: string[] | null = null;

  /**
   * The documents changed, added or removed since the stored run, with their stored facts:
   * only when the stored entries were the whole of that run and the kinds are the same.
   */
  changes(): StoreChanges | null {
    const previous = this.previous;
    const current = this.current;
    if (!previous || !current || !this.runFiles || !previous.complete || previous.kinds !== current.kinds) return null;
    const files = new Set<string>();
    const before: DocumentFacts[] = [];
    const seen = new Set(this.runFiles);
    for (const file of this.runFiles) if (!this.hits.has(file)) files.add(file);
    for (const file of this.old.keys()) if (!seen.has(file)) files.add(file);
    for (const file of files) {
      const prev = this.old.get(file);
      if (prev) before.push(prev.result.facts);
    }
    return { files, before };
  }

  /** Wraps a parser: cache hits come back as they were, misses go to `parseMisses`. */
  parser(parseMisses: Parser): Parser {
    return async (root, files, host) => {
      this.load();
      // By position in `files`: a hit's result goes straight in, with no map of 10k paths to hash.
      const out: (FileResult | undefined)[] = new Array(files.length);
      const misses: Governed[] = [];
      const missAt = new Map<string, number>();
      const meta = new Map<string, Omit<Entry, "kind" | "result" | "rules">>();
      // The kinds cannot change within one call: each kind's key is looked up once, not once a file.
      const keys = new Map<string, string>();
      const keyOf = (kind: string) => {
        let key = keys.get(kind);
        if (key === undefined) keys.set(kind, (key = kindKey(kind)));
        return key;
      };
      let hashed = 0;
      // All at once when a StatMany is given (on two threads): each entry then records the
      // moment before the whole batch, which only makes the racy-clean rule stricter.
      const batchAt = Date.now();
      const paths = files.map((g) => join(root, g.file));
      const batch = this.options.statMany && host.disk ? await this.options.statMany(paths) : null;
      for (let i = 0; i < files.length; i++) {
        const g = files[i]!;
        const abs = paths[i]!;
        const prev = this.old.get(g.file);
        const statAt = batch ? batchAt : Date.now();
        let st: { size: number; mtimeMs: number; ctimeMs: number; ino: number } | null;
        try {
          st = batch ? batch[i]! : host.stat(abs);
        } catch {
          st = null;
        }
        if (!st) {
          missAt.set(g.file, i);
          misses.push(g);
          continue;
        }
        if (prev && prev.kind === keyOf(g.kind) && unchangedSince(prev, st)) {
          this.next.set(g.file, prev);
          this.hits.add(g.file);
          out[i] = prev.result;
          continue;
        }
        let hash: string | null = null;
        if (st.size <= MAX_FILE_BYTES) {
          try {
            hashed++;
            hash = sha256(host.readFile(abs, MAX_FILE_BYTES));
          } catch {
            hash = null;
          }
        }
        const seen = { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, statAt };
        if (prev && hash && prev.kind === keyOf(g.kind) && prev.hash === hash) {
          this.next.set(g.file, { ...prev, ...seen });
          this.hits.add(g.file);
          out[i] = prev.result;
          continue;
        }
        missAt.set(g.file, i);
        misses.push(g);
        if (hash) meta.set(g.file, { ...seen, hash });
      }
      for (const r of misses.length ? await parseMisses(root, misses, host) : []) {
        const at = missAt.get(r.facts.file);
        if (at !== undefined) out[at] = r;
        const m = meta.get(r.facts.file);
        if (m) this.next.set(r.facts.file, { kind: kindKey(r.facts.kind), ...m, result: r });
      }
      this.stats = { hits: files.length - misses.length, misses: misses.length, hashed, remembered: this.remembered, file: this.file };
      // Every hit is in `next`; whether the run's entries are the whole of it turns on the misses.
      this.current = { complete: misses.every((g) => this.next.has(g.file)), kinds: kindsFingerprint() };
      this.runFiles = files.map((g) => g.file);
      return files.map((g, i) => out[i] ?? readAndParse(root, g, host));
    };
  }

  /**
   * Writes the cache atomically (a concurrent run sees the old file or the new, never
   * half). A read-only checkout still validates; it just cannot remember.
   */
  save(): void {
    this.load();
    const key = this.key;
    if (!key || !this.placeIsSafe()) return;
    const changed = new Map<string, Entry>();
    const restat: { files: string[]; numbers: number[] } = { files: [], numbers: [] };
    for (const [f, e] of this.next) {
      const b = this.base.get(f);
      if (b === e) continue;
      // Same content and results as the base's entry, a new stat: a row of numbers will do.
      if (b && b.result === e.result && b.rules === e.rules && b.hash === e.hash && b.kind === e.kind) {
        restat.files.push(f);
        restat.numbers.push(...statNumbers(e));
      } else changed.set(f, e);
    }
    const count = changed.size;
    const removed = [...this.base.keys()].filter((f) => !this.next.has(f));
    const gitChanged = this.gitFacts !== this.baseGit;
    const total = this.next.size;
    // A run whose parser never ran (nothing governed was asked for) vouches for nothing.
    const state: RunState = this.current ?? { complete: false, kinds: "" };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (existsSync(this.file) && statSync(this.file).isDirectory()) return;
      if (this.generation && count + removed.length <= Math.max(50, total / 10)) {
        if (count === 0 && removed.length === 0 && restat.files.length === 0 && !gitChanged && !existsSync(this.deltaFile)) return;
        const delta: DeltaFile = { magic: MAGIC, format: FORMAT, engine: this.engine, generation: this.generation, ...toStored(changed), removed, git: this.gitFacts, gitChanged, state, restat: { files: restat.files, numbers: Float64Array.from(restat.numbers) } };
        atomicWrite(this.deltaFile, seal(key, serialize(delta)));
        return;
      }
      const generation = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      atomicWrite(this.file, seal(key, serialize({ magic: MAGIC, format: FORMAT, engine: this.engine, generation, ...toStored(this.next), git: this.gitFacts, state } satisfies CacheFile)));
      rmSync(this.deltaFile, { force: true });
    } catch {
      // not writable: nothing to remember
    }
  }
}

const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === "string");

function validRestat(r: DeltaFile["restat"] | undefined): boolean {
  return !!r && isStrings(r.files) && r.numbers instanceof Float64Array && r.numbers.length === r.files.length * STAT_WIDTH;
}

/** A byte range that lies inside a buffer of `size` bytes. */
const inside = (at: number, length: number, size: number): boolean => at >= 0 && length >= 0 && at + length <= size;

/** Columns of one length each, lookups that name pairs the tables have, and hashes of the right width. */
function validEntries(e: StoredEntries | undefined, memo: MemoTables): boolean {
  if (!e || !isStrings(e.files)) return false;
  const n = e.files.length;
  if (!Array.isArray(e.heads) || e.heads.length !== n * HEAD_WIDTH || !(e.numbers instanceof Float64Array) || e.numbers.length !== n * NUMBERS_WIDTH) return false;
  if (typeof e.hashes !== "string" || e.hashes.length !== n * HASH_WIDTH) return false;
  if (!(e.findings instanceof Map) || !(e.ruleFindings instanceof Map) || !(e.contexts instanceof Int32Array) || e.contexts.length !== n) return false;
  if (!(e.depStarts instanceof Uint32Array) || e.depStarts.length !== n + 1 || !(e.deps instanceof Uint32Array) || e.depStarts[n] !== e.deps.length) return false;
  for (let i = 0; i < n; i++) if (e.depStarts[i]! > e.depStarts[i + 1]!) return false;
  for (const id of e.deps) if (id >= memo.keys.length) return false;
  return true;
}

function validState(s: RunState | undefined): boolean {
  return !!s && typeof s.complete === "boolean" && typeof s.kinds === "string";
}

/** The kinds in force, each with its schema's digest when it is the repository's own (see kindKey). */
function kindsFingerprint(): string {
  return kinds().names().map(kindKey).join(" ");
}

function validTables(t: MemoTables | undefined): boolean {
  return !!t && isStrings(t.contexts) && isStrings(t.keys) && isStrings(t.sigs) && t.keys.length === t.sigs.length;
}

/** A file's entries as this run uses them: each rule memo kept as numbers into the file's tables (see StoredMemo). */
function fromStored(data: CacheFile): Map<string, Entry> {
  const { contexts, keys, sigs } = data.memo;
  const table = new PairTable(keys, sigs);
  const bodies = data.bodies;
  const e = data.entries;
  const out = new Map<string, Entry>();
  for (let i = 0; i < e.files.length; i++) {
    const file = e.files[i]!;
    const h = i * HEAD_WIDTH;
    const n = i * NUMBERS_WIDTH;
    const [valuesAt, valuesLength, bodyAt, bodyLength] = [e.numbers[n + STAT_WIDTH]!, e.numbers[n + STAT_WIDTH + 1]!, e.numbers[n + STAT_WIDTH + 2]!, e.numbers[n + STAT_WIDTH + 3]!];
    if (!inside(valuesAt, valuesLength, bodies.length) || !inside(bodyAt, bodyLength, bodies.length)) continue;
    const head = { file: (e.heads[h + 1] as string | null) ?? file, kind: e.heads[h + 2], format: e.heads[h + 3], parsed: e.heads[h + 4], id: e.heads[h + 5], title: e.heads[h + 6], bodyLine: e.heads[h + 7] } as FactsHead;
    const entry: Entry = {
      kind: e.heads[h] as string, ...statFrom(e.numbers, n), hash: e.hashes.slice(i * HASH_WIDTH, (i + 1) * HASH_WIDTH),
      result: { facts: cachedFacts(head, bodies.subarray(valuesAt, valuesAt + valuesLength), bodies.subarray(bodyAt, bodyAt + bodyLength)), findings: e.findings.get(i) ?? [] },
    };
    const context = e.contexts[i]!;
    if (context >= 0 && context < contexts.length) entry.rules = new StoredMemo(contexts[context]!, e.ruleFindings.get(i) ?? [], table, e.deps.subarray(e.depStarts[i], e.depStarts[i + 1]));
    out.set(file, entry);
  }
  return out;
}

/**
 * A rule memo as a cache file numbers it: its lookups stay numbers into the file's pair
 * table (checked once per pair a run, see PairTable), spelt out as strings only if asked.
 */
class StoredMemo implements RuleMemo {
  readonly pairs: { table: PairTable; ids: Uint32Array };

  constructor(
    readonly context: string,
    readonly findings: RuleMemo["findings"],
    table: PairTable,
    ids: Uint32Array,
  ) {
    this.pairs = { table, ids };
  }

  get deps(): string[] {
    return Array.from(this.pairs.ids, (i) => this.pairs.table.keys[i]!);
  }

  get sigs(): string[] {
    return Array.from(this.pairs.ids, (i) => this.pairs.table.sigs[i]!);
  }
}

/** Entries as a cache file holds them (columns), with the tables their rule memos are numbered in and their facts' values and bodies. */
function toStored(entries: ReadonlyMap<string, Entry>): { entries: StoredEntries; memo: MemoTables; bodies: Uint8Array } {
  const memo: MemoTables = { contexts: [], keys: [], sigs: [] };
  const contextIds = new Map<string, number>();
  const pairIds = new Map<string, Map<string, number>>();
  const pairId = (key: string, sig: string): number => {
    let bySig = pairIds.get(key);
    if (!bySig) pairIds.set(key, (bySig = new Map()));
    let id = bySig.get(sig);
    if (id === undefined) {
      bySig.set(sig, (id = memo.keys.length));
      memo.keys.push(key);
      memo.sigs.push(sig);
    }
    return id;
  };
  const count = entries.size;
  const out: StoredEntries = {
    files: [], heads: [], numbers: new Float64Array(count * NUMBERS_WIDTH), hashes: "",
    findings: new Map(), contexts: new Int32Array(count).fill(-1), ruleFindings: new Map(), depStarts: new Uint32Array(count + 1), deps: new Uint32Array(0),
  };
  const hashes: string[] = [];
  const deps: number[] = [];
  const pieces: Uint8Array[] = [];
  let offset = 0;
  let i = 0;
  for (const [file, entry] of entries) {
    const { rules, result } = entry;
    const { head, values, body } = split(result.facts);
    pieces.push(values, body);
    out.files.push(file);
    out.heads.push(entry.kind, head.file === file ? null : head.file, head.kind, head.format, head.parsed, head.id, head.title, head.bodyLine);
    out.numbers.set([...statNumbers(entry), offset, values.length, offset + values.length, body.length], i * NUMBERS_WIDTH);
    offset += values.length + body.length;
    hashes.push(entry.hash);
    if (result.findings.length) out.findings.set(i, result.findings);
    if (rules) {
      let context = contextIds.get(rules.context);
      if (context === undefined) {
        contextIds.set(rules.context, (context = memo.contexts.length));
        memo.contexts.push(rules.context);
      }
      out.contexts[i] = context;
      if (rules.findings.length) out.ruleFindings.set(i, rules.findings);
      const { deps: keys, sigs } = rules;
      for (let k = 0; k < keys.length; k++) deps.push(pairId(keys[k]!, sigs[k]!));
    }
    out.depStarts[++i] = deps.length;
  }
  out.hashes = hashes.join("");
  out.deps = Uint32Array.from(deps);
  return { entries: out, memo, bodies: Buffer.concat(pieces, offset) };
}

/**
 * Git's racy-clean rule: the stat may stand for the content only when it is identical and
 * was already in the past when the entry was taken. A file modified in the same clock tick
 * as the entry (or whose mtime was put back) is hashed instead.
 */
function unchangedSince(prev: Entry, st: { size: number; mtimeMs: number; ctimeMs: number; ino: number }): boolean {
  if (typeof prev.statAt !== "number" || prev.size !== st.size || prev.mtimeMs !== st.mtimeMs || prev.ctimeMs !== st.ctimeMs || prev.ino !== st.ino) return false;
  // Millisecond doubles (steps under a microsecond) are exact enough: an edit after the
  // entry moves the ctime past statAt, which is RACY_MARGIN_MS beyond the recorded ctime.
  const limit = prev.statAt - RACY_MARGIN_MS;
  return st.mtimeMs < limit && st.ctimeMs < limit;
}

/** Writes through a temporary file and a rename: a concurrent reader sees old or new, never half. */
function atomicWrite(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
