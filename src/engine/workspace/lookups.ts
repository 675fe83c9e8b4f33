import { join } from "node:path";
import { markdownOf, positionsOf, rangeFor, scannedPositionsOf } from "../facts/parse-file.js";
import type { Host } from "../io/host.js";
import type { GitFacts } from "../io/git-history.js";
import { isInside, realRootOf } from "../io/safe-path.js";
import { BUILTIN_CATALOGUES } from "../domain/frameworks/builtin.js";
import type { RepoView } from "../rules/rule.js";
import { isCatalogue, kinds } from "../model/kinds.js";
import type { DocumentFacts, Heading, LineLengths, Range } from "../model/types.js";
import { references } from "../domain/references.js";
import type { RepoIndex } from "./repo-index.js";
import { byFile } from "./findings.js";

/**
 * What rules may ask of the repository beyond their own document, answered from the index
 * and, for files that are not documents, through the host; each answer is memoised until
 * the file it is about changes (`changed`, `touched`).
 */
export class RepoLookups {
  private readonly existsMemo = new Map<string, boolean>();
  private readonly leavesMemo = new Map<string, boolean>();
  private realRootMemo: string | null = null;
  private readonly anchorsMemo = new Map<string, ReadonlySet<string> | undefined>();
  private readonly slugMemo = new WeakMap<DocumentFacts, ReadonlySet<string>>();
  /** Spans a line scan found for documents whose spans are not parsed yet (see `rangeOf`). */
  private readonly scanMemo = new WeakMap<DocumentFacts, (pointer: string) => Range | null>();
  private readonly controlsMemo = new WeakMap<DocumentFacts, ReadonlySet<string>>();
  private readonly builtinSets = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly root: string,
    private readonly host: Host,
    private readonly index: RepoIndex,
  ) {}

  /** Forgets every answer about files (after a new config re-derives the documents). */
  clear(): void {
    this.existsMemo.clear();
    this.leavesMemo.clear();
    this.anchorsMemo.clear();
  }

  /** A document was added, replaced or removed: what the caller says wins over the disk. */
  changed(file: string, exists: boolean): void {
    this.existsMemo.set(file, exists);
    this.leavesMemo.delete(file);
    this.anchorsMemo.delete(file);
  }

  /** A file that is not a document changed (an agreement, a README that links point at). */
  touched(file: string, content: string | Uint8Array | null): void {
    this.leavesMemo.delete(file);
    if (this.leaves(file)) content = null;
    this.existsMemo.set(file, content !== null);
    if (content === null || !/\.(md|markdown)$/i.test(file)) this.anchorsMemo.set(file, undefined);
    else this.anchorsMemo.set(file, anchorsOfMarkdown(content));
  }

  frameworkControls(id: string): ReadonlySet<string> | undefined {
    const repoFw = this.index.decls.get(id)?.[0];
    if (repoFw && isCatalogue(repoFw.kind) && repoFw.parsed) return this.controlsOf(repoFw);
    const builtin = BUILTIN_CATALOGUES.get(id);
    if (!builtin) return undefined;
    let set = this.builtinSets.get(id);
    if (!set) this.builtinSets.set(id, (set = new Set(builtin.controls.map((c) => c.id))));
    return set;
  }

  /** Ids of every known framework: built in, and declared by a framework document. */
  frameworkIds(): string[] {
    const ids = new Set(BUILTIN_CATALOGUES.keys());
    for (const [id, list] of this.index.decls) if (list[0] && isCatalogue(list[0].kind) && list[0].parsed) ids.add(id);
    return [...ids];
  }

  controlsOf(fw: DocumentFacts): ReadonlySet<string> {
    let set = this.controlsMemo.get(fw);
    if (!set) {
      const list = Array.isArray(fw.values.controls) ? fw.values.controls : [];
      set = new Set(list.map((c) => (c && typeof c === "object" ? (c as { id?: unknown }).id : undefined)).filter((x): x is string => typeof x === "string"));
      this.controlsMemo.set(fw, set);
    }
    return set;
  }

  /**
   * True when a repo-relative path's real path (symlinks resolved, whether or not it exists)
   * leaves the repository. Such a path is never statted or read: `exists`, `isFolder` and
   * `anchors` answer as if it were absent, so nothing about the outside can leak.
   */
  leaves(path: string): boolean {
    if (path === "" || this.index.results.has(path)) return false;
    let hit = this.leavesMemo.get(path);
    if (hit === undefined) {
      if (this.realRootMemo === null) this.realRootMemo = realRootOf(this.root, this.host);
      try {
        hit = !isInside(this.realRootMemo, this.host.locate(join(this.root, path)).real);
      } catch {
        hit = false; // a symlink loop: it exists nowhere, so `exists` says no
      }
      this.leavesMemo.set(path, hit);
    }
    return hit;
  }

  exists(path: string): boolean {
    if (path === "" || this.index.results.has(path)) return true;
    let hit = this.existsMemo.get(path);
    if (hit === undefined) {
      hit = !this.leaves(path) && this.host.exists(join(this.root, path));
      this.existsMemo.set(path, hit);
    }
    return hit;
  }

  /**
   * A document's spans and line lengths. A bulk load leaves them out (most documents never
   * need them); the first finding on a document reads its line lengths from its file, once,
   * and its spans are parsed only if a caller reads `ranges` (`rangeOf` first tries a line
   * scan). A document whose findings were placed by a line scan (parse-file's `keyRanges`)
   * keeps its line lengths.
   */
  positionsOf(doc: DocumentFacts): { ranges: Record<string, Range>; lineLengths: LineLengths } {
    const lineLengths = doc.lineLengths ?? this.scan(doc);
    if (doc.ranges !== null) return { ranges: doc.ranges, lineLengths };
    const lookups = this;
    return {
      get ranges() {
        return (doc.ranges ??= lookups.readPositions(doc).ranges);
      },
      lineLengths,
    };
  }

  /**
   * The span a pointer of a document names (as `rangeFor` finds it in the document's spans).
   * While the spans are not parsed, a line scan answers for a top-level key and a plain
   * scalar on its line, which is where most findings point; anything else parses them.
   */
  rangeOf(doc: DocumentFacts, pointer: string): Range | undefined {
    if (doc.ranges === null) {
      if (!this.scanMemo.has(doc)) this.scan(doc);
      const scanned = this.scanMemo.get(doc)!(pointer);
      if (scanned) return scanned;
    }
    return rangeFor(this.positionsOf(doc).ranges, pointer);
  }

  /** Reads a document's line lengths, and what a line scan can tell of its spans, without parsing them. */
  private scan(doc: DocumentFacts): LineLengths {
    let p: ReturnType<typeof scannedPositionsOf>;
    try {
      p = scannedPositionsOf(doc.kind, this.host.readFile(join(this.root, doc.file)), doc.parsed ? Object.keys(doc.values) : []);
    } catch {
      p = { lineLengths: [0], rangeAt: () => null };
    }
    doc.lineLengths = p.lineLengths;
    this.scanMemo.set(doc, p.rangeAt);
    return p.lineLengths;
  }

  private readPositions(doc: DocumentFacts): { ranges: Record<string, Range>; lineLengths: LineLengths } {
    try {
      return positionsOf(doc.kind, this.host.readFile(join(this.root, doc.file)));
    } catch {
      return { ranges: {}, lineLengths: [0] };
    }
  }

  /** A document's headings, tokenizing its body on first use if a bulk load skipped it. */
  headingsOf(doc: DocumentFacts): readonly Heading[] {
    if (doc.headings === null) {
      let md;
      try {
        md = markdownOf(this.host.readFile(join(this.root, doc.file)));
      } catch {
        md = null;
      }
      doc.headings = md?.headings ?? [];
      doc.htmlAnchors = md?.htmlAnchors ?? [];
    }
    return doc.headings;
  }

  isFolder(path: string): boolean {
    if (path === "") return true;
    if (this.index.results.has(path) || !this.exists(path)) return false;
    try {
      return this.host.stat(join(this.root, path)).isDirectory;
    } catch {
      return false;
    }
  }

  anchors(path: string): ReadonlySet<string> | undefined {
    const doc = this.index.results.get(path)?.facts;
    if (doc) {
      if (doc.format !== "markdown") return undefined;
      let set = this.slugMemo.get(doc);
      if (!set) this.slugMemo.set(doc, (set = new Set([...this.headingsOf(doc).map((h) => h.slug), ...(doc.htmlAnchors ?? [])])));
      return set;
    }
    if (!/\.(md|markdown)$/i.test(path)) return undefined;
    if (this.anchorsMemo.has(path)) return this.anchorsMemo.get(path);
    let set: ReadonlySet<string> | undefined;
    try {
      set = this.exists(path) ? anchorsOfMarkdown(this.host.readFile(join(this.root, path))) : undefined;
    } catch {
      set = undefined;
    }
    this.anchorsMemo.set(path, set);
    return set;
  }
}

/** GitHub anchors of a Markdown file that is not a governed document (a README, an agreement). */
function anchorsOfMarkdown(input: string | Uint8Array): ReadonlySet<string> | undefined {
  const md = markdownOf(input);
  return md ? new Set([...md.headings.map((h) => h.slug), ...md.htmlAnchors]) : undefined;
}

/**
 * The RepoView every rule run gets: each lookup is reported to `track` (`id:X`, `path:P`,
 * `anchors:P`, `git`) before it is answered. One object for the workspace's lifetime (this runs 10,000
 * times on a large repository, so it allocates nothing per call it can avoid).
 */
export function recordingView(lookups: RepoLookups, index: RepoIndex, git: () => GitFacts | null, track: (prefix: string, value: string) => void): RepoView {
  return {
    declarations: (id) => {
      track("id:", id);
      return index.decls.get(id) ?? [];
    },
    document: (id) => {
      track("doc:", id);
      return index.decls.get(id)?.[0];
    },
    documents: (to) => {
      const selected = kinds().select(to);
      for (const kind of selected) track("kind:", kind);
      if (selected.length === 1) return index.ofKind(selected[0]!);
      return selected.flatMap((kind) => index.ofKind(kind)).sort(byFile);
    },
    idsOf: (kind) => {
      track("ids:", kind);
      return idsOfKind(index, kind);
    },
    referrers: (id) => {
      track("refby:", id);
      return referrersOf(index, id);
    },
    framework: (id) => {
      track("id:", id);
      return lookups.frameworkControls(id);
    },
    exists: (path) => {
      track("path:", path);
      return lookups.exists(path);
    },
    leaves: (path) => {
      track("path:", path);
      return lookups.leaves(path);
    },
    anchors: (path) => {
      track("anchors:", path);
      return lookups.anchors(path);
    },
    isFolder: (path) => {
      track("path:", path);
      return lookups.isFolder(path);
    },
    headings: (d) => lookups.headingsOf(d),
    rangeOf: (d, pointer) => lookups.rangeOf(d, pointer),
    history: (path) => {
      track("git", "");
      const facts = git();
      // A shallow clone's history is cut off: rules that read it stay silent (see notices()).
      return facts?.shallow ? undefined : facts?.history.get(path);
    },
    changeIn: (commit, path) => {
      const facts = git();
      return {
        version: facts?.versionChanges.has(`${commit}:${path}`) ?? false,
        content: facts?.contentChanges.has(`${commit}:${path}`) ?? false,
      };
    },
  };
}

/** Ids whose first declaration is a document of `kind`, in path order of those documents. */
export function idsOfKind(index: RepoIndex, kind: string): string[] {
  const out: { id: string; file: string }[] = [];
  for (const [id, list] of index.decls) if (list[0]?.kind === kind) out.push({ id, file: list[0].file });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)).map((x) => x.id);
}

/** Documents with a reference naming `id`, in path order (a scan: only the few rules about referenced records ask). */
export function referrersOf(index: RepoIndex, id: string): DocumentFacts[] {
  const out: DocumentFacts[] = [];
  for (const r of index.results.values()) if (r.facts.parsed && references(r.facts).some((ref) => ref.id === id)) out.push(r.facts);
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
