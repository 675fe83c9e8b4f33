import { execFileSync, spawn } from "node:child_process";
import { relative, sep } from "node:path";
import type { Host } from "./host.js";
import { nodeHost } from "./node-host.js";

/** Files whose text the engine reads (documents, config, kinds, linked Markdown): read up front. */
const PRELOAD = /\.(md|markdown|ya?ml|json)$/i;
const PRELOAD_MAX = 5 * 1024 * 1024;

interface TreeFile {
  blob: string;
  size: number;
}

/**
 * A read-only Host that shows the repository folder `root` as it was at commit `rev`, read
 * from git's objects (never checked out): `--changed-since` validates that tree to tell
 * which findings a change made appear or clear. Paths outside `root` go to the disk (a
 * `--config` file elsewhere). Symbolic links and submodules at `rev` are left out. Text
 * files for which `preload` says yes are read up front with one process; others on demand.
 */
export async function gitTreeHost(root: string, prefix: string, rev: string, preload: (path: string) => boolean = () => true): Promise<Host> {
  const listing = await run(root, ["-c", "core.quotepath=false", "ls-tree", "--full-tree", "-r", "-z", "-l", `${rev}:${prefix}`]).catch(() => Buffer.alloc(0));
  const files = new Map<string, TreeFile>();
  const dirs = new Map<string, Map<string, boolean>>([["", new Map()]]);
  for (const entry of listing.toString("utf8").split("\0")) {
    const tab = entry.indexOf("\t");
    if (tab === -1) continue;
    const [mode, type, blob, size] = entry.slice(0, tab).split(/\s+/) as [string, string, string, string];
    if (type !== "blob" || mode === "120000") continue;
    const path = entry.slice(tab + 1);
    files.set(path, { blob, size: Number(size) });
    // Register the file in its folder and every folder up to the root.
    let child = path;
    let isFile = true;
    for (;;) {
      const slash = child.lastIndexOf("/");
      const parent = slash === -1 ? "" : child.slice(0, slash);
      let entries = dirs.get(parent);
      const known = entries !== undefined;
      if (!entries) dirs.set(parent, (entries = new Map()));
      entries.set(slash === -1 ? child : child.slice(slash + 1), isFile);
      if (known || parent === "") break;
      child = parent;
      isFile = false;
    }
  }
  // Read up front what will likely be read (one process); anything else on demand.
  const wanted = [...files].filter(([p, f]) => PRELOAD.test(p) && f.size <= PRELOAD_MAX && preload(p)).map(([, f]) => f.blob);
  const contents = await catBlobs(root, [...new Set(wanted)]);

  const rel = (abs: string): string | null => {
    const r = relative(root, abs);
    if (r === "") return "";
    if (r.startsWith("..") || r.includes(`..${sep}`) || /^[a-zA-Z]:/.test(r) || r.startsWith(sep)) return null;
    return r.split(sep).join("/");
  };
  const enoent = (p: string) => Object.assign(new Error(`ENOENT: no such file or directory at ${rev}, '${p}'`), { code: "ENOENT" });
  return {
    readFile: (abs) => {
      const r = rel(abs);
      if (r === null) return nodeHost.readFile(abs);
      const f = files.get(r);
      if (!f) throw enoent(abs);
      return contents.get(f.blob) ?? execFileSync("git", ["cat-file", "blob", f.blob], { cwd: root, maxBuffer: 1 << 30 });
    },
    stat: (abs) => {
      const r = rel(abs);
      if (r === null) return nodeHost.stat(abs);
      const f = files.get(r);
      if (f) return { isFile: true, isDirectory: false, size: f.size, mtimeMs: 0, ctimeMs: 0, ino: 0 };
      if (dirs.has(r)) return { isFile: false, isDirectory: true, size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 };
      throw enoent(abs);
    },
    readdir: (abs) => {
      const r = rel(abs);
      if (r === null) return nodeHost.readdir(abs);
      const entries = dirs.get(r);
      if (!entries) throw enoent(abs);
      return [...entries].map(([name, isFile]) => ({ name, isFile, isDirectory: !isFile, isSymbolicLink: false }));
    },
    realpath: (abs) => (rel(abs) === null ? nodeHost.realpath(abs) : abs),
    exists: (abs) => {
      const r = rel(abs);
      if (r === null) return nodeHost.exists(abs);
      return files.has(r) || dirs.has(r);
    },
    // The tree at REF holds no symlinks (they are skipped), so a path inside is its own real path.
    locate: (abs) => {
      const r = rel(abs);
      if (r === null) return nodeHost.locate(abs);
      return { real: abs, exists: files.has(r) || dirs.has(r) };
    },
  };
}

function run(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("git", args, { cwd, stdio: ["pipe", "pipe", "ignore"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise(Buffer.concat(chunks)) : reject(new Error(`git ${args[0]} exited with ${code}`))));
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

/** Blob contents by id, with one `git cat-file --batch`; an object git cannot give is left out. */
export async function catBlobs(root: string, ids: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (ids.length === 0) return out;
  const data = await run(root, ["cat-file", "--batch"], ids.join("\n") + "\n");
  let at = 0;
  for (const id of ids) {
    const nl = data.indexOf(10, at);
    if (nl === -1) break;
    const header = data.subarray(at, nl).toString("latin1").split(" ");
    at = nl + 1;
    if (header[1] !== "blob") continue; // "<id> missing"
    const size = Number(header[2]);
    out.set(id, data.subarray(at, at + size));
    at += size + 1;
  }
  return out;
}
