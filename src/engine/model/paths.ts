import { posix } from "node:path";

/**
 * A path as the repository sees it: `target` relative to `fromFile`'s folder, or to the
 * root when it starts with `/`. Null when it climbs out of the repository.
 */
export function resolveRepoPath(fromFile: string | null, target: string): string | null {
  // Most targets are plain (`Set-Mailbox.md`, `sub/page.md`): joined to the folder as they
  // are, without the cost of normalizing (link/broken resolves every link of every page
  // that links to a page whose headings an edit changed).
  if (!NEEDS_NORMALIZING.test(target) && (fromFile === null || !NEEDS_NORMALIZING.test(fromFile))) {
    const slash = fromFile === null ? -1 : fromFile.lastIndexOf("/");
    const joined = slash === -1 ? target : `${fromFile!.slice(0, slash)}/${target}`;
    return joined;
  }
  const base = target.startsWith("/") || fromFile === null ? "" : posix.dirname(fromFile);
  const joined = posix.normalize(posix.join(base, target.replace(/^\/+/, "")));
  if (joined === ".." || joined.startsWith("../") || posix.isAbsolute(joined)) return null;
  return joined === "." ? "" : joined.replace(/\/+$/, "");
}

/** What `posix.normalize` or `dirname` would change in a relative path: `.` or `..` segments, `//`, a leading or (for `dirname`) trailing `/`; or an empty path. */
const NEEDS_NORMALIZING = /^$|^\/|\/\/|(?:^|\/)\.\.?(?:\/|$)|\/$/;
