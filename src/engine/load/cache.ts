import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { GitFacts } from "../git/history.js";
import type { RuleMemo, RuleMemoStore } from "../repo/workspace.js";
import type { Host } from "../host/host.js";
import type { Governed } from "./discover.js";
import { readAndParse } from "./load.js";
import { MAX_FILE_BYTES, type FileResult } from "./parse-file.js";

/**
 * A content-hash cache of parse results and git facts (`validate --cache`, like eslint's).
 *
 * Rule results are not cached: the cross-document phase always runs, so a config change
 * or an edit elsewhere is always honoured. A file's entry is reused when its size and
 * mtime are unchanged, or, failing that (a fresh checkout, a moved folder), when its
 * SHA-256 matches. Git facts are reused while HEAD has not moved. The cache is saved
 * after the rules ran, so positions computed for findings are kept for next time. A cache
 * written by another build, or one that does not parse, is ignored, never trusted.
 *
 * Layout: a base file with every entry, and a small delta file beside it with what
 * changed since (entries, removals, git facts). A run after one edit writes only the
 * delta; once the delta holds more than a tenth of the entries, the base is rewritten.
 */
const MAGIC = "policyops-cache";
const FORMAT = 2;

interface Entry {
  kind: string;
  size: number;
  mtimeMs: number;
  hash: string;
  result: FileResult;
  /** Rule results of the last run that checked this document, with what they depended on. */
  rules?: RuleMemo;
}

interface CacheFile {
  magic: string;
  format: number;
  engine: string;
  /** Random id of a base file; a delta names the base it applies to. */
  generation: string;
  entries: Record<string, Entry>;
  git: GitFacts | null;
}

interface DeltaFile extends CacheFile {
  removed: string[];
  /** True when `git` replaces the base's git facts. */
  gitChanged: boolean;
}

export interface CacheStats {
  hits: number;
  misses: number;
  file: string;
}

/** The folder SPEC §3 names: node_modules/.cache when the repo has node_modules, else .policyops-cache. */
export function defaultCacheFile(root: string): string {
  const base = existsSync(join(root, "node_modules")) ? join(root, "node_modules", ".cache", "policyops") : join(root, ".policyops-cache");
  return join(base, "cache.v8");
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

type Parser = (root: string, files: Governed[], host: Host) => Promise<FileResult[]>;

export class ParseCache implements RuleMemoStore {
  /** Entries as the base file has them (identity tells what changed since). */
  private base: Record<string, Entry> = {};
  private baseGit: GitFacts | null = null;
  private generation: string | null = null;
  private old: Record<string, Entry> = {};
  private next: Record<string, Entry> = {};
  private gitFacts: GitFacts | null = null;
  private loaded = false;
  stats: CacheStats;

  /**
   * @param engine identifies the build (version + source fingerprint): entries from another are never used.
   * The files are read on first use, so a caller can start other work (git) first.
   */
  constructor(readonly file: string, readonly engine: string) {
    this.stats = { hits: 0, misses: 0, file };
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const file = this.file;
    const engine = this.engine;
    const base = ParseCache.read<CacheFile>(file, engine);
    this.base = base?.entries ?? {};
    this.baseGit = base?.git ?? null;
    this.generation = base?.generation ?? null;
    this.old = { ...this.base };
    this.gitFacts = this.baseGit;
    const delta = base ? ParseCache.read<DeltaFile>(this.deltaFile, engine) : null;
    if (delta && delta.generation === base!.generation && Array.isArray(delta.removed)) {
      for (const f of delta.removed) delete this.old[f];
      Object.assign(this.old, delta.entries);
      if (delta.gitChanged) this.gitFacts = delta.git;
    }
  }

  private get deltaFile(): string {
    return this.file.replace(/(\.v8)?$/, ".delta$1");
  }

  private static read<T extends CacheFile>(file: string, engine: string): T | null {
    try {
      const data = deserialize(readFileSync(file)) as T;
      if (data && data.magic === MAGIC && data.format === FORMAT && data.engine === engine && data.entries && typeof data.entries === "object" && typeof data.generation === "string") return data;
    } catch {
      // Missing, corrupt, truncated or foreign: start afresh rather than trust it.
    }
    return null;
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
    const entry = this.next[file];
    return entry && this.hits.has(file) ? entry.rules : undefined;
  }

  set(file: string, memo: RuleMemo): void {
    const entry = this.next[file];
    if (entry) this.next[file] = { ...entry, rules: memo };
  }

  /** Files whose cached parse was used this run (their content is unchanged). */
  private readonly hits = new Set<string>();

  /** Wraps a parser: cache hits come back as they were, misses go to `parseMisses`. */
  parser(parseMisses: Parser): Parser {
    return async (root, files, host) => {
      this.load();
      const out = new Map<string, FileResult>();
      const misses: Governed[] = [];
      const meta = new Map<string, { size: number; mtimeMs: number; hash: string | null }>();
      for (const g of files) {
        const abs = join(root, g.file);
        const prev = this.old[g.file];
        let st: { size: number; mtimeMs: number };
        try {
          st = host.stat(abs);
        } catch {
          misses.push(g);
          continue;
        }
        if (prev && prev.kind === g.kind && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
          this.next[g.file] = prev;
          this.hits.add(g.file);
          out.set(g.file, prev.result);
          continue;
        }
        let hash: string | null = null;
        if (st.size <= MAX_FILE_BYTES) {
          try {
            hash = sha256(host.readFile(abs));
          } catch {
            hash = null;
          }
        }
        if (prev && hash && prev.kind === g.kind && prev.hash === hash) {
          this.next[g.file] = { ...prev, size: st.size, mtimeMs: st.mtimeMs };
          this.hits.add(g.file);
          out.set(g.file, prev.result);
          continue;
        }
        misses.push(g);
        meta.set(g.file, { ...st, hash });
      }
      for (const r of misses.length ? await parseMisses(root, misses, host) : []) {
        out.set(r.facts.file, r);
        const m = meta.get(r.facts.file);
        if (m?.hash) this.next[r.facts.file] = { kind: r.facts.kind, size: m.size, mtimeMs: m.mtimeMs, hash: m.hash, result: r };
      }
      this.stats = { hits: files.length - misses.length, misses: misses.length, file: this.file };
      return files.map((g) => out.get(g.file) ?? readAndParse(root, g, host));
    };
  }

  /**
   * Writes the cache atomically (a concurrent run sees the old file or the new, never
   * half). A read-only checkout still validates; it just cannot remember.
   */
  save(): void {
    this.load();
    const changed: Record<string, Entry> = {};
    let count = 0;
    for (const [f, e] of Object.entries(this.next)) if (this.base[f] !== e) (changed[f] = e), count++;
    const removed = Object.keys(this.base).filter((f) => !(f in this.next));
    const gitChanged = this.gitFacts !== this.baseGit;
    const total = Object.keys(this.next).length;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (existsSync(this.file) && statSync(this.file).isDirectory()) return;
      if (this.generation && count + removed.length <= Math.max(50, total / 10)) {
        if (count === 0 && removed.length === 0 && !gitChanged && !existsSync(this.deltaFile)) return;
        const delta: DeltaFile = { magic: MAGIC, format: FORMAT, engine: this.engine, generation: this.generation, entries: changed, removed, git: this.gitFacts, gitChanged };
        atomicWrite(this.deltaFile, serialize(delta));
        return;
      }
      const generation = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      atomicWrite(this.file, serialize({ magic: MAGIC, format: FORMAT, engine: this.engine, generation, entries: this.next, git: this.gitFacts } satisfies CacheFile));
      rmSync(this.deltaFile, { force: true });
    } catch {
      // not writable: nothing to remember
    }
  }
}

/** Writes through a temporary file and a rename: a concurrent reader sees old or new, never half. */
function atomicWrite(file: string, data: Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}
