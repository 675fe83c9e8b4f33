import * as fs from "node:fs";
import type { Host } from "./host.js";
import { DEFAULT_READ_CAP, readBounded, realPathOf } from "./safe-path.js";

/** The Host of the real disk: what the CLI and `load()` use unless given another. */
export const nodeHost: Host = {
  readFile: (p, cap = DEFAULT_READ_CAP) => readBounded(p, cap),
  stat: (p) => {
    const s = fs.statSync(p, { bigint: true });
    return { isFile: s.isFile(), isDirectory: s.isDirectory(), size: Number(s.size), mtimeMs: Number(s.mtimeMs), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, ino: Number(s.ino) };
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
