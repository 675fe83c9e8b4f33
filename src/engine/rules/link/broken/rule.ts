import { defineRule } from "../../rule.js";
import { closest, resolveRepoPath } from "../../shared.js";

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function decode(s: string): string {
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
    kinds: ["policy", "sop", "manual"],
    messages: {
      file: "Link target `{target}` does not exist; correct the path or remove the link.",
      outside: "Link target `{target}` leaves the repository, so it cannot be checked or published; link to a file inside the repository.",
      anchor: "`{target}` has no heading with the anchor `#{anchor}`{hint}; link to an existing heading.",
      anchorHere: "This document has no heading with the anchor `#{anchor}`{hint}; link to an existing heading.",
    },
  },
  check({ doc, repo, report }) {
    for (const link of doc.links) {
      const url = link.url.trim();
      if (url === "" || SCHEME.test(url) || url.startsWith("//")) continue;
      const hash = url.indexOf("#");
      const pathPart = decode((hash === -1 ? url : url.slice(0, hash)).replace(/\?.*$/, ""));
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
      const near = closest(anchor, anchors);
      const hint = near ? ` (did you mean \`#${near}\`?)` : "";
      if (pathPart) report({ messageId: "anchor", at: link.range, data: { target: pathPart, anchor, hint } });
      else report({ messageId: "anchorHere", at: link.range, data: { anchor, hint } });
    }
  },
});
