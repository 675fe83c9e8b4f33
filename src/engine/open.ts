import { isAbsolute, resolve } from "node:path";
import { loadConfig } from "./config/load-config.js";
import { localToday, parseDay } from "./model/dates.js";
import { UsageError } from "./model/errors.js";
import type { Host } from "./io/host.js";
import { nodeHost } from "./io/node-host.js";
import { Workspace, type RuleMemoStore } from "./workspace/workspace.js";
import type { Finding } from "./model/types.js";
import { checkKindFolders, discover, type Governed } from "./facts/discover.js";
import { readGitFacts, type GitFacts } from "./io/git-history.js";
import { kinds, useKinds, withKinds } from "./model/kinds.js";
import { loadKinds } from "./facts/repo-kinds.js";
import type { FileResult } from "./facts/parse-file.js";
import { parseSequentially } from "./facts/read.js";
import { checkAborted } from "./model/abort.js";

export interface LoadOptions {
  /** `YYYY-MM-DD`; defaults to the machine's local date. The engine never reads the environment: the CLI passes `POLICYOPS_TODAY` here. */
  today?: string;
  /** Directory a relative root or `config` is resolved against (default: the process's). */
  cwd?: string;
  /** Path of a config file to use instead of `<root>/policyops.yaml`. */
  config?: string;
  host?: Host;
  /**
   * Parses files given to it, e.g. in worker threads or from a cache. Defaults to
   * reading and parsing each file in this thread.
   */
  parseAll?: (root: string, files: Governed[], host: Host, signal?: AbortSignal) => Promise<FileResult[]>;
  /** Read git history for `approval/stale` and document history (default true; quietly skipped outside git). */
  git?: boolean;
  /**
   * Keep what each document's checks looked up, so `update`/`remove`/`affectedBy` re-check
   * only what an edit affects (default true). A one-shot run can save the bookkeeping; the
   * first edit then turns it on.
   */
  incremental?: boolean;
  /** Rule results of earlier runs, reused for unchanged documents whose lookups give the same answers (the `--cache` file). */
  ruleMemos?: RuleMemoStore;
  /** Git facts from an earlier run, reused when HEAD has not moved (the `--cache` file keeps them). */
  previousGit?: GitFacts | null | (() => GitFacts | null);
  /** Read git history as of this commit instead of HEAD (with a `host` showing that commit's tree). */
  gitRev?: string;
  /** For tests: a rule reporting a range outside its file throws, naming the rule, instead of being clamped (default false). */
  strictReports?: boolean;
  /**
   * Cancels the load (an editor that got a newer request): the returned promise rejects
   * with the signal's reason (an `AbortError` by default) within a few dozen files.
   */
  signal?: AbortSignal;
}

/** Resolves `today` from an option or the local date; a bad value is a usage error. */
export function resolveToday(today?: string): string {
  const value = today ?? localToday();
  if (parseDay(value) === null) throw new UsageError(`invalid date \`${value}\` for today: use YYYY-MM-DD`);
  return value;
}

/** Loads a policy repository: config, governed files, facts and findings, ready to query or edit. */
export async function load(rootArg: string, options: LoadOptions = {}): Promise<Workspace> {
  const host = options.host ?? nodeHost;
  // Every read goes through the host, even of the root and the working directory: an
  // editor's overlay or an in-memory repository is all the engine sees.
  const cwd = options.cwd ?? host.cwd?.();
  if (cwd === undefined && !isAbsolute(rootArg)) throw new UsageError(`repository root \`${rootArg}\` is relative and the host has no working directory; give an absolute path or \`cwd\``);
  const root = cwd === undefined ? resolve(rootArg) : resolve(cwd, rootArg);
  if (!host.exists(root)) throw new UsageError(`repository root \`${rootArg}\` does not exist`);
  if (!host.stat(root).isDirectory) throw new UsageError(`repository root \`${rootArg}\` is not a directory`);
  const today = resolveToday(options.today);
  checkAborted(options.signal);
  // The repository's own kinds (kinds/*.schema.json) first: the config and every folder depend on them.
  const registry = loadKinds(root, host);
  // Outside any workspace's work, kinds() answers with the last loaded repository's (the CLI's one).
  useKinds(registry);
  return withKinds(registry, async () => {
    const config = loadConfig(root, host, options.config, cwd);
    checkKindFolders(root, config, host);
    const { governed, skipped } = discover(root, config, host);
    const extra = new Map<string, Finding[]>();
    for (const s of skipped) {
      extra.set(s.file, [{ code: s.code, severity: "error", message: s.message, file: s.file, line: 1, column: 1, endLine: 1, endColumn: 1, docId: null }]);
    }
    const folders = [...new Set(kinds().names().map((k) => config.paths[k]!))];
    // Git first: its process then runs while this thread reads and parses files.
    const gitFacts = options.git === false ? Promise.resolve(null) : readGitFacts(root, folders, options.previousGit, options.gitRev).catch(() => null);
    checkAborted(options.signal);
    const results = await (options.parseAll ?? parseSequentially)(root, governed, host, options.signal);
    checkAborted(options.signal);
    const git = await gitFacts;
    const ws = new Workspace(root, config, today, host, extra, options.incremental !== false, options.strictReports === true, registry);
    ws.configOrigin = { explicit: options.config, cwd };
    ws.setGit(git);
    if (options.signal && !options.ruleMemos) await ws.addResultsAsync(results, options.signal);
    else ws.addResults(results, options.ruleMemos);
    return ws;
  });
}
