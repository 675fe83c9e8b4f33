import { existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { parse as parseYaml } from "yaml";
import { splitFrontMatter } from "../facts/front-matter.js";
import { catBlobs } from "./tree-host.js";

/** One commit that touched a document. */
export interface Commit {
  hash: string;
  /** Author date as the author's calendar day (YYYY-MM-DD) and the full ISO timestamp. */
  date: string;
  timestamp: string;
  author: string;
  email: string;
  subject: string;
  /** How the commit touched the file, as git's --name-status letter: A added, M modified, R renamed (to this path), D deleted. */
  status: "A" | "M" | "R" | "D" | "T" | "C";
}

/**
 * Git facts about the governed files, read once per load with one `git log` over the whole
 * repository (never one per file) and one `git cat-file --batch` for the revisions of
 * modified files: each file's commits, newest first, following renames, and which of them
 * changed the document beyond review bookkeeping.
 */
export interface GitFacts {
  /** Commit of HEAD, for the site's manifest. */
  head: string | null;
  /** The work tree's top folder, and the policy root's path inside it (`""` or `governance/`). */
  toplevel: string;
  prefix: string;
  /**
   * The outermost checkout (the superproject's work tree when the policies are a
   * submodule), and the policy root's path inside it: GitHub and SARIF paths start there.
   */
  checkoutRoot: string;
  checkoutPrefix: string;
  /** True in a shallow clone: history is cut off, so `approval/stale` cannot be checked. */
  shallow: boolean;
  /** The folders the history covers, one a line: facts for other folders are not reused. */
  folders: string;
  history: ReadonlyMap<string, readonly Commit[]>;
  /** `<hash>:<path>` (the file's current path) for every commit that changed its `version`. */
  versionChanges: ReadonlySet<string>;
  /**
   * `<hash>:<path>` (the file's current path) for every commit that changed that file beyond
   * review bookkeeping (`last_reviewed`, `approved_on`, `approved_by`, `effective_date`,
   * `review_cycle_months`): recording a review is not a change to the approved text. The
   * front matter (or YAML record) of both revisions is parsed and compared key by key, and
   * a Markdown body is compared as text.
   */
  contentChanges: ReadonlySet<string>;
}

const RS = "\x1e";
const US = "\x1f";

/**
 * False only when git could not find a repository for `root`: no `.git` in it or in any
 * folder above it, and no GIT_DIR in the environment. Starting git to be told so costs a
 * process (about 40 ms of this thread to spawn, more to wait for), which a folder outside
 * git (an exported snapshot, a test corpus) then no longer pays.
 */
export function mayBeInGit(root: string): boolean {
  if (process.env.GIT_DIR) return true;
  for (let dir = root; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return true;
    if (dirname(dir) === dir) return false;
  }
}

/** A simple-git handle for `root`, or null when root is not inside a work tree (quietly: git is optional). */
export async function gitFor(root: string): Promise<SimpleGit | null> {
  if (!existsSync(root) || !mayBeInGit(root)) return null;
  try {
    const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 2, config: ["core.quotepath=false"] });
    const inside = await git.raw(["rev-parse", "--is-inside-work-tree"]);
    return inside.trim() === "true" ? git : null;
  } catch {
    return null;
  }
}

/**
 * Reads history for the governed folders; null outside git or in a repository without
 * commits. History depends only on HEAD (and the folders), so facts read earlier for the
 * same HEAD (`previous`, e.g. from the `--cache` file) are reused after one `git rev-parse`.
 * With `rev`, history is read as it was at that commit (for `--changed-since`).
 */
export async function readGitFacts(root: string, folders: readonly string[], previousFacts?: GitFacts | null | (() => GitFacts | null), rev = "HEAD"): Promise<GitFacts | null> {
  if (!existsSync(root) || !mayBeInGit(root)) return null;
  const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 2, config: ["core.quotepath=false"] });
  let where: string[];
  try {
    // One process answers all: inside a work tree? top folder, our prefix, shallow?, HEAD.
    where = (await git.raw(["rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix", "--is-shallow-repository", "--verify", "-q", `${rev}^{commit}`])).split("\n");
  } catch {
    return null;
  }
  if (where[0]?.trim() !== "true") return null;
  const toplevel = where[1]?.trim() ?? "";
  const prefix = where[2]?.trim() ?? "";
  const shallow = where[3]?.trim() === "true";
  const head = where[4]?.trim() ?? "";
  if (!/^[0-9a-f]{40,64}$/.test(head)) return null; // no commits yet
  const folderKey = folders.join("\n");
  const previous = typeof previousFacts === "function" ? previousFacts() : previousFacts;
  if (previous && previous.head === head && previous.toplevel === toplevel && previous.prefix === prefix && previous.shallow === shallow && previous.folders === folderKey && previous.checkoutRoot !== undefined) return previous;
  const { checkoutRoot, checkoutPrefix } = await outermostCheckout(toplevel, prefix);
  const log = await git.raw(["log", "-z", "--no-merges", "--relative", "-M", "--raw", "--no-abbrev", `--format=${RS}%H${US}%aI${US}%an${US}%ae${US}%s`, head, "--", ...folders]);
  const entries = parseLog(log);
  const blobs = await readBlobs(root, blobsToCompare(entries));
  return { head, toplevel, prefix, checkoutRoot, checkoutPrefix, shallow, folders: folderKey, ...classify(entries, blobs) };
}

/** The superproject's work tree when `toplevel` is a submodule (repeatedly), and our path inside it. */
async function outermostCheckout(toplevel: string, prefix: string): Promise<{ checkoutRoot: string; checkoutPrefix: string }> {
  let root = toplevel;
  let path = prefix;
  for (let depth = 0; depth < 10; depth++) {
    const sup = (await simpleGit({ baseDir: root }).raw(["rev-parse", "--show-superproject-working-tree"]).catch(() => "")).trim();
    if (!sup) break;
    const rel = relative(sup, root).split(sep).join("/");
    if (!rel || rel.startsWith("..")) break;
    path = `${rel}/${path}`;
    root = sup;
  }
  return { checkoutRoot: root, checkoutPrefix: path };
}

/** One file in one commit of `git log -z --raw`: blob ids before and after, status, paths. */
export interface LogEntry {
  commit: Omit<Commit, "status">;
  status: Commit["status"];
  oldBlob: string;
  newBlob: string;
  /** The path before (renames and copies) and after the commit. */
  from: string;
  path: string;
}

const ZERO = /^0+$/;

/** Parses `git log -z --raw --no-abbrev` (newest first). Paths arrive verbatim: never C-quoted. */
export function parseLog(log: string): LogEntry[][] {
  const out: LogEntry[][] = [];
  for (const block of log.split(RS)) {
    if (!block) continue;
    const fields = block.split("\0");
    const [hash, timestamp, author, email, subject] = fields[0]!.split(US) as [string, string, string, string, string];
    const commit = { hash, date: timestamp.slice(0, 10), timestamp, author, email, subject };
    const entries: LogEntry[] = [];
    for (let i = 1; i < fields.length; i++) {
      const meta = fields[i]!.replace(/^\n/, "");
      if (!meta.startsWith(":")) continue;
      const [, , oldBlob, newBlob, status] = meta.split(" ") as [string, string, string, string, string];
      const change = status.charAt(0) as Commit["status"];
      const from = fields[++i] ?? "";
      const path = change === "R" || change === "C" ? (fields[++i] ?? "") : from;
      entries.push({ commit, status: change, oldBlob, newBlob, from, path });
    }
    out.push(entries);
  }
  return out;
}

/**
 * Blobs to read: both sides of every modification, rename and copy, and, in a commit that
 * both adds and deletes files, those files too (a rename git did not recognise, e.g. a move
 * with a rewrite, is paired by the document's `id` so it cannot launder a change).
 */
function blobsToCompare(commits: LogEntry[][]): string[] {
  const out = new Set<string>();
  for (const entries of commits) {
    const adds = entries.some((e) => e.status === "A");
    const deletes = entries.some((e) => e.status === "D");
    for (const e of entries) {
      if (e.status === "M" || e.status === "R" || e.status === "C" || e.status === "T") {
        if (e.oldBlob !== e.newBlob) out.add(e.oldBlob).add(e.newBlob);
      } else if (adds && deletes && e.status === "A") out.add(e.newBlob);
      else if (adds && deletes && e.status === "D") out.add(e.oldBlob);
    }
  }
  for (const b of out) if (ZERO.test(b)) out.delete(b);
  return [...out];
}

/** Reads blobs as text with one `git cat-file --batch`; a blob git cannot give is left out. */
export async function readBlobs(root: string, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map([...(await catBlobs(root, ids))].map(([id, bytes]) => [id, bytes.toString("utf8")]));
}

const BOOKKEEPING = new Set(["last_reviewed", "approved_on", "approved_by", "effective_date", "review_cycle_months"]);

/** A revision's parts: its front matter (or YAML record) as text, and its Markdown body. */
interface Revision {
  /** Null when a Markdown file has no closed front matter: then the whole text is compared. */
  yaml: string | null;
  body: string;
}

function split(path: string, text: string): Revision {
  const normal = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!path.endsWith(".md")) return { yaml: normal, body: "" };
  const fm = splitFrontMatter(normal);
  if (fm.status !== "ok") return { yaml: null, body: normal };
  return { yaml: normal.slice(fm.yamlStart, fm.yamlEnd), body: normal.slice(fm.bodyStart) };
}

/** Parsed front matter or YAML record; null when it is not a mapping or does not parse. */
function values(yamlText: string): Record<string, unknown> | null {
  try {
    const v: unknown = parseYaml(yamlText, { maxAliasCount: 1000 });
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** How a file changed between two revisions: its `version`, and anything beyond review bookkeeping. */
export function compareRevisions(path: string, before: string, after: string): { version: boolean; content: boolean } {
  const a = split(path, before);
  const b = split(path, after);
  const bodyChanged = a.body !== b.body;
  if (a.yaml === b.yaml) return { version: false, content: bodyChanged }; // the common case: no YAML to parse
  const va = a.yaml === null ? null : values(a.yaml);
  const vb = b.yaml === null ? null : values(b.yaml);
  if (!va || !vb) return { version: false, content: true }; // not comparable key by key: any change counts
  const version = JSON.stringify(va.version) !== JSON.stringify(vb.version);
  let content = bodyChanged;
  for (const key of new Set([...Object.keys(va), ...Object.keys(vb)])) {
    if (content) break;
    if (!BOOKKEEPING.has(key) && JSON.stringify(va[key]) !== JSON.stringify(vb[key])) content = true;
  }
  return { version, content };
}

const idOf = (path: string, text: string | undefined): string | null => {
  if (text === undefined) return null;
  const yaml = split(path, text).yaml;
  const id = yaml === null ? undefined : values(yaml)?.id;
  return typeof id === "string" ? id : null;
};

/**
 * Walks the log newest first. Each file's history is kept under its current name, and so
 * is each commit's classification, so that a rename after a change does not hide it.
 */
export function classify(commits: LogEntry[][], blobs: ReadonlyMap<string, string>): Pick<GitFacts, "history" | "versionChanges" | "contentChanges"> {
  const history = new Map<string, Commit[]>();
  const versionChanges = new Set<string>();
  const contentChanges = new Set<string>();
  // While walking back in time, an old path's commits belong to the file's current name.
  const currentName = new Map<string, string>();
  for (const entries of commits) {
    // A deleted file and an added one with the same `id` in one commit: a move git did not pair.
    const deletedById = new Map<string, LogEntry>();
    for (const e of entries) if (e.status === "D") {
      const id = idOf(e.from, blobs.get(e.oldBlob));
      if (id) deletedById.set(id, e);
    }
    const paired = new Set<LogEntry>();
    const moves = entries.map((e): LogEntry => {
      if (e.status !== "A" || deletedById.size === 0) return e;
      const id = idOf(e.path, blobs.get(e.newBlob));
      const gone = id ? deletedById.get(id) : undefined;
      if (!gone || paired.has(gone)) return e;
      paired.add(gone);
      return { ...e, status: "R", from: gone.from, oldBlob: gone.oldBlob };
    });
    for (const e of moves) {
      if (paired.has(e)) continue;
      const name = currentName.get(e.path) ?? e.path;
      const list = history.get(name);
      const commit: Commit = { ...e.commit, status: e.status };
      if (list) list.push(commit);
      else history.set(name, [commit]);
      if (e.status !== "A" && e.status !== "D" && e.oldBlob !== e.newBlob) {
        const before = blobs.get(e.oldBlob);
        const after = blobs.get(e.newBlob);
        // A revision git could not give (a shallow boundary, a missing object) counts as a change.
        const change = before === undefined || after === undefined ? { version: false, content: true } : compareRevisions(e.path, before, after);
        if (change.version) versionChanges.add(`${e.commit.hash}:${name}`);
        if (change.content) contentChanges.add(`${e.commit.hash}:${name}`);
      }
      if (e.status === "R" && e.from !== e.path) currentName.set(e.from, name);
    }
  }
  return { history, versionChanges, contentChanges };
}

/**
 * Files changed since `ref` (committed, staged, unstaged and untracked), for
 * `--changed-since`, with the commit `ref` names and the policy root's path in the work
 * tree. Null outside git. Throws a plain Error, one line, when `ref` does not name a commit.
 */
export async function changedSince(root: string, ref: string): Promise<{ commit: string; prefix: string; changed: string[]; deleted: string[] } | null> {
  const git = await gitFor(root);
  if (!git) return null;
  // `--quiet` makes git exit 1 with no output, which simple-git does not always treat as a failure.
  const resolved = (await git.raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "")).trim();
  if (!/^[0-9a-f]{40,64}$/.test(resolved)) throw new Error(`unknown git ref \`${ref}\`; name a branch, tag or commit of this repository (fetch it first in a shallow or single-branch clone)`);
  // -z: names verbatim (`café.md` is not C-quoted); --no-renames: a rename is a deletion and an addition.
  const diff = await git.raw(["diff", "-z", "--relative", "--name-status", "--no-renames", resolved, "--"]);
  const untracked = await git.raw(["ls-files", "-z", "--others", "--exclude-standard"]);
  const changed = new Set<string>();
  const deleted: string[] = [];
  const fields = diff.split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i]!.trim();
    const path = fields[i + 1]!;
    if (!status || !path) continue;
    if (status.startsWith("D")) deleted.push(path);
    else changed.add(path);
  }
  for (const path of untracked.split("\0")) if (path) changed.add(path);
  const prefix = (await git.raw(["rev-parse", "--show-prefix"])).trim();
  return { commit: resolved, prefix, changed: [...changed].sort(), deleted: deleted.sort() };
}
