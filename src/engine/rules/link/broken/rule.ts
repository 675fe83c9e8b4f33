import { defineRule } from "../../rule.js";
import { resolveRepoPath } from "../../../model/paths.js";
import { Suggestions, type SuggestionBudget } from "../../../model/suggestions.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** Heading comparisons for "did you mean" in one document (a few hundred ms at most). */
export const SUGGESTION_COMPARISONS = 200_000;

/** A link's path without its `?query`. */
function withoutQuery(path: string): string {
  const q = path.indexOf("?");
  return q === -1 ? path : path.slice(0, q);
}

function decode(s: string): string {
  if (!s.includes("%")) return s; // nothing to decode: the common case, without a try per link
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export default defineRule({
  meta: {
    code: "link/broken",
    severity: "warning",
    description: "Require relative links to point at existing files and headings.",
    appliesTo: (k) => k.format === "markdown",
    messages: {
      file: "Link target `{target}` does not exist; correct the path or remove the link.",
      outside: "Link target `{target}` leaves the repository, so it cannot be checked or published; link to a file inside the repository.",
      anchor: "`{target}` has no heading with the anchor `#{anchor}`{hint}; link to an existing heading.",
      anchorHere: "This document has no heading with the anchor `#{anchor}`{hint}; link to an existing heading.",
    },
  },
  check({ doc, repo, report }) {
    // "Did you mean" compares a misspelt anchor with the target's headings: indexed for
    // near misses and bounded per document, so thousands of misspelt anchors against
    // thousands of headings stay fast.
    const budget: SuggestionBudget = { comparisons: SUGGESTION_COMPARISONS };
    const suggestions = new Map<string, Suggestions>();
    const suggested = new Map<string, string | undefined>();
    for (const link of doc.links) {
      const url = link.url.trim();
      if (url === "" || SCHEME.test(url) || url.startsWith("//")) continue;
      const hash = url.indexOf("#");
      const pathPart = decode(withoutQuery(hash === -1 ? url : url.slice(0, hash)));
      const anchor = hash === -1 ? null : decode(url.slice(hash + 1));
      const target = pathPart === "" ? doc.file : resolveRepoPath(doc.file, pathPart);
      // Lexically (`../..`) or through a symlink: one message, whatever lies outside.
      if (target === null || (target !== doc.file && repo.leaves(target))) {
        report({ messageId: "outside", at: link.range, data: { target: pathPart } });
        continue;
      }
      if (target !== doc.file && !repo.exists(target)) {
        report({ messageId: "file", at: link.range, data: { target: pathPart } });
        continue;
      }
      if (!anchor || link.kind === "image") continue;
      const anchors = repo.anchors(target);
      if (!anchors || anchors.has(anchor)) continue;
      const key = `${target}#${anchor}`;
      if (!suggested.has(key)) {
        let s = suggestions.get(target);
        if (!s) suggestions.set(target, (s = new Suggestions(anchors)));
        suggested.set(key, s.closest(anchor, budget));
      }
      const near = suggested.get(key);
      const hint = near ? ` (did you mean \`#${near}\`?)` : "";
      if (pathPart) report({ messageId: "anchor", at: link.range, data: { target: pathPart, anchor, hint } });
      else report({ messageId: "anchorHere", at: link.range, data: { anchor, hint } });
    }
  },
});
