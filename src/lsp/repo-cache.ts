/**
 * What completion, hover and navigation need of the whole repository (every document's id,
 * kind and title; the catalogues), kept between requests and brought up to date per edited
 * file, so that a request does not rebuild it from all documents (issue 15: completion in a
 * reference list of a 10,000-document repository).
 */
import type { CompletionItem } from "vscode-languageserver";
import { isCatalogue, type Catalogue, type DocumentSummary, type Workspace } from "../engine/index.js";

export class RepoCache {
  private ws: Workspace | null = null;
  private config: unknown = null;
  private kinds: unknown = null;
  /** Every document's summary by file, and the same in path order (rebuilt when a file comes or goes). */
  private byFile: Map<string, DocumentSummary> | null = null;
  private sorted: DocumentSummary[] | null = null;
  private cats: Catalogue[] | null = null;
  /** Completion items built from the summaries (ids of some kinds), by key; dropped whenever a summary changes. */
  private built = new Map<string, CompletionItem[]>();

  /** Forgets everything (a reload, another configuration or set of kinds). */
  reset(): void {
    this.ws = null;
    this.byFile = null;
    this.sorted = null;
    this.cats = null;
    this.built.clear();
  }

  /** After an edit of `files` (updated, created or removed) in `ws`: their summaries, and the catalogues when one of them may be or name one. */
  changed(ws: Workspace, files: Iterable<string>): void {
    if (!this.current(ws) || !this.byFile) return;
    for (const file of files) {
      const before = this.byFile.get(file);
      const facts = ws.facts(file);
      const now = facts ? { id: facts.id, kind: facts.kind, file, title: facts.title } : undefined;
      if (!before && !now) continue;
      // A catalogue's controls live in its values, and the first declaration of an id decides which catalogue counts.
      if (ws.inKinds(() => (before && isCatalogue(before.kind)) || (now && isCatalogue(now.kind))) || before?.id !== now?.id) this.cats = null;
      if (before && now && before.id === now.id && before.kind === now.kind && before.title === now.title) continue;
      if (now) this.byFile.set(file, now);
      else this.byFile.delete(file);
      this.sorted = null;
      this.built.clear();
    }
  }

  /** `ws.documents()`, as of the last edit. */
  documents(ws: Workspace): DocumentSummary[] {
    if (!this.current(ws) || !this.byFile) {
      this.byFile = new Map(ws.documents().map((d) => [d.file, d]));
      this.sorted = null;
    }
    return (this.sorted ??= [...this.byFile.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)));
  }

  /** Items `build` makes from the documents' summaries (it must read nothing else), kept under `key` until a summary changes. */
  items(ws: Workspace, key: string, build: () => CompletionItem[]): readonly CompletionItem[] {
    this.documents(ws);
    let out = this.built.get(key);
    if (!out) this.built.set(key, (out = build()));
    return out;
  }

  /** `ws.catalogues()`, as of the last edit. */
  catalogues(ws: Workspace): Catalogue[] {
    // The summaries are what `changed` compares to know when the catalogues may differ.
    this.documents(ws);
    return (this.cats ??= ws.catalogues());
  }

  /** True when the cache describes `ws` as it is configured now; otherwise it starts again for it. */
  private current(ws: Workspace): boolean {
    if (this.ws === ws && this.config === ws.config && this.kinds === ws.kinds) return true;
    this.reset();
    this.ws = ws;
    this.config = ws.config;
    this.kinds = ws.kinds;
    return false;
  }
}
