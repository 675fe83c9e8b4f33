import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { deserialize, serialize } from "node:v8";
import type { Host } from "../host/host.js";
import type { Governed } from "./discover.js";
import { readAndParse } from "./load.js";
import { MAX_FILE_BYTES, type FileResult } from "./parse-file.js";

/**
 * A content-hash cache of parse results (like eslint's `--cache`). Rule results are not
 * cached: the cross-document phase always runs, so a config change or an edit elsewhere
 * is always honoured. An entry is reused when the file's size and mtime are unchanged,
 * or, failing that (a fresh checkout, a moved folder), when its content hash matches.
 * A cache written by another version, or that does not parse, is ignored.
 */
const MAGIC = "policyops-parse-cache";
const FORMAT = 1;

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
}

export interface CacheStats {
  hits: number;
  misses: number;
  file: string;
}

/** The folder SPEC §3 names: node_modules/.cache when the repo has node_modules, else .policyops-cache. */
export function defaultCacheFile(root: string): string {
  const base = existsSync(join(root, "node_modules")) ? join(root, "node_modules", ".cache", "policyops") : join(root, ".policyops-cache");
  return join(base, "parse-cache.v8");
}

function readCache(file: string, engine: string): Record<string, Entry> {
  try {
    const data = deserialize(readFileSync(file)) as CacheFile;
    if (data && data.magic === MAGIC && data.format === FORMAT && data.engine === engine && data.entries && typeof data.entries === "object") return data.entries;
  } catch {
    // Corrupt, truncated or foreign: start afresh rather than trust it.
  }
  return {};
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Wraps a parser with the cache. `engine` identifies the tool version (and anything else
 * that changes parse results); entries from another engine are never used.
 */
export function cachedParser(
  cacheFile: string,
  engine: string,
  parseMisses: (root: string, files: Governed[], host: Host) => Promise<FileResult[]>,
  onStats?: (s: CacheStats) => void,
) {
  return async (root: string, files: Governed[], host: Host): Promise<FileResult[]> => {
    const old = readCache(cacheFile, engine);
    const next: Record<string, Entry> = {};
    const out = new Map<string, FileResult>();
    const misses: Governed[] = [];
    const missMeta = new Map<string, { size: number; mtimeMs: number; hash: string | null }>();
    let changed = false;
    for (const g of files) {
      const abs = join(root, g.file);
      const prev = old[g.file];
      let st: { size: number; mtimeMs: number };
      try {
        st = host.stat(abs);
      } catch {
        misses.push(g);
        continue;
      }
      if (prev && prev.kind === g.kind && prev.size === st.size && prev.mtimeMs === st.mtimeMs) {
        next[g.file] = prev;
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
        next[g.file] = { ...prev, size: st.size, mtimeMs: st.mtimeMs };
        out.set(g.file, prev.result);
        changed = true;
        continue;
      }
      misses.push(g);
      missMeta.set(g.file, { ...st, hash });
    }
    const parsed = misses.length ? await parseMisses(root, misses, host) : [];
    for (const r of parsed) {
      out.set(r.facts.file, r);
      const meta = missMeta.get(r.facts.file);
      if (meta?.hash) next[r.facts.file] = { kind: r.facts.kind, size: meta.size, mtimeMs: meta.mtimeMs, hash: meta.hash, result: r };
      changed = true;
    }
    if (changed || Object.keys(old).length !== Object.keys(next).length) writeCache(cacheFile, { magic: MAGIC, format: FORMAT, engine, entries: next });
    onStats?.({ hits: files.length - misses.length, misses: misses.length, file: cacheFile });
    return files.map((g) => out.get(g.file) ?? readAndParse(root, g, host));
  };
}

function writeCache(file: string, data: CacheFile): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file) && statSync(file).isDirectory()) return;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(data));
    renameSync(tmp, file); // atomic: a concurrent run sees the old cache or the new, never half
  } catch {
    // A read-only checkout still validates; it just cannot remember.
  }
}
