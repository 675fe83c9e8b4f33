import type { Config } from "../config/config.js";
import type { DocumentFacts, Finding } from "../model/types.js";
import type { PairCheck, PairTable } from "../io/pair-table.js";

export type { PairCheck } from "../io/pair-table.js";

/**
 * A document's rule results from an earlier run, with what they depended on: the run's
 * context (today, config) and the signature of every lookup its rules made. They are
 * reused only if all of those are unchanged (see `Workspace.addResults`).
 */
export interface RuleMemo {
  context: string;
  findings: Finding[];
  deps: readonly string[];
  sigs: readonly string[];
  /**
   * The same lookups as numbers into a table of (key, signature) pairs that many memos
   * share (a run cache file's): each pair is then compared once a run, not once per
   * document that made it (issue 14). When present, `ids[i]` is the pair of `deps[i]`, `sigs[i]`.
   */
  pairs?: { table: PairTable; ids: ArrayLike<number> };
}

/** Where a bulk load finds and keeps rule results (the `--cache` file). */
export interface RuleMemoStore {
  get(file: string): RuleMemo | undefined;
  set(file: string, memo: RuleMemo): void;
  /**
   * What changed since the run that stored the memos, when the store knows it for every
   * document of that run and the kinds are the same; null otherwise (then every lookup a
   * memo names is asked again). See `unchangedKeys` in dependencies.ts.
   */
  changes?(): StoreChanges | null;
}

export interface StoreChanges {
  /** Paths of the documents changed, added or removed since the stored run. */
  files: ReadonlySet<string>;
  /** The stored run's facts of those documents that existed then. */
  before: readonly DocumentFacts[];
}

/** What every memo of a run shares: today and the config. */
export const memoContext = (today: string, config: Config): string => `${today}|${JSON.stringify(config)}`;


/** True when a memo's results still hold: same context, and every lookup it made answers the same now. */
export function memoHolds(memo: RuleMemo | undefined, context: string, check: PairCheck): memo is RuleMemo {
  if (!memo || memo.context !== context) return false;
  if (memo.pairs) {
    const { table, ids } = memo.pairs;
    for (let i = 0; i < ids.length; i++) if (!table.holds(ids[i]!, check)) return false;
    return true;
  }
  return memo.deps.every((k, i) => check(k, memo.sigs[i]!));
}
