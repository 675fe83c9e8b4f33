import { changedSince } from "./io/git-history.js";
import { gitTreeHost } from "./io/tree-host.js";
import { UsageError } from "./model/errors.js";
import { load } from "./open.js";
import { readAndParse } from "./facts/read.js";
import type { Workspace } from "./workspace/workspace.js";
import type { Governed } from "./facts/discover.js";
import type { FileResult } from "./facts/parse-file.js";
import type { Host } from "./io/host.js";
import type { Finding } from "./model/types.js";

/** What `--changed-since REF` reports: see {@link compareWithRef}. */
export interface ChangedSince {
  /** The commit REF named. */
  commit: string;
  /** Files changed since REF (committed, staged, unstaged, untracked), and deleted ones. */
  changed: ReadonlySet<string>;
  /** The findings to report, in the workspace's order. */
  findings: Finding[];
  /** Findings of unchanged files that REF had and the changed tree no longer has. */
  cleared: number;
  /** Set when REF could not be validated (its config does not load): then every finding is reported. */
  notice?: string;
}

/** Findings are compared without positions: an edit above a finding moves it, but it is the same finding. */
const keyOf = (f: Finding): string => `${f.code}\0${f.file}\0${f.docId ?? ""}\0${f.message}`;

/**
 * SPEC §3: the findings of changed documents, plus findings elsewhere that the change made
 * appear or clear compared with REF. The repository as it was at REF (read from git's
 * objects, with its config and its history) is validated with the same today, and each
 * unchanged file's findings are compared on code, file, docId and message: those REF had
 * too are left out; cleared ones are counted. Null outside git (then everything is
 * reported). An empty or unknown REF is a usage error.
 */
export async function compareWithRef(ws: Workspace, ref: string, options: { config?: string; cwd?: string } = {}): Promise<ChangedSince | null> {
  if (ref.trim() === "") throw new UsageError("--changed-since needs a git ref, e.g. `origin/main`; it was empty");
  let diff;
  try {
    diff = await changedSince(ws.root, ref);
  } catch (e) {
    throw new UsageError(`--changed-since: ${(e as Error).message}`);
  }
  if (!diff) return null;
  const changed = new Set([...diff.changed, ...diff.deleted]);
  // Unchanged governed files are not read again (their parse results are reused below).
  const host = await gitTreeHost(ws.root, diff.prefix, diff.commit, (path) => changed.has(path) || !ws.parsed(path));
  let before: Workspace;
  try {
    // A file unchanged since REF has the same bytes, so the same parse result (parsing
    // depends only on path, kind and bytes): reuse it, and parse only what changed.
    const parseAll = async (root: string, files: Governed[], treeHost: Host): Promise<FileResult[]> =>
      files.map((g) => {
        const same = changed.has(g.file) ? undefined : ws.parsed(g.file);
        return same && same.facts.kind === g.kind ? same : readAndParse(root, g, treeHost);
      });
    before = await load(ws.root, { today: ws.today, config: options.config, cwd: options.cwd, host, parseAll, gitRev: diff.commit, incremental: false });
  } catch (e) {
    // REF's own config does not load: there is nothing to compare with, so everything is reported.
    if (e instanceof UsageError) {
      const notice = `the repository at \`${ref}\` could not be validated (${e.message}), so every finding is reported`;
      return { commit: diff.commit, changed, findings: ws.findings(), cleared: 0, notice };
    }
    throw e;
  }
  const earlier = new Map<string, number>();
  for (const f of before.findings()) {
    if (changed.has(f.file)) continue;
    const k = keyOf(f);
    earlier.set(k, (earlier.get(k) ?? 0) + 1);
  }
  const findings: Finding[] = [];
  for (const f of ws.findings()) {
    if (changed.has(f.file)) {
      findings.push(f);
      continue;
    }
    const k = keyOf(f);
    const n = earlier.get(k) ?? 0;
    if (n > 0) earlier.set(k, n - 1); // it was there before the change
    else findings.push(f); // the change made it appear
  }
  let cleared = 0;
  for (const n of earlier.values()) cleared += n;
  return { commit: diff.commit, changed, findings, cleared };
}
