import { load, type Workspace } from "../engine/index.js";
import { parallelParser } from "../engine/load/parse-parallel.js";

/**
 * Loads a repository for a report (licences, reviews, compliance). Reports read neither
 * git history nor the lookups incremental edits need, so neither is gathered: on a large
 * repository that saves two `git log` runs over its whole history.
 */
export function loadForReport(root: string, flags: { today?: string; config?: string }): Promise<Workspace> {
  return load(root, { today: flags.today, config: flags.config, git: false, incremental: false, parseAll: parallelParser() });
}
