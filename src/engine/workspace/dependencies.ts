import { createHash } from "node:crypto";
import { BUILTIN_CATALOGUES } from "../domain/frameworks/builtin.js";
import type { GitFacts } from "../io/git-history.js";
import { isCatalogue, kinds, type KindRegistry } from "../model/kinds.js";
import type { DocumentFacts } from "../model/types.js";
import { references } from "../domain/references.js";
import type { RepoIndex } from "./repo-index.js";
import type { StoreChanges } from "./rule-memo.js";
import { idsOfKind, referrersOf, type RepoLookups } from "./lookups.js";

/** Kinds whose items other documents reference (`x-policyops-ref-item`: a budget's lines), per registry. */
const itemTargetsMemo = new WeakMap<KindRegistry, ReadonlySet<string>>();
function itemTargets(): ReadonlySet<string> {
  const registry = kinds();
  let set = itemTargetsMemo.get(registry);
  if (!set) {
    const s = new Set<string>();
    for (const def of registry.defs) for (const ref of def.references) if (ref.item) for (const k of ref.kinds === "any" ? registry.names() : ref.kinds) s.add(k);
    itemTargetsMemo.set(registry, (set = s));
  }
  return set;
}

/** What a referrer shows the record it references (the rules about a budget read its referrers' costs, dates and lines). */
const referrerSignature = (d: DocumentFacts): string => `${d.file}|${JSON.stringify(d.values)}`;

/**
 * What a rule can observe of one declaration of an id (its file, kind, status, whether it
 * parsed, and a framework's controls). The one recipe: `provided` (what an edit changed,
 * for the incremental re-check) and `signature` (what a cached rule result depended on)
 * both build on it, so they cannot disagree about what a change to a declaration is.
 */
export function declarationSignature(d: DocumentFacts, lookups: RepoLookups): string {
  // A record whose items are referenced (a budget): a referrer's checks read its items and fields, so all of it counts.
  const items = itemTargets().has(d.kind) ? `|${JSON.stringify(d.values)}` : "";
  return `${d.file}|${d.kind}|${String(d.values.status)}|${d.parsed}${isCatalogue(d.kind) ? `|${[...lookups.controlsOf(d)].join(" ")}` : ""}${items}`;
}

/**
 * All a rule can read of a document's values (`doc:X`, `kind:K` lookups): any edit to them
 * changes it. The values are digested, so a run cache keeps a short string per lookup.
 */
export function valuesSignature(d: DocumentFacts): string {
  return `${d.file}|${d.kind}|${d.parsed}|${digest(JSON.stringify(d.values))}`;
}

const digest = (text: string): string => createHash("sha256").update(text).digest("base64url").slice(0, 22);

/**
 * What a lookup key answers now, as a string: equal strings mean a rule asking again
 * gets the same answer. `id:X` covers every declaration (see `declarationSignature`) and a
 * duplicate's position; `doc:X` the values of X's declarations; `kind:K` the values of every
 * document of kind K; `path:P` covers existence and folder, `anchors:P` the anchors (apart, so
 * typing in a heading re-checks the pages that link to an anchor of it, not every page that
 * links to it); `git` the HEAD commit.
 */
export function signature(key: string, index: RepoIndex, lookups: RepoLookups, git: GitFacts | null): string {
  if (key === "git") return git ? `${git.head}${git.shallow ? "|shallow" : ""}` : "none";
  const colon = key.indexOf(":");
  const kind = key.slice(0, colon);
  const value = key.slice(colon + 1);
  if (kind === "ids") return idsOfKind(index, value).join(" ");
  if (kind === "refby") return referrersOf(index, value).map(referrerSignature).join(";");
  if (kind === "id") {
    const decls = index.decls.get(value) ?? [];
    let sig = decls.map((d) => declarationSignature(d, lookups)).join(";");
    if (decls.length > 1) sig += `@${JSON.stringify(lookups.rangeOf(decls[0]!, "/id") ?? null)}`;
    if (decls.length === 0 && BUILTIN_CATALOGUES.has(value)) sig = "builtin";
    return sig;
  }
  if (kind === "doc") return (index.decls.get(value) ?? []).map(valuesSignature).join(";");
  if (kind === "kind") return digest(index.ofKind(value).map(valuesSignature).join(";"));
  if (kind === "anchors") return [...(lookups.anchors(value) ?? [])].join(" ");
  const exists = lookups.exists(value);
  return `${lookups.leaves(value)}|${exists}|${exists && lookups.isFolder(value)}`;
}

/**
 * Which lookup keys answer now as they did in a stored run, given what changed since
 * (`changes`: every document changed, added or removed, with its earlier facts; the kinds
 * and every other document the same, byte for byte). A cached rule result that held then
 * holds now for those keys without working out their signature again (issue 14).
 *
 * Only keys whose answer `signature` reads from documents alone are vouched for, each by
 * the documents it reads: `id:X` and `doc:X` from the declarations of X; `kind:K` from the
 * documents of kind K; `ids:K` from those and from every declaration of their ids (the
 * first declaration of an id decides the kind it is listed under); `refby:X` from the
 * documents referencing X; `path:P` and `anchors:P` from P when P is a document now and
 * unchanged (a document is never outside, always exists and is no folder; its anchors come
 * from its content alone). So a key is suspect when a changed document, before or after,
 * declares, is of, references or is what it names. Every other key (`git`, a path that is
 * not an unchanged document, any future kind of key) is asked again.
 */
export function unchangedKeys(changes: StoreChanges, index: RepoIndex): (key: string) => boolean {
  const suspect = new Set<string>();
  const note = (d: DocumentFacts) => {
    if (d.id) {
      suspect.add(`id:${d.id}`).add(`doc:${d.id}`);
      // Which declaration of an id comes first decides its kind's list (idsOfKind).
      for (const other of index.decls.get(d.id) ?? []) suspect.add(`ids:${other.kind}`);
    }
    suspect.add(`kind:${d.kind}`).add(`ids:${d.kind}`);
    if (d.parsed) for (const ref of references(d)) suspect.add(`refby:${ref.id}`);
  };
  for (const d of changes.before) note(d);
  for (const file of changes.files) {
    const now = index.results.get(file)?.facts;
    if (now) note(now);
  }
  return (key) => {
    const colon = key.indexOf(":");
    const kind = colon < 0 ? key : key.slice(0, colon);
    if (kind === "path" || kind === "anchors") {
      const path = key.slice(colon + 1);
      return index.results.has(path) && !changes.files.has(path);
    }
    if (kind === "id" || kind === "doc" || kind === "kind" || kind === "refby" || kind === "ids") return !suspect.has(key);
    return false;
  };
}

/** What other documents may observe of this one: the signature of each lookup key it answers. */
export function provided(facts: DocumentFacts, lookups: RepoLookups): Map<string, string> {
  const sigs = new Map<string, string>();
  sigs.set(`path:${facts.file}`, "doc");
  sigs.set(`anchors:${facts.file}`, facts.format === "markdown" ? [...lookups.headingsOf(facts).map((h) => h.slug), ...(facts.htmlAnchors ?? [])].join(" ") : "");
  if (facts.id) sigs.set(`id:${facts.id}`, declarationSignature(facts, lookups));
  const values = valuesSignature(facts);
  sigs.set(`kind:${facts.kind}`, values);
  if (facts.id) sigs.set(`doc:${facts.id}`, values);
  sigs.set(`ids:${facts.kind}`, facts.id ?? "");
  if (facts.parsed) for (const ref of references(facts)) sigs.set(`refby:${ref.id}`, referrerSignature(facts));
  return sigs;
}

/**
 * Which lookups each checked file made (`deps`) and, the other way round, which files
 * made each lookup (`consumers`): an edit re-checks the consumers of the keys it changed.
 */
export class Dependencies {
  private readonly deps = new Map<string, Set<string>>();
  private readonly consumers = new Map<string, Set<string>>();

  record(file: string, keys: Set<string>): void {
    this.deps.set(file, keys);
    for (const key of keys) this.add(key, file);
  }

  /** Registers one more consumer of a key (the config's own lookups). */
  add(key: string, file: string): void {
    let set = this.consumers.get(key);
    if (!set) this.consumers.set(key, (set = new Set()));
    set.add(file);
  }

  /** Forgets what a file looked up. */
  drop(file: string): void {
    for (const key of this.deps.get(file) ?? []) this.consumers.get(key)?.delete(file);
    this.deps.delete(file);
  }

  /** Forgets that `file` made these lookups (the config, whose keys are kept apart). */
  dropKeys(file: string, keys: Iterable<string>): void {
    for (const key of keys) this.consumers.get(key)?.delete(file);
  }

  consumersOf(key: string): ReadonlySet<string> {
    return this.consumers.get(key) ?? EMPTY;
  }

  clear(): void {
    this.deps.clear();
    this.consumers.clear();
  }
}

const EMPTY: ReadonlySet<string> = new Set();
