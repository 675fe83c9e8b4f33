import { join } from "node:path";
import type { Config } from "../config/config.js";
import { CONFIG_FILES, loadConfig } from "../config/load-config.js";
import { KINDS_FOLDER, loadKinds } from "../facts/repo-kinds.js";
import { UsageError, ConfigError } from "../model/errors.js";
import { overlayHost, type OverlayHost } from "../io/overlay-host.js";
import { checkKindFolders, discover, kindOf } from "../facts/discover.js";
import { ABORT_STRIDE, checkAborted, yieldAndCheck } from "../model/abort.js";
import { readAndParse } from "../facts/read.js";
import { decodeText } from "../facts/decode.js";
import { pointerAtText, tolerantRanges, type PointerAt, type Position } from "../facts/pointer.js";
import type { Suggestion } from "../model/types.js";
import { parseDay, type Day } from "../model/dates.js";
import { BUILTIN_CATALOGUES, type Catalogue } from "../domain/frameworks/builtin.js";
import type { Host } from "../io/host.js";
import { parseFile, type FileResult } from "../facts/parse-file.js";
import { ungovernedFolders } from "../facts/ungoverned.js";
import { RULES } from "../rules/registry.js";
import { checkConfigEntries } from "../rules/control/unknown/rule.js";
import { interpolate, type RepoView, type Rule } from "../rules/rule.js";
import type { DocumentFacts, DocumentSummary, Finding, Heading, LineLengths, Range } from "../model/types.js";
import type { CatalogControl } from "../domain/frameworks/oscal.js";
import { kinds as currentKinds, fieldValue, isCatalogue, kindDef, withKinds, type KindRegistry } from "../model/kinds.js";
import type { Commit, GitFacts } from "../io/git-history.js";
import { applyRuleSettings, byFileMap, compareFindings, deltaOf, LINE1, type FindingsDelta } from "./findings.js";
import { RepoIndex } from "./repo-index.js";
import { RepoLookups, recordingView } from "./lookups.js";
import { Dependencies, provided, signature, unchangedKeys } from "./dependencies.js";
import { rulesFor, runRules, withRuleFields } from "./run-rules.js";
import { memoContext, memoHolds, type RuleMemoStore } from "./rule-memo.js";
import { quickFixes } from "./quick-fixes.js";
import { sourceFiles, type SourceFile } from "./source-files.js";

/** True when two versions of a document are of one kind and give its path fields the same values (what `folder/ungoverned` reads). */
function samePathFields(a: DocumentFacts, b: DocumentFacts): boolean {
  if (a.kind !== b.kind) return false;
  // Path fields may be nested (`disposal/certificate`): compare what `fieldValue` reads, as `folder/ungoverned` does.
  return (currentKinds().get(a.kind)?.pathFields ?? []).every((f) => JSON.stringify(fieldValue(a.values, f)) === JSON.stringify(fieldValue(b.values, f)));
}

/** The dependency key of the set of catalogues (kinds with the `catalogue` trait): the config's framework entries depend on it. */
const CATALOGUES_KEY = "catalogues";

export { compareFindings, applyRuleSettings, type FindingsDelta } from "./findings.js";
export type { RuleMemo, RuleMemoStore, StoreChanges } from "./rule-memo.js";
export type { SourceFile } from "./source-files.js";

/**
 * A loaded repository that answers "what is wrong" and stays current under edits.
 *
 * Two phases (STYLE §7): each governed file is parsed on its own into facts plus the
 * findings of parsing it (see parse-file.ts); then every rule runs per document against a
 * RepoView. The view records each lookup a document's rules make (`id:X`, `path:P`, `anchors:P`), so
 * after an edit only the documents whose lookups changed are checked again.
 */
export class Workspace {
  private readonly index = new RepoIndex();
  private readonly lookups: RepoLookups;
  private readonly dependencies = new Dependencies();
  private readonly ruleFindings = new Map<string, Finding[]>();
  private readonly rulesByKind = new Map<DocumentFacts["kind"], readonly Rule[]>();
  private gitFacts: GitFacts | null = null;
  /** Findings on the config file itself (its unknown frameworks and controls), and the lookups they made. */
  private configFindings: Finding[] = [];
  private configKeys = new Set<string>();
  /** A finding on the config file when an edit made it invalid (the last valid config stays in force). */
  private configProblem: Finding[] = [];
  /** How the config was found (`--config`, cwd), so an edit to it is read the same way. */
  configOrigin: { explicit?: string; cwd?: string } = {};
  readonly todayDay: Day;
  /** The host every read goes through: the caller's, overlaid with the edits given to `update`/`remove`. */
  private readonly host: OverlayHost;
  private rules: readonly Rule[];

  constructor(
    readonly root: string,
    private currentConfig: Config,
    readonly today: string,
    host: Host,
    /** Findings about files that could not become documents (bad symlinks…), by file. */
    private readonly extra = new Map<string, Finding[]>(),
    /**
     * Record what each document's rules look up, for incremental edits. A one-shot run
     * (the CLI) can skip the bookkeeping; the first edit then turns it on and re-checks.
     */
    private tracking = true,
    /**
     * Tests set this (`load(…, { strictReports: true })`): a report whose range lies outside
     * the file throws, naming the rule, instead of being clamped, and a rule that throws is
     * rethrown rather than turned into `engine/rule-error`.
     */
    private readonly strictReports = false,
    /** The kinds this repository has (built in and `kinds/*.schema.json`); its work runs with them (see `inKinds`). */
    private kindRegistry: KindRegistry = currentKinds(),
  ) {
    const day = parseDay(today);
    if (day === null) throw new Error(`invalid today: ${today}`);
    this.todayDay = day;
    this.host = overlayHost(host);
    this.lookups = new RepoLookups(root, this.host, this.index);
    this.view = recordingView(this.lookups, this.index, () => this.gitFacts, (prefix, value) => {
      if (this.recording) this.keys.add(prefix + value);
    });
    this.rules = RULES.filter((r) => currentConfig.rules[r.meta.code] !== "off");
  }

  /** The kinds of this repository: re-derived when `kinds/*.schema.json` or the config changes. */
  get kinds(): KindRegistry {
    return this.kindRegistry;
  }

  /** Runs `fn` with this workspace's kinds (what `kinds()` and `kindDef()` answer inside it, awaits included). */
  inKinds<T>(fn: () => T): T {
    return withKinds(this.kindRegistry, fn);
  }

  /** The configuration in force (after an edit to `policyops.yaml`, the new one if it is valid). */
  get config(): Config {
    return this.currentConfig;
  }

  /**
   * Loads many parsed files at once, then checks every document. With a memo store, a
   * document whose content is unchanged (the store only answers for those) keeps its
   * earlier rule results when today, the config and every lookup its rules made still
   * give the same answers; all other documents are checked, and their results stored.
   */
  addResults(results: Iterable<FileResult>, memos?: RuleMemoStore): void {
    return this.inKinds(() => {
      for (const r of results) this.insert(r);
      this.checkConfig();
      if (!memos) {
        for (const file of this.index.results.keys()) this.check(file);
        return;
      }
      const context = memoContext(this.today, this.config);
      const sigs = new Map<string, string>();
      const sig = (key: string) => {
        let s = sigs.get(key);
        if (s === undefined) sigs.set(key, (s = this.signature(key)));
        return s;
      };
      // A key no changed document can answer differently is not asked again (issue 14: a
      // warm run after one edit then computes a handful of signatures, not one per id).
      const changes = memos.changes?.() ?? null;
      const unchanged = changes ? unchangedKeys(changes, this.index) : null;
      const check = (key: string, stored: string) => (unchanged !== null && unchanged(key)) || sig(key) === stored;
      for (const file of this.index.results.keys()) {
        const memo = memos.get(file);
        if (this.index.results.get(file)!.facts.parsed && memoHolds(memo, context, check)) {
          if (memo.findings.length) this.ruleFindings.set(file, memo.findings);
          if (this.tracking) this.dependencies.record(file, new Set(memo.deps));
          continue;
        }
        this.check(file, true);
        const deps = [...this.keys];
        memos.set(file, { context, findings: this.ruleFindings.get(file) ?? [], deps, sigs: deps.map(sig) });
      }
    });
  }

  /** What a lookup key answers now (see dependencies.ts: the one signature recipe). @internal for tests and the run cache. */
  signature(key: string): string {
    return signature(key, this.index, this.lookups, this.gitFacts);
  }

  /** What other documents may observe of a document: the signature of each lookup key it answers. @internal for tests. */
  provided(facts: DocumentFacts): Map<string, string> {
    return provided(facts, this.lookups);
  }

  /** Every finding, severities as configured, sorted. */
  findings(): Finding[] {
    return this.inKinds(() => {
      const all: Finding[] = [];
      for (const [file, r] of this.index.results) {
        all.push(...r.findings);
        all.push(...(this.ruleFindings.get(file) ?? []));
      }
      for (const list of this.extra.values()) all.push(...list);
      all.push(...this.ungoverned());
      all.push(...this.configFindings, ...this.configProblem);
      return applyRuleSettings(all, this.config.rules).sort(compareFindings);
    });
  }

  /** A governed file's parse result as loaded (read-only: `--changed-since` reuses those of unchanged files). */
  parsed(file: string): FileResult | undefined {
    return this.index.results.get(file);
  }

  /** The current findings of one file, as `findings()` would give them; with `suggest`, each with its quick fixes as data. */
  findingsFor(file: string, options: { suggest?: boolean } = {}): Finding[] {
    return this.inKinds(() => {
      const list = this.ownFindings(file);
      if (!options.suggest) return list;
      return list.map((f) => {
        const suggest = this.suggestionsFor(f);
        return suggest.length ? { ...f, suggest } : f;
      });
    });
  }

  /** Quick fixes for a finding, as edits (see quick-fixes.ts); empty when none applies. */
  suggestionsFor(f: Finding): Suggestion[] {
    return this.inKinds(() => {
      return quickFixes(f, { today: this.today, config: this.config, text: (file) => this.text(file), facts: (file) => this.facts(file), nextFreeId: (id) => this.index.nextFreeId(id) });
    });
  }

  private ownFindings(file: string): Finding[] {
    const r = this.index.results.get(file);
    const own = r ? [...r.findings, ...(this.ruleFindings.get(file) ?? [])] : [];
    if (file === this.config.source) own.push(...this.configFindings);
    own.push(...this.configProblem.filter((f) => f.file === file));
    own.push(...this.ungoverned().filter((f) => f.file === file));
    return applyRuleSettings([...own, ...(this.extra.get(file) ?? [])], this.config.rules).sort(compareFindings);
  }

  /** `folder/ungoverned`: depends on the documents' path fields, so worked out again after any edit. */
  private ungovernedMemo: Finding[] | null = null;
  private ungoverned(): Finding[] {
    return (this.ungovernedMemo ??= ungovernedFolders(this.root, this.config, this.host, [...this.index.results.values()].map((r) => r.facts)));
  }

  documents(): DocumentSummary[] {
    return this.index.documents();
  }

  /** Facts of every governed document, in path order: the input of reports and the site. */
  allFacts(): DocumentFacts[] {
    return this.index.allFacts();
  }

  facts(file: string): DocumentFacts | undefined {
    return this.index.facts(file);
  }

  /** Every catalogue: built in, and `frameworks/*.yaml` (a repo framework with a built-in id replaces it). */
  catalogues(): Catalogue[] {
    const out = new Map<string, Catalogue>(BUILTIN_CATALOGUES);
    for (const [id, list] of this.index.decls) {
      const fw = list.find((d) => isCatalogue(d.kind) && d.parsed);
      if (!fw || list[0] !== fw) continue;
      const controls = Array.isArray(fw.values.controls)
        ? (fw.values.controls as unknown[]).filter((c): c is CatalogControl => !!c && typeof c === "object" && typeof (c as CatalogControl).id === "string")
        : [];
      out.set(id, { id, title: String(fw.values.title ?? id), version: fw.values.version === undefined ? undefined : String(fw.values.version), controls, file: fw.file });
    }
    return [...out.values()];
  }

  /** Git history, or null outside git. */
  get git(): GitFacts | null {
    return this.gitFacts;
  }

  /**
   * Things the user should know that are not findings about a document: today, that git
   * history is shallow so `approval/stale` was not checked. Front ends show them as notes.
   */
  notices(): string[] {
    const out: string[] = [];
    if (this.gitFacts?.shallow && this.rules.some((r) => r.meta.code === "approval/stale")) {
      out.push("git history is shallow; approval/stale was not checked (fetch full history, e.g. `fetch-depth: 0`)");
    }
    return out;
  }

  /** Commits that touched a document, newest first, following renames; empty outside git. */
  history(file: string): readonly Commit[] {
    return this.gitFacts?.history.get(file) ?? [];
  }

  /** Installs (new) git facts, e.g. after a commit, and re-checks the documents that read them. */
  setGit(facts: GitFacts | null): FindingsDelta {
    return this.inKinds(() => {
      if (this.index.results.size === 0) {
        this.gitFacts = facts; // before any document: nothing to re-check
        return new Map();
      }
      this.ensureTracking();
      this.gitFacts = facts;
      const affected = new Set(this.dependencies.consumersOf("git"));
      const before = new Map([...affected].map((f) => [f, this.findingsFor(f)]));
      for (const f of affected) this.check(f);
      return this.delta(affected, before);
    });
  }

  /**
   * The documents whose findings may depend on the given files: the files themselves and
   * every document whose cross-document checks looked them up (by path or by id, including
   * ids the files had before, e.g. at the base of a pull request).
   */
  affectedBy(files: Iterable<string>, formerIds: Iterable<string> = []): Set<string> {
    return this.inKinds(() => {
      this.ensureTracking();
      const out = new Set<string>();
      const keys: string[] = [...formerIds].map((id) => `id:${id}`);
      for (const f of files) {
        out.add(f);
        keys.push(`path:${f}`, `anchors:${f}`);
        const id = this.index.results.get(f)?.facts.id;
        if (id) keys.push(`id:${id}`);
      }
      for (const k of keys) for (const f of this.dependencies.consumersOf(k)) out.add(f);
      return out;
    });
  }

  // ---- incremental edits -------------------------------------------------------------

  /**
   * A file's new content (governed or not, the config included). Returns the findings of
   * every file whose findings changed. With a `version` (an editor's document version), an
   * update older than the last one seen for the file is ignored (an empty result).
   */
  update(file: string, content: string | Uint8Array, version?: number): FindingsDelta {
    return this.inKinds(() => {
      if (!this.host.set(join(this.root, file), content, version)) return new Map();
      if (this.isConfigFile(file) || isKindSchema(file)) return this.reconfigure(file);
      this.ensureTracking();
      const kind = kindOf(file, this.config);
      if (!kind) return this.touchPlainFile(file, content);
      return this.replace(file, parseFile(file, kind, content, { positions: "eager" }));
    });
  }

  add(file: string, content: string | Uint8Array): FindingsDelta {
    return this.update(file, content);
  }

  remove(file: string, version?: number): FindingsDelta {
    return this.inKinds(() => {
      if (!this.host.delete(join(this.root, file), version)) return new Map();
      if (this.isConfigFile(file) || isKindSchema(file)) return this.reconfigure(file);
      this.ensureTracking();
      if (!this.index.results.has(file)) return this.touchPlainFile(file, null);
      return this.replace(file, null);
    });
  }

  /** The last version given to `update`/`remove` for a file, if any. */
  version(file: string): number | undefined {
    return this.host.version(join(this.root, file));
  }

  private isConfigFile(file: string): boolean {
    if (this.configOrigin.explicit !== undefined) return file === this.config.source;
    return this.config.source !== null ? file === this.config.source : CONFIG_FILES.includes(file);
  }

  /**
   * The config changed: read it again and, if it is valid, re-derive everything from it
   * (which files are governed and as what kind, rules, severities, sections) and check
   * every document again. An invalid config is a `config/invalid` finding on its file, and
   * the last valid config stays in force, so an editor keeps working while it is typed.
   */
  private reconfigure(changed: string): FindingsDelta {
    const before = this.findingsByFile();
    let next: Config;
    let registry: KindRegistry;
    try {
      // The kinds first (kinds/*.schema.json): the config's defaults and every folder depend on them.
      registry = loadKinds(this.root, this.host);
      next = withKinds(registry, () => {
        const config = loadConfig(this.root, this.host, this.configOrigin.explicit, this.configOrigin.cwd);
        checkKindFolders(this.root, config, this.host);
        return config;
      });
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const kindSchema = !(e instanceof ConfigError) && isKindSchema(changed);
      const file = e instanceof ConfigError ? e.file : kindSchema ? changed : this.config.source ?? CONFIG_FILES[0]!;
      const at = e instanceof ConfigError ? { line: e.line, column: e.column } : { line: 1, column: 1 };
      const reason = e instanceof ConfigError ? e.reason : e.message;
      this.configProblem = [{
        code: "config/invalid", severity: "error", file, line: at.line, column: at.column, endLine: at.line, endColumn: at.column, docId: null,
        message: kindSchema
          ? `This kind schema is not valid (${reason}), so the last valid kinds are still used; fix it as the message says.`
          : `This config is not valid (${reason}), so the last valid one is still used; fix it as the message says.`,
        data: { reason },
      }];
      return deltaOf(before, this.findingsByFile());
    }
    this.kindRegistry = registry;
    return this.inKinds(() => this.rederive(next, before));
  }

  /** Re-derives everything from a new (valid) config and kinds, and checks every document again. */
  private rederive(next: Config, before: Map<string, Finding[]>): FindingsDelta {
    this.configProblem = [];
    this.ungovernedMemo = null;
    this.currentConfig = next;
    this.rules = RULES.filter((r) => next.rules[r.meta.code] !== "off");
    this.rulesByKind.clear();
    this.index.clear();
    this.ruleFindings.clear();
    this.dependencies.clear();
    this.lookups.clear();
    this.extra.clear();
    this.configFindings = [];
    this.configKeys = new Set();
    const { governed, skipped } = discover(this.root, next, this.host);
    for (const s of skipped) this.extra.set(s.file, [{ code: s.code, severity: "error", message: s.message, file: s.file, ...LINE1, docId: null }]);
    this.tracking = true;
    this.addResults(governed.map((g) => readAndParse(this.root, g, this.host)));
    return deltaOf(before, this.findingsByFile());
  }

  private findingsByFile(): Map<string, Finding[]> {
    return byFileMap(this.findings());
  }

  /**
   * Loads many parsed files at once and checks every document, like `addResults`, but
   * lets the event loop run every few documents and stops when `signal` is aborted
   * (throwing its reason; documents not reached yet have no rule findings).
   */
  async addResultsAsync(results: Iterable<FileResult>, signal?: AbortSignal): Promise<void> {
    return this.inKinds(async () => {
      for (const r of results) this.insert(r);
      this.checkConfig();
      await this.checkAll(signal);
    });
  }

  /**
   * Checks every document again (after new git facts, or to settle an aborted run), yielding
   * to the event loop as it goes; an aborted signal stops it between two documents and
   * throws its reason. Returns the findings of every file whose findings changed.
   */
  async revalidate(signal?: AbortSignal): Promise<FindingsDelta> {
    return this.inKinds(async () => {
      const before = this.findingsByFile();
      this.tracking = true;
      this.checkConfig();
      await this.checkAll(signal);
      return deltaOf(before, this.findingsByFile());
    });
  }

  private async checkAll(signal?: AbortSignal): Promise<void> {
    checkAborted(signal);
    let i = 0;
    for (const file of [...this.index.results.keys()]) {
      if (++i % ABORT_STRIDE === 0) await yieldAndCheck(signal);
      this.check(file);
    }
  }

  /**
   * The text of any file of the repository as the engine sees it (an edit given to
   * `update` wins over the disk), decoded from UTF-8/UTF-16; undefined when it does not
   * exist, cannot be read, is not text, or its real path leaves the repository.
   */
  text(file: string): string | undefined {
    if (this.lookups.leaves(file)) return undefined;
    try {
      const decoded = decodeText(this.host.readFile(join(this.root, file)));
      return decoded.ok ? decoded.text : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * What is at a position of a governed document or the config (as edited): the JSON
   * pointer, whether it is a key, and what holds it (see PointerAt). It works while the YAML
   * does not parse. Null outside the YAML (a Markdown body) or for a file that cannot be read.
   */
  pointerAt(file: string, position: Position): PointerAt | null {
    const text = this.text(file);
    if (text === undefined) return null;
    const format = this.index.results.get(file)?.facts.format ?? (/\.(md|markdown)$/i.test(file) ? "markdown" : "yaml");
    return pointerAtText(text, format, position);
  }

  /** Every file of the repository the site publishes, with its sha256 and size (see source-files.ts). */
  sourceFiles(): SourceFile[] {
    return sourceFiles(this.root, this.host, (path) => this.lookups.leaves(path));
  }

  private replace(file: string, next: FileResult | null): FindingsDelta {
    const before = new Map([[file, this.findingsFor(file)]]);
    const ungovernedBefore = this.ungoverned();
    const prev = this.index.results.get(file);
    const changed = new Set<string>();
    const oldSigs = prev ? this.provided(prev.facts) : new Map<string, string>();
    // `folder/ungoverned` reads documents only for their path fields: an edit that keeps them
    // (typing in a page's body) keeps the answer, without listing the repository's root again.
    const ungovernedKept = prev && next && samePathFields(prev.facts, next.facts) ? this.ungovernedMemo : null;
    if (prev) this.evict(prev);
    this.extra.delete(file);
    if (next) this.insert(next);
    if (ungovernedKept) this.ungovernedMemo = ungovernedKept;
    const newSigs = next ? this.provided(next.facts) : new Map<string, string>();
    for (const [k, v] of oldSigs) if (newSigs.get(k) !== v) changed.add(k);
    for (const [k, v] of newSigs) if (oldSigs.get(k) !== v) changed.add(k);
    // The set of framework ids (the config's "did you mean") changes with any catalogue document.
    if ((prev && isCatalogue(prev.facts.kind)) || (next && isCatalogue(next.facts.kind))) changed.add(CATALOGUES_KEY);
    // What the caller says wins over the disk: a removed file is gone even if still on disk.
    this.lookups.changed(file, next !== null);
    const affected = new Set<string>([file]);
    for (const key of changed) for (const f of this.dependencies.consumersOf(key)) affected.add(f);
    // Their parse findings are unchanged and their rule findings not yet re-run: this is "before".
    for (const f of affected) if (!before.has(f)) before.set(f, this.findingsFor(f));
    for (const f of affected) {
      if (this.index.results.has(f)) this.check(f);
      else if (f === this.config.source) this.checkConfig();
      else this.dropChecks(f);
    }
    return this.withUngovernedChanges(this.delta(affected, before), ungovernedBefore);
  }

  /** A file that is not a document changed (an agreement, a README that links point at). */
  private touchPlainFile(file: string, content: string | Uint8Array | null): FindingsDelta {
    const affected = new Set([...this.dependencies.consumersOf(`path:${file}`), ...this.dependencies.consumersOf(`anchors:${file}`)]);
    const before = new Map([...affected].map((f) => [f, this.findingsFor(f)]));
    const ungovernedBefore = this.ungoverned();
    this.lookups.touched(file, content);
    // A file added to (or removed from) a folder no kind governs makes `folder/ungoverned` come (or go).
    this.ungovernedMemo = null;
    for (const f of affected) this.check(f);
    return this.withUngovernedChanges(this.delta(affected, before), ungovernedBefore);
  }

  /** Adds to a delta the files whose `folder/ungoverned` findings an edit changed (worked out again from the host). */
  private withUngovernedChanges(out: FindingsDelta, ungovernedBefore: Finding[]): FindingsDelta {
    const was = byFileMap(ungovernedBefore);
    const now = byFileMap(this.ungoverned());
    for (const f of new Set([...was.keys(), ...now.keys()])) {
      if (!out.has(f) && JSON.stringify(was.get(f) ?? []) !== JSON.stringify(now.get(f) ?? [])) out.set(f, this.findingsFor(f));
    }
    return out;
  }

  private delta(affected: Set<string>, before: Map<string, Finding[]>): FindingsDelta {
    const out: FindingsDelta = new Map();
    for (const f of affected) {
      const now = this.findingsFor(f);
      const was = before.get(f);
      if (!was || JSON.stringify(was) !== JSON.stringify(now)) out.set(f, now);
    }
    return out;
  }

  // ---- index maintenance --------------------------------------------------------------

  private insert(r: FileResult): void {
    this.index.insert(r);
    this.ungovernedMemo = null;
  }

  private evict(r: FileResult): void {
    this.index.evict(r);
    this.ungovernedMemo = null;
  }

  private dropChecks(file: string): void {
    this.ruleFindings.delete(file);
    if (!this.tracking) return;
    this.dependencies.drop(file);
  }

  // ---- rule runs ---------------------------------------------------------------------

  /** The lookups the document being checked has made so far (see `view`). */
  private keys = new Set<string>();
  /** True while a check records its lookups (for tracking, or for a rule memo). */
  private recording = true;
  /** The RepoView every rule run gets; it records each lookup in `keys`, which `check` swaps per document. */
  private readonly view: RepoView;

  /** Turns dependency tracking on (re-checking everything once) before an incremental edit. */
  private ensureTracking(): void {
    if (this.tracking) return;
    this.tracking = true;
    for (const file of this.index.results.keys()) this.check(file);
  }

  private check(file: string, record = false): void {
    this.recording = this.tracking || record;
    this.dropChecks(file);
    const keys = (this.keys = new Set<string>());
    const r = this.index.results.get(file);
    if (!r || !r.facts.parsed) return;
    const doc = r.facts;
    const found = runRules(doc, rulesFor(this.rulesByKind, this.rules, doc.kind), this.view, this.config, this.todayDay, this.lookups, this.strictReports);
    if (found.length) this.ruleFindings.set(file, found);
    if (this.tracking) this.dependencies.record(file, keys);
  }

  /**
   * Checks the config's entries that name frameworks and controls against the catalogues
   * (`control/unknown` on the config file). Its lookups are registered like a document's,
   * so adding, fixing or removing a catalogue re-checks it.
   */
  private checkConfig(): void {
    const file = this.config.source;
    if (!file || !this.config.entries) return;
    this.dependencies.dropKeys(file, this.configKeys);
    const rule = this.rules.find((r) => r.meta.code === "control/unknown");
    const keys = new Set<string>([CATALOGUES_KEY]);
    const found: Finding[] = [];
    if (rule) {
      const lookup = {
        framework: (id: string) => {
          keys.add(`id:${id}`);
          return this.lookups.frameworkControls(id);
        },
        frameworkIds: () => this.lookups.frameworkIds(),
      };
      checkConfigEntries(this.config, lookup, (rep) => {
        const template = rule.meta.messages[rep.messageId]!;
        found.push(withRuleFields({ code: rule.meta.code, severity: rule.meta.severity, message: interpolate(template, rep.data, rule.meta.code), file, ...(rep.at as Range), docId: null }, rule, rep));
      });
    }
    this.configFindings = found;
    this.configKeys = keys;
    for (const key of keys) this.dependencies.add(key, file);
  }

  // ---- repository lookups ------------------------------------------------------------

  /**
   * A document's spans and line lengths. A bulk load leaves them out (most documents never
   * need them); the first finding on a document computes them from its file, once.
   */
  positionsOf(doc: DocumentFacts): { ranges: Record<string, Range>; lineLengths: LineLengths } {
    return this.lookups.positionsOf(doc);
  }

  /** A document's headings, tokenizing its body on first use if a bulk load skipped it. */
  headingsOf(doc: DocumentFacts): readonly Heading[] {
    return this.lookups.headingsOf(doc);
  }

  /** A governed document's headings by file (for outlines, the site's anchors). */
  headings(file: string): readonly Heading[] {
    const doc = this.index.results.get(file)?.facts;
    return doc && doc.format === "markdown" ? this.lookups.headingsOf(doc) : [];
  }

  /**
   * A governed document's spans by file (for an editor's hover, the site's source links).
   * While its YAML does not parse, the spans come from yaml's error-tolerant AST (with
   * offsets too), so an editor still has positions for what it can recover.
   */
  positions(file: string): { ranges: Record<string, Range>; lineLengths: LineLengths } | undefined {
    return this.inKinds(() => {
      const doc = this.index.results.get(file)?.facts;
      if (!doc) return undefined;
      const p = this.lookups.positionsOf(doc);
      if (doc.parsed) return p;
      const text = this.text(file);
      return text === undefined ? p : { ranges: { ...tolerantRanges(text, doc.format), ...p.ranges }, lineLengths: p.lineLengths };
    });
  }
}


/** A repository kind's schema (`kinds/<name>.schema.json`): editing one re-derives the kinds. */
const isKindSchema = (file: string): boolean => file.startsWith(`${KINDS_FOLDER}/`) && !file.slice(KINDS_FOLDER.length + 1).includes("/") && file.endsWith(".schema.json");
