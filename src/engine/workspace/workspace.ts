import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import { CONFIG_FILES, loadConfig } from "../config/load-config.js";
import { UsageError, ConfigError } from "../model/errors.js";
import { overlayHost, type OverlayHost } from "../io/overlay-host.js";
import { checkKindFolders, discover } from "../facts/discover.js";
import { ABORT_STRIDE, checkAborted, yieldAndCheck } from "../model/abort.js";
import { readAndParse } from "../facts/read.js";
import { decodeText } from "../facts/decode.js";
import { offsetOf, pointerAtText, tolerantRanges, type PointerAt, type Position } from "../facts/pointer.js";
import { YamlEditor } from "../facts/fixes.js";
import { schemaAt } from "../facts/schema-at.js";
import type { Suggestion, TextEdit } from "../model/types.js";
import { parseDay, type Day } from "../model/dates.js";
import { BUILTIN_CATALOGUES, type Catalogue } from "../domain/frameworks/builtin.js";
import type { Host } from "../io/host.js";
import { isInside, realRootOf } from "../io/safe-path.js";
import { kindOf } from "../facts/discover.js";
import { markdownOf, parseFile, positionsOf, rangeFor, type FileResult } from "../facts/parse-file.js";
import { applies, kindDef } from "../model/kinds.js";
import { ungovernedFolders } from "../facts/ungoverned.js";
import { RULES } from "../rules/registry.js";
import { checkConfigEntries } from "../rules/control/unknown/rule.js";
import { interpolate, type Report, type RepoView, type Rule } from "../rules/rule.js";
import { clampRange, LineIndex } from "../facts/line-index.js";
import type { DocumentFacts, DocumentSummary, Finding, Heading, Range, SeveritySetting } from "../model/types.js";
import type { CatalogControl } from "../domain/frameworks/oscal.js";
import type { GitFacts } from "../io/git-history.js";

/** A file the site publishes: repo-relative path, sha256 of its bytes (null if unreadable), size in bytes. */
export interface SourceFile {
  file: string;
  sha256: string | null;
  size: number;
}

/** Findings of the documents whose findings changed, after an edit. */
export type FindingsDelta = Map<string, Finding[]>;

/**
 * A document's rule results from an earlier run, with what they depended on: the run's
 * context (today, config) and the signature of every lookup its rules made. They are
 * reused only if all of those are unchanged (see `Workspace.addResults`).
 */
export interface RuleMemo {
  context: string;
  findings: Finding[];
  deps: string[];
  sigs: string[];
}

/** Where a bulk load finds and keeps rule results (the `--cache` file). */
export interface RuleMemoStore {
  get(file: string): RuleMemo | undefined;
  set(file: string, memo: RuleMemo): void;
}

const LINE1: Range = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

/** Sorts findings by file, line, column, then code: the order every output uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Applies `rules:` severity overrides from the config; `off` drops the finding. */
export function applyRuleSettings(findings: Finding[], rules: Record<string, SeveritySetting>): Finding[] {
  if (Object.keys(rules).length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = rules[f.code] ?? rules[`${f.code.slice(0, f.code.indexOf("/"))}/*`];
    if (setting === "off") continue;
    out.push(setting && setting !== f.severity ? { ...f, severity: setting } : f);
  }
  return out;
}

/**
 * A loaded repository that answers "what is wrong" and stays current under edits.
 *
 * Two phases (STYLE §7): each governed file is parsed on its own into facts plus the
 * findings of parsing it (see parse-file.ts); then every rule runs per document against a
 * RepoView. The view records each lookup a document's rules make (`id:X`, `path:P`), so
 * after an edit only the documents whose lookups changed are checked again.
 */
export class Workspace {
  private readonly results = new Map<string, FileResult>();
  private readonly decls = new Map<string, DocumentFacts[]>();
  private readonly ruleFindings = new Map<string, Finding[]>();
  private readonly deps = new Map<string, Set<string>>();
  private readonly consumers = new Map<string, Set<string>>();
  private readonly existsMemo = new Map<string, boolean>();
  private readonly leavesMemo = new Map<string, boolean>();
  private realRootMemo: string | null = null;
  private readonly anchorsMemo = new Map<string, ReadonlySet<string> | undefined>();
  private readonly slugMemo = new WeakMap<DocumentFacts, ReadonlySet<string>>();
  private readonly controlsMemo = new WeakMap<DocumentFacts, ReadonlySet<string>>();
  private readonly builtinSets = new Map<string, ReadonlySet<string>>();
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
  ) {
    const day = parseDay(today);
    if (day === null) throw new Error(`invalid today: ${today}`);
    this.todayDay = day;
    this.host = overlayHost(host);
    this.rules = RULES.filter((r) => currentConfig.rules[r.meta.code] !== "off");
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
    for (const r of results) this.insert(r);
    this.checkConfig();
    if (!memos) {
      for (const file of this.results.keys()) this.check(file);
      return;
    }
    const context = `${this.today}|${JSON.stringify(this.config)}`;
    const sigs = new Map<string, string>();
    const signature = (key: string) => {
      let sig = sigs.get(key);
      if (sig === undefined) sigs.set(key, (sig = this.signature(key)));
      return sig;
    };
    for (const file of this.results.keys()) {
      const memo = memos.get(file);
      if (memo && memo.context === context && this.results.get(file)!.facts.parsed && memo.deps.every((k, i) => signature(k) === memo.sigs[i])) {
        if (memo.findings.length) this.ruleFindings.set(file, memo.findings);
        if (this.tracking) this.recordDeps(file, new Set(memo.deps));
        continue;
      }
      this.check(file, true);
      const deps = [...this.keys];
      memos.set(file, { context, findings: this.ruleFindings.get(file) ?? [], deps, sigs: deps.map(signature) });
    }
  }

  /**
   * What a lookup key answers now, as a string: equal strings mean a rule asking again
   * gets the same answer. `id:X` covers every declaration (file, kind, status, a
   * framework's controls, and a duplicate's position); `path:P` covers existence, folder
   * and anchors; `git` the HEAD commit.
   */
  private signature(key: string): string {
    if (key === "git") return this.gitFacts ? `${this.gitFacts.head}${this.gitFacts.shallow ? "|shallow" : ""}` : "none";
    const colon = key.indexOf(":");
    const kind = key.slice(0, colon);
    const value = key.slice(colon + 1);
    if (kind === "id") {
      const decls = this.decls.get(value) ?? [];
      let sig = decls.map((d) => `${d.file}|${d.kind}|${String(d.values.status)}|${d.parsed}${d.kind === "framework" ? `|${[...this.controlsOf(d)].join(" ")}` : ""}`).join(";");
      if (decls.length > 1) sig += `@${JSON.stringify(rangeFor(this.positionsOf(decls[0]!).ranges, "/id") ?? null)}`;
      if (decls.length === 0 && BUILTIN_CATALOGUES.has(value)) sig = "builtin";
      return sig;
    }
    const exists = this.exists(value);
    return `${this.leaves(value)}|${exists}|${exists && this.isFolder(value)}|${[...(this.anchors(value) ?? [])].join(" ")}`;
  }

  /** Every finding, severities as configured, sorted. */
  findings(): Finding[] {
    const all: Finding[] = [];
    for (const [file, r] of this.results) {
      all.push(...r.findings);
      all.push(...(this.ruleFindings.get(file) ?? []));
    }
    for (const list of this.extra.values()) all.push(...list);
    all.push(...this.ungoverned());
    all.push(...this.configFindings, ...this.configProblem);
    return applyRuleSettings(all, this.config.rules).sort(compareFindings);
  }

  /** A governed file's parse result as loaded (read-only: `--changed-since` reuses those of unchanged files). */
  parsed(file: string): FileResult | undefined {
    return this.results.get(file);
  }

  /** The current findings of one file, as `findings()` would give them; with `suggest`, each with its quick fixes as data. */
  findingsFor(file: string, options: { suggest?: boolean } = {}): Finding[] {
    const list = this.ownFindings(file);
    if (!options.suggest) return list;
    return list.map((f) => {
      const suggest = this.suggestionsFor(f);
      return suggest.length ? { ...f, suggest } : f;
    });
  }

  /**
   * Quick fixes for a finding, as edits computed with yaml's Document API on the file as the
   * engine sees it (each edit replaces one key or value or inserts one line, so comments and
   * layout stay): mark reviewed today, record approval, bump version (and record approval),
   * add a missing required field (its schema's default or example), quote a numeric version,
   * take the next free id, correct to the did-you-mean suggestion. Empty when none applies.
   */
  suggestionsFor(f: Finding): Suggestion[] {
    const text = this.text(f.file);
    if (text === undefined) return [];
    const facts = this.results.get(f.file)?.facts;
    const format = facts?.format ?? (/\.(md|markdown)$/i.test(f.file) ? "markdown" : "yaml");
    const out: Suggestion[] = [];
    // A misspelt anchor (`link/broken`, "did you mean `#x`?"): replace the fragment in the link as written.
    const anchor = f.code === "link/broken" ? /\(did you mean `#([^`]+)`\?\)/.exec(f.message)?.[1] : undefined;
    if (anchor) {
      const lines = new LineIndex(text);
      const a = offsetOf(text, { line: f.line, column: f.column }, lines);
      const b = offsetOf(text, { line: f.endLine, column: f.endColumn }, lines);
      const written = text.slice(a, b);
      const m = /#([^\s)>"'#]*)(?=[^#]*$)/.exec(written);
      if (m) {
        const start = a + m.index + 1;
        const end = start + m[1]!.length;
        out.push({ messageId: "didYouMean", title: `Change to \`#${anchor}\``, edits: [{ file: f.file, range: { ...lines.range(start, end), offset: start, endOffset: end }, newText: anchor }] });
      }
      return out;
    }
    const ed = new YamlEditor(f.file, text, format);
    if (!ed.ok) return out;
    const offer = (messageId: string, title: string, edits: (TextEdit | null)[]) => {
      if (edits.length && edits.every((e) => e !== null)) out.push({ messageId, title, edits: edits as TextEdit[] });
    };
    const today = this.today;
    const at = pointerAtText(text, format, { line: f.line, column: f.column });
    const data = f.data ?? {};
    const values = facts?.values ?? {};
    switch (f.code) {
      case "review/overdue":
      case "review/due-soon":
        offer("markReviewed", `Mark as reviewed today (\`${today}\`)`, [ed.set("/last_reviewed", today)]);
        break;
      case "approval/missing": {
        const edits = [ed.set("/approved_on", today)];
        if (typeof values.approved_by !== "string" || values.approved_by === "") edits.push(typeof values.owner === "string" && values.owner ? ed.set("/approved_by", YamlEditor.scalar(values.owner)) : null);
        offer("recordApproval", `Record approval today (\`${today}\`)${edits.length > 1 ? ` by \`${String(values.owner)}\`` : ""}`, edits);
        break;
      }
      case "approval/stale": {
        offer("recordApproval", `Record approval today (\`${today}\`)`, [ed.set("/approved_on", today)]);
        const bumped = bumpVersion(values.version);
        if (bumped) offer("bumpVersion", `Bump version to \`${bumped}\` and record approval today`, [ed.set("/version", YamlEditor.scalar(bumped)), ed.set("/approved_on", today)]);
        break;
      }
      case "schema/required": {
        const missing = typeof data.missing === "string" ? data.missing : null;
        if (!missing || !at) break;
        const parent = at.pointer.slice(0, at.pointer.lastIndexOf("/"));
        const info = schemaAt(facts?.kind ?? (f.file === this.config.source ? "policyops.yaml" : ""), `${parent}/${missing}`);
        const value = info?.default ?? info?.examples?.[0] ?? info?.enum?.[0];
        if (value === undefined || (value !== null && typeof value === "object")) break;
        offer("addRequired", `Add the missing field \`${missing}\``, [ed.set(`${parent}/${missing.replace(/~/g, "~0").replace(/\//g, "~1")}`, YamlEditor.scalar(value))]);
        break;
      }
      case "id/duplicate": {
        const id = typeof data.id === "string" ? data.id : facts?.id;
        const next = id ? this.nextFreeId(id) : null;
        if (next) offer("nextFreeId", `Use the next free id \`${next}\``, [ed.set("/id", YamlEditor.scalar(next))]);
        break;
      }
    }
    // A numeric version (`version: 1`): quote it as MAJOR.MINOR.
    if ((f.code === "schema/pattern" || f.code === "schema/type") && at && !at.inKey && /\/version$/.test(at.pointer)) {
      const written = ed.written(at.pointer);
      if (written && /^[0-9]+(\.[0-9]+){0,2}$/.test(written)) {
        const fixed = /^[0-9]+$/.test(written) ? `${written}.0` : written;
        offer("quoteVersion", `Quote the version as \`"${fixed}"\``, [ed.set(at.pointer, JSON.stringify(fixed))]);
      }
    }
    // "did you mean `x`?": a misspelt key is renamed, a misspelt value replaced.
    const near = /\(did you mean `#?([^`]+)`\?\)/.exec(f.message)?.[1];
    if (near && at && f.code !== "link/broken") {
      if (at.inKey) offer("didYouMean", `Change to \`${near}\``, [ed.renameKey(at.pointer, near)]);
      else {
        const written = ed.written(at.pointer);
        const wrong = [data.control, data.actual, data.id].find((v): v is string => typeof v === "string" && !!written?.includes(v));
        if (written) offer("didYouMean", `Change to \`${near}\``, [ed.set(at.pointer, wrong ? written.replace(wrong, near) : YamlEditor.scalar(near))]);
      }
    }
    return out;
  }

  /** The next id after the highest one in use with the same prefix and width (`SOP-007` → `SOP-012`). */
  private nextFreeId(id: string): string | null {
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

  private ownFindings(file: string): Finding[] {
    const r = this.results.get(file);
    const own = r ? [...r.findings, ...(this.ruleFindings.get(file) ?? [])] : [];
    if (file === this.config.source) own.push(...this.configFindings);
    own.push(...this.configProblem.filter((f) => f.file === file));
    own.push(...this.ungoverned().filter((f) => f.file === file));
    return applyRuleSettings([...own, ...(this.extra.get(file) ?? [])], this.config.rules).sort(compareFindings);
  }

  /** `folder/ungoverned`: depends on the documents' path fields, so worked out again after any edit. */
  private ungovernedMemo: Finding[] | null = null;
  private ungoverned(): Finding[] {
    return (this.ungovernedMemo ??= ungovernedFolders(this.root, this.config, this.host, [...this.results.values()].map((r) => r.facts)));
  }

  documents(): DocumentSummary[] {
    return [...this.results.values()].map(({ facts }) => ({ id: facts.id, kind: facts.kind, file: facts.file, title: facts.title })).sort(byFile);
  }

  /** Facts of every governed document, in path order: the input of reports and the site. */
  allFacts(): DocumentFacts[] {
    return [...this.results.values()].map((r) => r.facts).sort(byFile);
  }

  facts(file: string): DocumentFacts | undefined {
    return this.results.get(file)?.facts;
  }

  /** Every catalogue: built in, and `frameworks/*.yaml` (a repo framework with a built-in id replaces it). */
  catalogues(): Catalogue[] {
    const out = new Map<string, Catalogue>(BUILTIN_CATALOGUES);
    for (const [id, list] of this.decls) {
      const fw = list.find((d) => d.kind === "framework" && d.parsed);
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
  history(file: string): readonly import("../io/git-history.js").Commit[] {
    return this.gitFacts?.history.get(file) ?? [];
  }

  /** Installs (new) git facts, e.g. after a commit, and re-checks the documents that read them. */
  setGit(facts: GitFacts | null): FindingsDelta {
    if (this.results.size === 0) {
      this.gitFacts = facts; // before any document: nothing to re-check
      return new Map();
    }
    this.ensureTracking();
    this.gitFacts = facts;
    const affected = new Set(this.consumers.get("git") ?? []);
    const before = new Map([...affected].map((f) => [f, this.findingsFor(f)]));
    for (const f of affected) this.check(f);
    return this.delta(affected, before);
  }

  /**
   * The documents whose findings may depend on the given files: the files themselves and
   * every document whose cross-document checks looked them up (by path or by id, including
   * ids the files had before, e.g. at the base of a pull request).
   */
  affectedBy(files: Iterable<string>, formerIds: Iterable<string> = []): Set<string> {
    this.ensureTracking();
    const out = new Set<string>();
    const keys: string[] = [...formerIds].map((id) => `id:${id}`);
    for (const f of files) {
      out.add(f);
      keys.push(`path:${f}`);
      const id = this.results.get(f)?.facts.id;
      if (id) keys.push(`id:${id}`);
    }
    for (const k of keys) for (const f of this.consumers.get(k) ?? []) out.add(f);
    return out;
  }

  // ---- incremental edits -------------------------------------------------------------

  /**
   * A file's new content (governed or not, the config included). Returns the findings of
   * every file whose findings changed. With a `version` (an editor's document version), an
   * update older than the last one seen for the file is ignored (an empty result).
   */
  update(file: string, content: string | Uint8Array, version?: number): FindingsDelta {
    if (!this.host.set(join(this.root, file), content, version)) return new Map();
    if (this.isConfigFile(file)) return this.reconfigure();
    this.ensureTracking();
    const kind = kindOf(file, this.config);
    if (!kind) return this.touchPlainFile(file, content);
    return this.replace(file, parseFile(file, kind, content, { positions: "eager" }));
  }

  add(file: string, content: string | Uint8Array): FindingsDelta {
    return this.update(file, content);
  }

  remove(file: string, version?: number): FindingsDelta {
    if (!this.host.delete(join(this.root, file), version)) return new Map();
    if (this.isConfigFile(file)) return this.reconfigure();
    this.ensureTracking();
    if (!this.results.has(file)) return this.touchPlainFile(file, null);
    return this.replace(file, null);
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
  private reconfigure(): FindingsDelta {
    const before = this.findingsByFile();
    let next: Config;
    try {
      next = loadConfig(this.root, this.host, this.configOrigin.explicit, this.configOrigin.cwd);
      checkKindFolders(this.root, next, this.host);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      const file = e instanceof ConfigError ? e.file : this.config.source ?? CONFIG_FILES[0]!;
      const at = e instanceof ConfigError ? { line: e.line, column: e.column } : { line: 1, column: 1 };
      const reason = e instanceof ConfigError ? e.reason : e.message;
      this.configProblem = [{
        code: "config/invalid", severity: "error", file, line: at.line, column: at.column, endLine: at.line, endColumn: at.column, docId: null,
        message: `This config is not valid (${reason}), so the last valid one is still used; fix it as the message says.`,
        data: { reason },
      }];
      return this.deltaOf(before);
    }
    this.configProblem = [];
    this.currentConfig = next;
    this.rules = RULES.filter((r) => next.rules[r.meta.code] !== "off");
    this.rulesByKind.clear();
    for (const m of [this.results, this.decls, this.ruleFindings, this.deps, this.consumers, this.existsMemo, this.leavesMemo, this.anchorsMemo, this.extra]) m.clear();
    this.configFindings = [];
    this.configKeys = new Set();
    const { governed, skipped } = discover(this.root, next, this.host);
    for (const s of skipped) this.extra.set(s.file, [{ code: s.code, severity: "error", message: s.message, file: s.file, ...LINE1, docId: null }]);
    this.tracking = true;
    this.addResults(governed.map((g) => readAndParse(this.root, g, this.host)));
    return this.deltaOf(before);
  }

  private findingsByFile(): Map<string, Finding[]> {
    const out = new Map<string, Finding[]>();
    for (const f of this.findings()) {
      const list = out.get(f.file);
      if (list) list.push(f);
      else out.set(f.file, [f]);
    }
    return out;
  }

  /** The files whose findings differ from `before`, with their findings now (empty when all are gone). */
  private deltaOf(before: Map<string, Finding[]>): FindingsDelta {
    const after = this.findingsByFile();
    const out: FindingsDelta = new Map();
    for (const file of new Set([...before.keys(), ...after.keys()])) {
      const now = after.get(file) ?? [];
      if (JSON.stringify(before.get(file) ?? []) !== JSON.stringify(now)) out.set(file, now);
    }
    return out;
  }

  /**
   * Loads many parsed files at once and checks every document, like `addResults`, but
   * lets the event loop run every few documents and stops when `signal` is aborted
   * (throwing its reason; documents not reached yet have no rule findings).
   */
  async addResultsAsync(results: Iterable<FileResult>, signal?: AbortSignal): Promise<void> {
    for (const r of results) this.insert(r);
    this.checkConfig();
    await this.checkAll(signal);
  }

  /**
   * Checks every document again (after new git facts, or to settle an aborted run), yielding
   * to the event loop as it goes; an aborted signal stops it between two documents and
   * throws its reason. Returns the findings of every file whose findings changed.
   */
  async revalidate(signal?: AbortSignal): Promise<FindingsDelta> {
    const before = this.findingsByFile();
    this.tracking = true;
    this.checkConfig();
    await this.checkAll(signal);
    return this.deltaOf(before);
  }

  private async checkAll(signal?: AbortSignal): Promise<void> {
    checkAborted(signal);
    let i = 0;
    for (const file of [...this.results.keys()]) {
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
    if (this.leaves(file)) return undefined;
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
    const format = this.results.get(file)?.facts.format ?? (/\.(md|markdown)$/i.test(file) ? "markdown" : "yaml");
    return pointerAtText(text, format, position);
  }

  /**
   * Every file of the repository the site publishes, with its sha256 and size in bytes, in
   * path order: governed documents, agreements, READMEs, anything they link to. Skipped:
   * dot-folders and dot-files (`.git`, `.github`, caches), `node_modules`, symlinks whose
   * real path leaves the repository. A file that cannot be read is listed with `sha256: null`.
   */
  sourceFiles(): SourceFile[] {
    const out: SourceFile[] = [];
    const visited = new Set<string>();
    const stack: string[] = [""];
    while (stack.length > 0) {
      const rel = stack.pop()!;
      const abs = rel === "" ? this.root : join(this.root, rel);
      let real: string;
      try {
        real = this.host.realpath(abs);
      } catch {
        continue;
      }
      if (visited.has(real)) continue;
      visited.add(real);
      let entries;
      try {
        entries = this.host.readdir(abs);
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.name.startsWith(".") || e.name === "node_modules") continue;
        const child = rel === "" ? e.name : `${rel}/${e.name}`;
        let isDir = e.isDirectory;
        let isFile = e.isFile;
        if (e.isSymbolicLink) {
          if (this.leaves(child)) continue;
          try {
            const st = this.host.stat(join(this.root, child));
            isDir = st.isDirectory;
            isFile = st.isFile;
          } catch {
            continue;
          }
        }
        if (isDir) stack.push(child);
        else if (isFile) {
          try {
            const bytes = this.host.readFile(join(this.root, child));
            out.push({ file: child, sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.byteLength });
          } catch {
            let size = 0;
            try {
              size = this.host.stat(join(this.root, child)).size;
            } catch {
              size = 0;
            }
            out.push({ file: child, sha256: null, size });
          }
        }
      }
    }
    return out.sort(byFile);
  }

  private replace(file: string, next: FileResult | null): FindingsDelta {
    const before = this.snapshotAffected(file);
    const prev = this.results.get(file);
    const changed = new Set<string>();
    const oldSigs = prev ? this.provided(prev.facts) : new Map<string, string>();
    if (prev) this.evict(prev);
    this.extra.delete(file);
    if (next) this.insert(next);
    const newSigs = next ? this.provided(next.facts) : new Map<string, string>();
    for (const [k, v] of oldSigs) if (newSigs.get(k) !== v) changed.add(k);
    for (const [k, v] of newSigs) if (oldSigs.get(k) !== v) changed.add(k);
    // The set of framework ids (the config's "did you mean") changes with any framework document.
    if (prev?.facts.kind === "framework" || next?.facts.kind === "framework") changed.add("frameworks");
    // What the caller says wins over the disk: a removed file is gone even if still on disk.
    this.existsMemo.set(file, next !== null);
    this.leavesMemo.delete(file);
    this.anchorsMemo.delete(file);
    const affected = new Set<string>([file]);
    for (const key of changed) for (const f of this.consumers.get(key) ?? []) affected.add(f);
    // Their parse findings are unchanged and their rule findings not yet re-run: this is "before".
    for (const f of affected) if (!before.has(f)) before.set(f, this.findingsFor(f));
    for (const f of affected) {
      if (this.results.has(f)) this.check(f);
      else if (f === this.config.source) this.checkConfig();
      else this.dropChecks(f);
    }
    return this.delta(affected, before);
  }

  /** A file that is not a document changed (an agreement, a README that links point at). */
  private touchPlainFile(file: string, content: string | Uint8Array | null): FindingsDelta {
    this.leavesMemo.delete(file);
    if (this.leaves(file)) content = null;
    this.existsMemo.set(file, content !== null);
    if (content === null || !/\.(md|markdown)$/i.test(file)) this.anchorsMemo.set(file, undefined);
    else this.anchorsMemo.set(file, anchorsOfMarkdown(content));
    const affected = new Set(this.consumers.get(`path:${file}`) ?? []);
    const before = new Map([...affected].map((f) => [f, this.findingsFor(f)]));
    for (const f of affected) this.check(f);
    return this.delta(affected, before);
  }

  private snapshotAffected(file: string): Map<string, Finding[]> {
    // Cheap enough: we only compare the files we end up re-checking.
    return new Map([[file, this.findingsFor(file)]]);
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

  /** What other documents may observe of this one: the signature of each lookup key it answers. */
  private provided(facts: DocumentFacts): Map<string, string> {
    const sigs = new Map<string, string>();
    sigs.set(`path:${facts.file}`, `doc|${facts.format === "markdown" ? [...this.headingsOf(facts).map((h) => h.slug), ...(facts.htmlAnchors ?? [])].join(" ") : ""}`);
    if (facts.id) {
      let sig = `${facts.file}|${facts.kind}|${String(facts.values.status)}|${facts.parsed}`;
      if (facts.kind === "framework") sig += `|${[...this.controlsOf(facts)].join(" ")}`;
      sigs.set(`id:${facts.id}`, sig);
    }
    return sigs;
  }

  // ---- index maintenance --------------------------------------------------------------

  private insert(r: FileResult): void {
    this.results.set(r.facts.file, r);
    this.ungovernedMemo = null;
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

  private evict(r: FileResult): void {
    this.results.delete(r.facts.file);
    this.ungovernedMemo = null;
    const id = r.facts.id;
    if (id) {
      const list = (this.decls.get(id) ?? []).filter((d) => d.file !== r.facts.file);
      if (list.length) this.decls.set(id, list);
      else this.decls.delete(id);
    }
  }

  private dropChecks(file: string): void {
    this.ruleFindings.delete(file);
    if (!this.tracking) return;
    for (const key of this.deps.get(file) ?? []) this.consumers.get(key)?.delete(file);
    this.deps.delete(file);
  }

  // ---- rule runs ---------------------------------------------------------------------

  /** The lookups the document being checked has made so far (see `view`). */
  private keys = new Set<string>();

  /**
   * The RepoView every rule run gets. One object for the workspace's lifetime: each
   * lookup is recorded in `keys`, which `check` swaps per document (this runs 10,000
   * times on a large repository, so it allocates nothing per call it can avoid).
   */
  private readonly view: RepoView = {
    declarations: (id) => {
      this.track("id:", id);
      return this.decls.get(id) ?? [];
    },
    framework: (id) => {
      this.track("id:", id);
      return this.frameworkControls(id);
    },
    exists: (path) => {
      this.track("path:", path);
      return this.exists(path);
    },
    leaves: (path) => {
      this.track("path:", path);
      return this.leaves(path);
    },
    anchors: (path) => {
      this.track("path:", path);
      return this.anchors(path);
    },
    isFolder: (path) => {
      this.track("path:", path);
      return this.isFolder(path);
    },
    headings: (d) => this.headingsOf(d),
    rangeOf: (d, pointer) => rangeFor(this.positionsOf(d).ranges, pointer),
    history: (path) => {
      this.track("git", "");
      // A shallow clone's history is cut off: rules that read it stay silent (see notices()).
      return this.gitFacts?.shallow ? undefined : this.gitFacts?.history.get(path);
    },
    changeIn: (commit, path) => ({
      version: this.gitFacts?.versionChanges.has(`${commit}:${path}`) ?? false,
      content: this.gitFacts?.contentChanges.has(`${commit}:${path}`) ?? false,
    }),
  };

  private track(prefix: string, value: string): void {
    if (this.recording) this.keys.add(prefix + value);
  }

  /** Turns dependency tracking on (re-checking everything once) before an incremental edit. */
  private ensureTracking(): void {
    if (this.tracking) return;
    this.tracking = true;
    for (const file of this.results.keys()) this.check(file);
  }

  private rulesFor(kind: DocumentFacts["kind"]): readonly Rule[] {
    let list = this.rulesByKind.get(kind);
    if (!list) this.rulesByKind.set(kind, (list = this.rules.filter((r) => applies(r.meta.appliesTo, kindDef(kind)))));
    return list;
  }

  /** True while a check records its lookups (for tracking, or for a rule memo). */
  private recording = true;

  private recordDeps(file: string, keys: Set<string>): void {
    this.deps.set(file, keys);
    for (const key of keys) {
      let set = this.consumers.get(key);
      if (!set) this.consumers.set(key, (set = new Set()));
      set.add(file);
    }
  }

  private check(file: string, record = false): void {
    this.recording = this.tracking || record;
    this.dropChecks(file);
    const keys = (this.keys = new Set<string>());
    const r = this.results.get(file);
    if (!r || !r.facts.parsed) return;
    const doc = r.facts;
    const found: Finding[] = [];
    let rule: Rule;
    const ctx = { doc, repo: this.view, config: this.config, today: this.todayDay, report: (rep: Report) => found.push(this.toFinding(rule, doc, rep)) };
    for (rule of this.rulesFor(doc.kind)) {
      try {
        rule.check(ctx);
      } catch (e) {
        if (this.strictReports) throw e;
        // Fail soft: one broken rule must not hide every other finding.
        found.push({ code: "engine/rule-error", severity: "error", message: `Rule \`${rule.meta.code}\` failed on this document (${(e as Error).message}); please report this bug.`, file, ...LINE1, docId: doc.id });
      }
    }
    if (found.length) this.ruleFindings.set(file, found);
    if (this.tracking) this.recordDeps(file, keys);
  }

  /**
   * Checks the config's entries that name frameworks and controls against the catalogues
   * (`control/unknown` on the config file). Its lookups are registered like a document's,
   * so adding, fixing or removing a catalogue re-checks it.
   */
  private checkConfig(): void {
    const file = this.config.source;
    if (!file || !this.config.entries) return;
    for (const key of this.configKeys) this.consumers.get(key)?.delete(file);
    const rule = this.rules.find((r) => r.meta.code === "control/unknown");
    const keys = new Set<string>(["frameworks"]);
    const found: Finding[] = [];
    if (rule) {
      const lookup = {
        framework: (id: string) => {
          keys.add(`id:${id}`);
          return this.frameworkControls(id);
        },
        frameworkIds: () => this.frameworkIds(),
      };
      checkConfigEntries(this.config, lookup, (rep) => {
        const template = rule.meta.messages[rep.messageId]!;
        found.push(withRuleFields({ code: rule.meta.code, severity: rule.meta.severity, message: interpolate(template, rep.data, rule.meta.code), file, ...(rep.at as Range), docId: null }, rule, rep));
      });
    }
    this.configFindings = found;
    this.configKeys = keys;
    for (const key of keys) {
      let set = this.consumers.get(key);
      if (!set) this.consumers.set(key, (set = new Set()));
      set.add(file);
    }
  }

  /** Ids of every known framework: built in, and declared by a framework document. */
  private frameworkIds(): string[] {
    const ids = new Set(BUILTIN_CATALOGUES.keys());
    for (const [id, list] of this.decls) if (list[0]?.kind === "framework" && list[0].parsed) ids.add(id);
    return [...ids];
  }

  private toFinding(rule: Rule, doc: DocumentFacts, rep: Report): Finding {
    const template = rule.meta.messages[rep.messageId];
    if (template === undefined) throw new Error(`unknown messageId ${rep.messageId}`);
    const positions = this.positionsOf(doc);
    const range = typeof rep.at === "string" ? rangeFor(positions.ranges, rep.at) ?? LINE1 : "endLine" in rep.at ? rep.at : wholeLine(rep.at.line, positions.lineLengths);
    const clamped = clampRange(range, positions.lineLengths);
    if (this.strictReports && !sameRange(range, clamped)) {
      throw new RangeError(`rule \`${rule.meta.code}\` reported the range ${showRange(range)} (messageId \`${rep.messageId}\`) outside \`${doc.file}\`; the engine would have clamped it to ${showRange(clamped)}, so fix the range the rule computes`);
    }
    const finding: Finding = {
      code: rule.meta.code,
      severity: rule.meta.severity,
      message: interpolate(template, rep.data, rule.meta.code),
      file: doc.file,
      ...clamped,
      docId: doc.id,
    };
    if (rep.related?.length) finding.related = rep.related;
    return withRuleFields(finding, rule, rep);
  }

  // ---- repository lookups ------------------------------------------------------------

  private frameworkControls(id: string): ReadonlySet<string> | undefined {
    const repoFw = this.decls.get(id)?.[0];
    if (repoFw && repoFw.kind === "framework" && repoFw.parsed) return this.controlsOf(repoFw);
    const builtin = BUILTIN_CATALOGUES.get(id);
    if (!builtin) return undefined;
    let set = this.builtinSets.get(id);
    if (!set) this.builtinSets.set(id, (set = new Set(builtin.controls.map((c) => c.id))));
    return set;
  }

  private controlsOf(fw: DocumentFacts): ReadonlySet<string> {
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
  private leaves(path: string): boolean {
    if (path === "" || this.results.has(path)) return false;
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

  private exists(path: string): boolean {
    if (path === "" || this.results.has(path)) return true;
    let hit = this.existsMemo.get(path);
    if (hit === undefined) {
      hit = !this.leaves(path) && this.host.exists(join(this.root, path));
      this.existsMemo.set(path, hit);
    }
    return hit;
  }

  /**
   * A document's spans and line lengths. A bulk load leaves them out (most documents never
   * need them); the first finding on a document computes them from its file, once.
   */
  positionsOf(doc: DocumentFacts): { ranges: Record<string, Range>; lineLengths: number[] } {
    if (doc.ranges === null || doc.lineLengths === null) {
      let p: { ranges: Record<string, Range>; lineLengths: number[] };
      try {
        p = positionsOf(doc.kind, this.host.readFile(join(this.root, doc.file)));
      } catch {
        p = { ranges: {}, lineLengths: [0] };
      }
      doc.ranges = p.ranges;
      doc.lineLengths = p.lineLengths;
    }
    return { ranges: doc.ranges!, lineLengths: doc.lineLengths! };
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

  /** A governed document's headings by file (for outlines, the site's anchors). */
  headings(file: string): readonly Heading[] {
    const doc = this.results.get(file)?.facts;
    return doc && doc.format === "markdown" ? this.headingsOf(doc) : [];
  }

  /**
   * A governed document's spans by file (for an editor's hover, the site's source links).
   * While its YAML does not parse, the spans come from yaml's error-tolerant AST (with
   * offsets too), so an editor still has positions for what it can recover.
   */
  positions(file: string): { ranges: Record<string, Range>; lineLengths: number[] } | undefined {
    const doc = this.results.get(file)?.facts;
    if (!doc) return undefined;
    const p = this.positionsOf(doc);
    if (doc.parsed) return p;
    const text = this.text(file);
    return text === undefined ? p : { ranges: { ...tolerantRanges(text, doc.format), ...p.ranges }, lineLengths: p.lineLengths };
  }

  private isFolder(path: string): boolean {
    if (path === "") return true;
    if (this.results.has(path) || !this.exists(path)) return false;
    try {
      return this.host.stat(join(this.root, path)).isDirectory;
    } catch {
      return false;
    }
  }

  private anchors(path: string): ReadonlySet<string> | undefined {
    const doc = this.results.get(path)?.facts;
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

/** The next minor version (`1.2` → `1.3`, `2.0.1` → `2.1`), or null when it is not MAJOR.MINOR[.PATCH]. */
function bumpVersion(version: unknown): string | null {
  const m = typeof version === "string" ? /^([0-9]+)\.([0-9]+)(\.[0-9]+)?$/.exec(version) : null;
  return m ? `${m[1]}.${Number(m[2]) + 1}` : null;
}

/** GitHub anchors of a Markdown file that is not a governed document (a README, an agreement). */
function anchorsOfMarkdown(input: string | Uint8Array): ReadonlySet<string> | undefined {
  const md = markdownOf(input);
  return md ? new Set([...md.headings.map((h) => h.slug), ...md.htmlAnchors]) : undefined;
}

/** What a rule's finding carries beyond SPEC §2: its message id, the rule's docs URL and the message's data. */
function withRuleFields(finding: Finding, rule: Rule, rep: Report): Finding {
  finding.messageId = rep.messageId;
  if (rule.meta.docs) finding.docsUrl = rule.meta.docs.url;
  finding.data = { ...rep.data };
  return finding;
}

/** Line `line` from its start to its end; the last line when the file is shorter. */
function wholeLine(line: number, lineLengths: readonly number[]): Range {
  const n = Math.min(Math.max(1, line), Math.max(1, lineLengths.length));
  return { line: n, column: 1, endLine: n, endColumn: (lineLengths[n - 1] ?? 0) + 1 };
}

const sameRange = (a: Range, b: Range): boolean => a.line === b.line && a.column === b.column && a.endLine === b.endLine && a.endColumn === b.endColumn;
const showRange = (r: Range): string => `${r.line}:${r.column}-${r.endLine}:${r.endColumn}`;
