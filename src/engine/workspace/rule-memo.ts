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
  deps: string[];
  sigs: string[];
}

/** Where a bulk load finds and keeps rule results (the `--cache` file). */
export interface RuleMemoStore {
  get(file: string): RuleMemo | undefined;
  set(file: string, memo: RuleMemo): void;
}

/** What every memo of a run shares: today and the config. */
export const memoContext = (today: string, config: Config): string => `${today}|${JSON.stringify(config)}`;

/** True when a memo's results still hold: same context, and every lookup it made answers the same now. */
export function memoHolds(memo: RuleMemo | undefined, context: string, signature: (key: string) => string): memo is RuleMemo {
  return !!memo && memo.context === context && memo.deps.every((k, i) => signature(k) === memo.sigs[i]);
}
