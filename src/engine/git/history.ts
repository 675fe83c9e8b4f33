import { existsSync } from "node:fs";
import { simpleGit, type SimpleGit } from "simple-git";

/** One commit that touched a document. */
export interface Commit {
  hash: string;
  /** Author date as the author's calendar day (YYYY-MM-DD) and the full ISO timestamp. */
  date: string;
  timestamp: string;
  author: string;
  email: string;
  subject: string;
  /** How the commit touched the file: A added, M modified, R renamed (to this path), D deleted. */
  change: "A" | "M" | "R" | "D" | "T" | "C";
}

/**
 * Git facts about the governed files, read once per load with two `git log` calls over
 * the whole repository (never one per file): each file's commits, newest first, following
 * renames; and which commits changed a document's `version:` line.
 */
export interface GitFacts {
  /** Commit of HEAD, for the site's manifest. */
  head: string | null;
  /** The work tree's top folder, and the policy root's path inside it (`""` or `governance/`). */
  toplevel: string;
  prefix: string;
  /** The folders the history covers, one a line: facts for other folders are not reused. */
  folders: string;
  history: ReadonlyMap<string, readonly Commit[]>;
  /** `<hash>:<path>` for every commit whose diff of that file adds or removes a `version:` line. */
  versionChanges: ReadonlySet<string>;
  /**
   * `<hash>:<path>` for every commit that changed that file beyond review bookkeeping
   * (`last_reviewed`, `approved_on`, `approved_by`, `effective_date`, `review_cycle_months`,
   * `version`): recording a review is not a change to the approved text.
   */
  contentChanges: ReadonlySet<string>;
}

const RS = "\x1e";
const US = "\x1f";

/** A simple-git handle for `root`, or null when root is not inside a work tree (quietly: git is optional). */
export async function gitFor(root: string): Promise<SimpleGit | null> {
  if (!existsSync(root)) return null;
  try {
    const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 2 });
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
 */
export async function readGitFacts(root: string, folders: readonly string[], previousFacts?: GitFacts | null | (() => GitFacts | null)): Promise<GitFacts | null> {
  if (!existsSync(root)) return null;
  const git = simpleGit({ baseDir: root, maxConcurrentProcesses: 2 });
  let where: string[];
  try {
    // One process answers all four: inside a work tree? top folder, our prefix, HEAD.
    where = (await git.raw(["rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix", "--verify", "-q", "HEAD"])).split("\n");
  } catch {
    return null;
  }
  if (where[0]?.trim() !== "true") return null;
  const toplevel = where[1]?.trim() ?? "";
  const prefix = where[2]?.trim() ?? "";
  const head = where[3]?.trim() ?? "";
  if (!/^[0-9a-f]{40,64}$/.test(head)) return null; // no commits yet
  const folderKey = folders.join("\n");
  const previous = typeof previousFacts === "function" ? previousFacts() : previousFacts;
  if (previous && previous.head === head && previous.toplevel === toplevel && previous.prefix === prefix && previous.folders === folderKey) return previous;
  const spec = ["--", ...folders];
  const log = await git.raw(["log", "--no-merges", "--relative", "-M", "--name-status", `--format=${RS}%H${US}%aI${US}%an${US}%ae${US}%s`, ...spec]);
  const patches = await git.raw(["log", "--no-merges", "--relative", "-M", "-p", "--unified=0", "--no-color", "--no-ext-diff", `--format=${RS}%H`, ...spec]);
  return { head, toplevel, prefix, folders: folderKey, history: parseHistory(log), ...parseChanges(patches) };
}

/** Parses `git log --name-status` newest first, carrying each file's history across renames. */
export function parseHistory(log: string): Map<string, Commit[]> {
  const history = new Map<string, Commit[]>();
  // While walking back in time, an old path's commits belong to the file's current name.
  const currentName = new Map<string, string>();
  for (const block of log.split(RS)) {
    if (!block.trim()) continue;
    const [header, ...lines] = block.split("\n");
    const [hash, timestamp, author, email, subject] = header!.split(US) as [string, string, string, string, string];
    for (const line of lines) {
      if (!line.trim()) continue;
      const parts = line.split("\t");
      const status = parts[0]!.charAt(0) as Commit["change"];
      const path = parts[parts.length - 1]!;
      const name = currentName.get(path) ?? path;
      const commit: Commit = { hash, date: timestamp.slice(0, 10), timestamp, author, email, subject, change: status };
      const list = history.get(name);
      if (list) list.push(commit);
      else history.set(name, [commit]);
      if (status === "R" && parts.length >= 3) currentName.set(parts[1]!, name);
    }
  }
  return history;
}

const BOOKKEEPING = /^(last_reviewed|approved_on|approved_by|effective_date|review_cycle_months)\s*:/;
const VERSION_LINE = /^version\s*:/;

/** Classifies each file's diff in each commit: did it touch `version:`, did it change content? */
export function parseChanges(log: string): { versionChanges: Set<string>; contentChanges: Set<string> } {
  const versionChanges = new Set<string>();
  const contentChanges = new Set<string>();
  for (const block of log.split(RS)) {
    const lines = block.split("\n");
    const hash = lines[0]?.trim();
    if (!hash) continue;
    let path: string | null = null;
    let oldPath: string | null = null;
    for (const line of lines) {
      if (line.startsWith("diff --git ")) path = oldPath = null;
      else if (line.startsWith("--- ")) oldPath = line === "--- /dev/null" ? null : line.slice(6);
      else if (line.startsWith("+++ ")) path = line === "+++ /dev/null" ? oldPath : line.slice(6);
      else if (path && (line.startsWith("+") || line.startsWith("-"))) {
        const text = line.slice(1);
        if (VERSION_LINE.test(text)) versionChanges.add(`${hash}:${path}`);
        else if (!BOOKKEEPING.test(text)) contentChanges.add(`${hash}:${path}`);
      }
    }
  }
  return { versionChanges, contentChanges };
}

/**
 * Files changed since `ref` (committed, staged, unstaged and untracked), and the paths
 * they had at `ref`, for `--changed-since`. Throws a plain Error when `ref` is unknown.
 */
export async function changedSince(root: string, ref: string): Promise<{ changed: string[]; deleted: string[]; oldContent: (path: string) => Promise<string | null> } | null> {
  const git = await gitFor(root);
  if (!git) return null;
  // `--quiet` makes git exit 1 with no output, which simple-git does not always treat as a failure.
  const resolved = await git.raw(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "");
  if (!/^[0-9a-f]{40,64}\s*$/.test(resolved)) throw new Error(`unknown git ref \`${ref}\``);
  const diff = await git.raw(["diff", "--relative", "--name-status", "--no-renames", ref, "--"]);
  const untracked = await git.raw(["ls-files", "--others", "--exclude-standard"]);
  const changed = new Set<string>();
  const deleted: string[] = [];
  for (const line of diff.split("\n")) {
    if (!line.trim()) continue;
    const [status, path] = line.split("\t") as [string, string];
    if (status.startsWith("D")) deleted.push(path);
    else changed.add(path);
  }
  for (const line of untracked.split("\n")) if (line.trim()) changed.add(line.trim());
  const prefix = (await git.raw(["rev-parse", "--show-prefix"])).trim();
  return {
    changed: [...changed].sort(),
    deleted: deleted.sort(),
    oldContent: async (path) => {
      try {
        return await git.show([`${ref}:${prefix}${path}`]);
      } catch {
        return null;
      }
    },
  };
}
