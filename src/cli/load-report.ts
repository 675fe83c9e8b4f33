import { load, parallelParser, type Workspace } from "../engine/index.js";
import { cwdOf, todayFrom, workersFrom, type CliIO } from "./io.js";

/**
 * Loads a repository for a report (licences, reviews, compliance). Reports read neither
 * git history nor the lookups incremental edits need, so neither is gathered: on a large
 * repository that saves two `git log` runs over its whole history.
 */
export function loadForReport(io: CliIO, root: string, flags: { today?: string; config?: string }): Promise<Workspace> {
  return load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd: cwdOf(io), git: false, incremental: false, parseAll: parallelParser({ workers: workersFrom(io) }) });
}
