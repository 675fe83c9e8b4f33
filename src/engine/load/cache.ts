import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { GitFacts } from "../git/history.js";
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
 */
const MAGIC = "policyops-cache";
const FORMAT = 2;

interface Entry {
  kind: string;
  size: number;
  mtimeMs: number;
  hash: string;
  result: FileResult;
}

interface CacheFile {
  magic: string;
  format: number;
  engine: string;
  entries: Record<string, Entry>;
  git: GitFacts | null;
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

export class ParseCache {
  private readonly old: Record<string, Entry>;
  private next: Record<string, Entry> = {};
  private gitFacts: GitFacts | null;
  stats: CacheStats;

  /** @param engine identifies the build (version + source fingerprint): entries from another are never used */
  constructor(readonly file: string, readonly engine: string) {
    const data = ParseCache.read(file, engine);
    this.old = data?.entries ?? {};
    this.gitFacts = data?.git ?? null;
    this.stats = { hits: 0, misses: 0, file };
  }

  private static read(file: string, engine: string): CacheFile | null {
    try {
      const data = deserialize(readFileSync(file)) as CacheFile;
      if (data && data.magic === MAGIC && data.format === FORMAT && data.engine === engine && data.entries && typeof data.entries === "object") return data;
    } catch {
      // Corrupt, truncated or foreign: start afresh rather than trust it.
    }
    return null;
  }

  /** Git facts of the last run (reused by readGitFacts only if HEAD is the same). */
  get git(): GitFacts | null {
    return this.gitFacts;
  }

  set git(facts: GitFacts | null) {
    this.gitFacts = facts;
  }

  /** Wraps a parser: cache hits come back as they were, misses go to `parseMisses`. */
  parser(parseMisses: Parser): Parser {
    return async (root, files, host) => {
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
    const data: CacheFile = { magic: MAGIC, format: FORMAT, engine: this.engine, entries: this.next, git: this.gitFacts };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (existsSync(this.file) && statSync(this.file).isDirectory()) return;
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, serialize(data));
      renameSync(tmp, this.file);
    } catch {
      // not writable: nothing to remember
    }
  }
}
