import type { FileResult } from "../facts/parse-file.js";
import type { DocumentFacts, DocumentSummary } from "../model/types.js";
import { byFile } from "./findings.js";

/**
 * The repository's documents as parsed: each governed file's result by path, and every
 * declaration of each id (in path order, so the first is the one that counts).
 */
export class RepoIndex {
  readonly results = new Map<string, FileResult>();
  readonly decls = new Map<string, DocumentFacts[]>();
  /** Each kind's documents by path, and (built on first use) in path order. */
  private readonly kinds = new Map<string, Map<string, DocumentFacts>>();
  private readonly kindLists = new Map<string, DocumentFacts[]>();

  insert(r: FileResult): void {
    this.results.set(r.facts.file, r);
    let ofKind = this.kinds.get(r.facts.kind);
    if (!ofKind) this.kinds.set(r.facts.kind, (ofKind = new Map()));
    ofKind.set(r.facts.file, r.facts);
    this.kindLists.delete(r.facts.kind);
    const id = r.facts.id;
    if (id) {
      const list = this.decls.get(id);
      if (!list) this.decls.set(id, [r.facts]);
      else {
        list.push(r.facts);
        list.sort(byFile);
      }
    }
  }

  evict(r: FileResult): void {
    this.results.delete(r.facts.file);
    this.kinds.get(r.facts.kind)?.delete(r.facts.file);
    this.kindLists.delete(r.facts.kind);
    const id = r.facts.id;
    if (id) {
      const list = (this.decls.get(id) ?? []).filter((d) => d.file !== r.facts.file);
      if (list.length) this.decls.set(id, list);
      else this.decls.delete(id);
    }
  }

  clear(): void {
    this.results.clear();
    this.decls.clear();
    this.kinds.clear();
    this.kindLists.clear();
  }

  /** The documents of one kind, in path order. */
  ofKind(kind: string): readonly DocumentFacts[] {
    let list = this.kindLists.get(kind);
    if (!list) this.kindLists.set(kind, (list = [...(this.kinds.get(kind)?.values() ?? [])].sort(byFile)));
    return list;
  }

  facts(file: string): DocumentFacts | undefined {
    return this.results.get(file)?.facts;
  }

  documents(): DocumentSummary[] {
    return [...this.results.values()].map(({ facts }) => ({ id: facts.id, kind: facts.kind, file: facts.file, title: facts.title })).sort(byFile);
  }

  /** Facts of every governed document, in path order: the input of reports and the site. */
  allFacts(): DocumentFacts[] {
    return [...this.results.values()].map((r) => r.facts).sort(byFile);
  }

  /** The next id after the highest one in use with the same prefix and width (`SOP-007` → `SOP-012`). */
  nextFreeId(id: string): string | null {
    const m = /^(.*?)([0-9]+)$/.exec(id);
    if (!m) return null;
    const [, prefix, digits] = m as unknown as [string, string, string];
    let max = 0;
    for (const other of this.decls.keys()) {
      if (!other.startsWith(prefix)) continue;
      const rest = other.slice(prefix.length);
      if (/^[0-9]+$/.test(rest)) max = Math.max(max, Number(rest));
    }
    return `${prefix}${String(max + 1).padStart(digits.length, "0")}`;
  }
}
