import * as fs from "node:fs";
import type { Host } from "./host.js";
import { DEFAULT_READ_CAP, readBounded, realPathOf } from "./safe-path.js";

/** The Host of the real disk: what the CLI and `load()` use unless given another. */
export const nodeHost: Host = {
  readFile: (p, cap = DEFAULT_READ_CAP) => readBounded(p, cap),
  stat: (p) => {
    // Milliseconds as doubles (sub-microsecond steps), not bigint nanoseconds: the run cache's
    // racy-clean rule keeps a 2 s margin, far above that, and 10k bigint stats cost a warm run
    // tens of ms in BigInts alone.
    const s = fs.statSync(p);
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
  },
  readdir: (p) =>
    fs.readdirSync(p, { withFileTypes: true }).map((d) => ({
      name: d.name,
      isFile: d.isFile(),
      isDirectory: d.isDirectory(),
      isSymbolicLink: d.isSymbolicLink(),
    })),
  realpath: (p) => fs.realpathSync.native(p),
  locate: (p) => realPathOf(p),
  exists: (p) => fs.existsSync(p),
  cwd: () => process.cwd(),
  disk: true,
};
