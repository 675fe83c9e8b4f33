import { posix } from "node:path";

/**
 * A path as the repository sees it: `target` relative to `fromFile`'s folder, or to the
 * root when it starts with `/`. Null when it climbs out of the repository.
 */
export function resolveRepoPath(fromFile: string | null, target: string): string | null {
  const base = target.startsWith("/") || fromFile === null ? "" : posix.dirname(fromFile);
  const joined = posix.normalize(posix.join(base, target.replace(/^\/+/, "")));
  if (joined === ".." || joined.startsWith("../") || posix.isAbsolute(joined)) return null;
  return joined === "." ? "" : joined.replace(/\/+$/, "");
}
