import type { Config } from "../config/config.js";
import type { Finding } from "../model/types.js";

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
  pairs?: { table: PairTable; ids: readonly number[] };
}

/** Where a bulk load finds and keeps rule results (the `--cache` file). */
export interface RuleMemoStore {
  get(file: string): RuleMemo | undefined;
  set(file: string, memo: RuleMemo): void;
}

/** What every memo of a run shares: today and the config. */
export const memoContext = (today: string, config: Config): string => `${today}|${JSON.stringify(config)}`;

/**
 * (lookup key, signature) pairs shared by many memos, with each pair's verdict (does the
 * key still answer that signature?) kept for as long as the same signature function is
 * asked: one run's `addResults`, whose function memoises the current answers.
 */
export class PairTable {
  private verdicts: Int8Array;
  private askedWith: ((key: string) => string) | null = null;

  constructor(
    readonly keys: readonly string[],
    readonly sigs: readonly string[],
  ) {
    this.verdicts = new Int8Array(keys.length);
  }

  holds(id: number, signature: (key: string) => string): boolean {
    if (this.askedWith !== signature) {
      this.askedWith = signature;
      this.verdicts.fill(0);
    }
    let v = this.verdicts[id]!;
    if (v === 0) this.verdicts[id] = v = signature(this.keys[id]!) === this.sigs[id] ? 1 : -1;
    return v === 1;
  }
}

/** True when a memo's results still hold: same context, and every lookup it made answers the same now. */
export function memoHolds(memo: RuleMemo | undefined, context: string, signature: (key: string) => string): memo is RuleMemo {
  if (!memo || memo.context !== context) return false;
  if (memo.pairs) {
    const { table, ids } = memo.pairs;
    for (const id of ids) if (!table.holds(id, signature)) return false;
    return true;
  }
  return memo.deps.every((k, i) => signature(k) === memo.sigs[i]);
}
