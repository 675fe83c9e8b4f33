/**
 * Completion, hover, definition, references and document links, computed from the engine's
 * own primitives (pointerAt, schemaAt, the kind registry, catalogues, headings) on the text as
 * the engine sees it (the editor's unsaved buffer). Positions here are LSP's (0-based).
 */
import { CompletionItemKind, MarkupKind, type CompletionItem, type DocumentLink, type Hover, type Location, type Position as LspPosition, type Range as LspRange } from "vscode-languageserver";
import { dirname, posix } from "node:path";
import { fieldValue, kindDef, kindOf, schemaAt, tolerantRanges, type OffsetRange, type PointerAt, type Workspace } from "../engine/index.js";
import { toLspRange } from "./convert.js";
import { RepoCache } from "./repo-cache.js";

export interface Ctx {
  ws: Workspace;
  /** Repo-relative path → file URI. */
  uriOf: (file: string) => string;
  /** The documents' summaries and the catalogues, kept between requests (the server's); a fresh one when absent. */
  cache?: RepoCache;
}

/** Every document's summary, in path order (from the server's cache when there is one). */
const documentsOf = (ctx: Ctx) => (ctx.cache ??= new RepoCache()).documents(ctx.ws);
/** Every catalogue (from the server's cache when there is one). */
const cataloguesOf = (ctx: Ctx) => (ctx.cache ??= new RepoCache()).catalogues(ctx.ws);

const isMarkdown = (file: string) => /\.(md|markdown)$/i.test(file);
const unescapeSegment = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");
const escapeSegment = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf("/"));
const lspRange = (r: OffsetRange | { line: number; column: number; endLine: number; endColumn: number }) => toLspRange(r);

/** The kind whose schema governs `file` (`policyops.yaml` for the config), or null. */
export function schemaKindOf(ws: Workspace, file: string): string | null {
  if (file === (ws.config.source ?? "policyops.yaml")) return "policyops.yaml";
  return ws.facts(file)?.kind ?? kindOf(file, ws.config);
}

function at(ws: Workspace, file: string, pos: LspPosition): PointerAt | null {
  return ws.pointerAt(file, { line: pos.line + 1, column: pos.character + 1 });
}

/** The scalar written at a value range, without quotes. */
function written(text: string, r: OffsetRange): string {
  const raw = text.slice(r.offset, r.endOffset).trim();
  return /^(['"]).*\1$/s.test(raw) ? raw.slice(1, -1) : raw;
}

/** A document declaring `id`, if any (the first one). */
function declaring(ctx: Ctx, id: string) {
  return documentsOf(ctx).find((d) => d.id === id);
}

/** `FRAMEWORK:CONTROL` of a known catalogue: the catalogue and the control. */
function control(ctx: Ctx, value: string) {
  const colon = value.indexOf(":");
  if (colon <= 0) return undefined;
  const cat = cataloguesOf(ctx).find((c) => c.id === value.slice(0, colon));
  const ctl = cat?.controls.find((c) => c.id === value.slice(colon + 1));
  return cat && ctl ? { cat, ctl } : undefined;
}

/** True when the schema says values here are control ids: its examples are `FRAMEWORK:CONTROL` of a known catalogue. */
function holdsControls(ctx: Ctx, kind: string, pointer: string): boolean {
  const examples = (schemaAt(kind, pointer)?.examples ?? []).filter((e): e is string => typeof e === "string" && e.indexOf(":") > 0);
  if (!examples.length) return false;
  const ids = new Set(cataloguesOf(ctx).map((c) => c.id));
  return examples.some((e) => ids.has(e.slice(0, e.indexOf(":"))));
}

// ---- completion ------------------------------------------------------------------------

export function completion(ctx: Ctx, file: string, pos: LspPosition): CompletionItem[] {
  const { ws } = ctx;
  const text = ws.text(file);
  if (text === undefined) return [];
  const where = at(ws, file, pos);
  if (!where) return isMarkdown(file) ? anchorCompletion(ws, file, text, pos) : [];
  const kind = schemaKindOf(ws, file);
  if (!kind) return [];
  if (where.inKey) {
    const mapPointer = where.range ? parentOf(where.pointer) : where.pointer;
    const info = schemaAt(kind, mapPointer);
    const ranges = tolerantRanges(text, isMarkdown(file) ? "markdown" : "yaml");
    const current = where.range ? unescapeSegment(where.pointer.slice(mapPointer.length + 1)) : null;
    const present = new Set(
      Object.keys(ranges)
        .filter((k) => k.endsWith("#key") && parentOf(k.slice(0, -4)) === mapPointer)
        .map((k) => unescapeSegment(k.slice(mapPointer.length + 1, -4))),
    );
    return (info?.properties ?? [])
      .filter((p) => p === current || !present.has(p))
      .map((p) => {
        const doc = schemaAt(kind, `${mapPointer}/${escapeSegment(p)}`)?.description;
        const item: CompletionItem = { label: p, kind: CompletionItemKind.Property, insertText: `${p}: `, sortText: `0${p}` };
        if (doc) item.documentation = { kind: MarkupKind.Markdown, value: doc };
        if (where.range) item.textEdit = { range: lspRange(where.range), newText: `${p}: ` };
        return item;
      });
  }
  const items: CompletionItem[] = [];
  const labels = new Set<string>();
  const replace = where.range ?? null;
  const range = replace ? lspRange(replace) : null;
  /** Adds an item (a shared one from the cache is copied only to give it this request's edit). */
  const add = (item: CompletionItem) => {
    if (labels.has(item.label)) return;
    labels.add(item.label);
    items.push(range ? { ...item, textEdit: { range, newText: item.label } } : item);
  };
  const push = (label: string, kindOfItem: CompletionItemKind, detail?: string, documentation?: string) => add(completionItem(label, kindOfItem, detail, documentation));
  const info = schemaAt(kind, where.pointer);
  for (const v of info?.enum ?? []) if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") push(String(v), CompletionItemKind.EnumMember, info?.description);
  if (info && !info.enum && (info.type === "boolean" || (Array.isArray(info.type) && info.type.includes("boolean")))) for (const v of ["true", "false"]) push(v, CompletionItemKind.Value);
  // Ids of the right kind in reference fields (the schema's `x-policyops-ref`, at any depth); `ID/ITEM` for item references (`x-policyops-ref-item`).
  const segments = where.pointer.split("/").slice(1).map(unescapeSegment);
  const matches = (path: readonly string[]) => path.every((k, i) => (k === "*" ? /^\d+$/.test(segments[i] ?? "") : k === segments[i])) && (segments.length === path.length || (segments.length === path.length + 1 && /^\d+$/.test(segments[path.length]!)));
  const ref = kind === "policyops.yaml" ? undefined : kindDef(kind)?.references.find((r) => matches(r.path));
  if (ref) {
    const build = () => {
      const out: CompletionItem[] = [];
      for (const d of documentsOf(ctx)) {
        if (!d.id || (ref.kinds !== "any" && !ref.kinds.includes(d.kind))) continue;
        if (!ref.item) {
          out.push(completionItem(d.id, CompletionItemKind.Reference, `${d.kind}: ${d.title ?? ""}`.trim(), `\`${d.file}\``));
          continue;
        }
        const list = ws.facts(d.file)?.values[ref.item];
        for (const it of Array.isArray(list) ? list : []) {
          const o = it !== null && typeof it === "object" ? (it as Record<string, unknown>) : {};
          if (typeof o.id === "string") out.push(completionItem(`${d.id}/${o.id}`, CompletionItemKind.Reference, `${d.kind} ${ref.item}: ${typeof o.title === "string" ? o.title : o.id}`, `${d.title ?? d.id} (\`${d.file}\`)`));
        }
      }
      return out;
    };
    // Item references (`BUD-2027/L3`) read the targets' items, which the id cache does not track: built per request (budgets are few).
    const cached = ctx.cache && !ref.item ? ctx.cache.items(ws, `ids:${ref.kinds === "any" ? "*" : ref.kinds.join(",")}`, build) : build();
    for (const item of cached) add(item);
  }
  // FRAMEWORK:CONTROL from the catalogues, where the schema's examples are control ids.
  if (holdsControls(ctx, kind, where.pointer)) {
    for (const cat of cataloguesOf(ctx)) for (const c of cat.controls) push(`${cat.id}:${c.id}`, CompletionItemKind.EnumMember, c.title, `${cat.title}${cat.file ? ` (\`${cat.file}\`)` : ""}`);
  }
  return items;
}

function completionItem(label: string, kind: CompletionItemKind, detail?: string, documentation?: string): CompletionItem {
  const item: CompletionItem = { label, kind };
  if (detail) item.detail = detail;
  if (documentation) item.documentation = { kind: MarkupKind.Markdown, value: documentation };
  return item;
}

/** Heading anchors after `#` in a Markdown link: `[x](#` (this file) or `[x](other.md#`. */
function anchorCompletion(ws: Workspace, file: string, text: string, pos: LspPosition): CompletionItem[] {
  const lineStart = offsetOfLine(text, pos.line);
  const before = text.slice(lineStart, lineStart + pos.character);
  const m = /\]\(\s*<?([^()\s#<>]*)#([^()\s#<>]*)$/.exec(before) ?? /^\s*\[[^\]]+\]:\s*<?([^\s#<>]*)#([^\s#<>]*)$/.exec(before);
  if (!m) return [];
  const target = m[1] ? resolveLink(file, m[1]) : file;
  if (target === null) return [];
  const typed = m[2]!;
  const range: LspRange = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
  return ws.headings(target).map((h) => ({ label: h.slug, kind: CompletionItemKind.Reference, detail: `${"#".repeat(h.depth)} ${h.text}`, textEdit: { range, newText: h.slug } }));
}

function offsetOfLine(text: string, line: number): number {
  let off = 0;
  for (let i = 0; i < line; i++) {
    const n = text.indexOf("\n", off);
    if (n === -1) return text.length;
    off = n + 1;
  }
  return off;
}

/** A link target relative to `file` as a repo-relative path, or null when it leaves the repository or is a URL. */
export function resolveLink(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//")) return null;
  let path = target;
  try {
    path = decodeURI(target);
  } catch {
    // Written undecoded: keep it as it is.
  }
  const joined = path.startsWith("/") ? posix.normalize(path.slice(1)) : posix.normalize(posix.join(dirname(file) === "." ? "" : dirname(file).split("\\").join("/"), path));
  if (joined.startsWith("..") || joined === "") return null;
  return joined.replace(/\/$/, "");
}

// ---- what is under the cursor ------------------------------------------------------------

interface Target {
  kind: "id" | "control";
  value: string;
  range: OffsetRange;
}

/** The id or `FRAMEWORK:CONTROL` value under the cursor, if any. */
function targetAt(ctx: Ctx, file: string, pos: LspPosition): Target | null {
  const { ws } = ctx;
  const text = ws.text(file);
  const where = at(ws, file, pos);
  if (!text || !where || where.inKey || !where.range) return null;
  const value = written(text, where.range);
  if (!value) return null;
  if (control(ctx, value)) return { kind: "control", value, range: where.range };
  if (declaring(ctx, value)) return { kind: "id", value, range: where.range };
  // An item reference (`BUD-2027/L3`): the record it names (the part before the first `/`).
  const slash = value.indexOf("/");
  if (slash > 0 && declaring(ctx, value.slice(0, slash))) return { kind: "id", value: value.slice(0, slash), range: where.range };
  return null;
}

// ---- hover -------------------------------------------------------------------------------

export function hover(ctx: Ctx, file: string, pos: LspPosition): Hover | null {
  const { ws } = ctx;
  const where = at(ws, file, pos);
  if (!where) return null;
  const target = targetAt(ctx, file, pos);
  if (target?.kind === "id") {
    const d = declaring(ctx, target.value)!;
    const status = ws.facts(d.file)?.values.status;
    const lines = [`**${target.value}**${d.title ? ` — ${d.title}` : ""}`, "", `kind: \`${d.kind}\`${typeof status === "string" ? ` · status: \`${status}\`` : ""} · file: \`${d.file}\``];
    return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n") }, range: lspRange(target.range) };
  }
  if (target?.kind === "control") {
    const { cat, ctl } = control(ctx, target.value)!;
    const lines = [`**${target.value}** — ${ctl.title}`, "", `framework: ${cat.title}${cat.file ? ` · file: \`${cat.file}\`` : " (built in)"}`];
    return { contents: { kind: MarkupKind.Markdown, value: lines.join("\n") }, range: lspRange(target.range) };
  }
  const kind = schemaKindOf(ws, file);
  if (!kind || (where.inKey && !where.range)) return null;
  const info = schemaAt(kind, where.pointer);
  if (!info?.description) return null;
  const extra = info.enum ? `\n\nOne of: ${info.enum.map((v) => `\`${String(v)}\``).join(", ")}` : "";
  const h: Hover = { contents: { kind: MarkupKind.Markdown, value: `${info.description}${extra}` } };
  if (where.range) h.range = lspRange(where.range);
  return h;
}

// ---- definition and references -----------------------------------------------------------

/** Where `id` is declared: the `id:` value of its document(s). */
function declarations(ctx: Ctx, id: string): Location[] {
  const out: Location[] = [];
  for (const d of documentsOf(ctx)) {
    if (d.id !== id) continue;
    const r = ctx.ws.positions(d.file)?.ranges["/id"];
    out.push({ uri: ctx.uriOf(d.file), range: r ? lspRange(r) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  }
  return out;
}

/** Where a control is declared: its catalogue file (none for a built-in catalogue). */
function controlDeclaration(ctx: Ctx, value: string): Location[] {
  const found = control(ctx, value);
  if (!found?.cat.file) return [];
  const file = found.cat.file;
  const ranges = ctx.ws.positions(file)?.ranges ?? tolerantRanges(ctx.ws.text(file) ?? "", "yaml");
  const text = ctx.ws.text(file) ?? "";
  for (const [pointer, r] of Object.entries(ranges)) {
    if (pointer.endsWith("#key") || !pointer.endsWith("/id")) continue;
    const off = offsetOfLine(text, r.line - 1) + r.column - 1;
    const offEnd = offsetOfLine(text, r.endLine - 1) + r.endColumn - 1;
    if (written(text, { ...r, offset: off, endOffset: offEnd }) === found.ctl.id) return [{ uri: ctx.uriOf(file), range: lspRange(r) }];
  }
  return [{ uri: ctx.uriOf(file), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
}

export function definition(ctx: Ctx, file: string, pos: LspPosition): Location[] {
  const target = targetAt(ctx, file, pos);
  if (target?.kind === "id") return declarations(ctx, target.value);
  if (target?.kind === "control") return controlDeclaration(ctx, target.value);
  // A Markdown link under the cursor: its target (the heading of its fragment).
  const link = linkAt(ctx, file, pos);
  return link ? [link] : [];
}

function linkAt(ctx: Ctx, file: string, pos: LspPosition): Location | null {
  for (const l of documentLinks(ctx, file)) {
    const r = l.range;
    const inside = (pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character)) && (pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character));
    if (inside && l.target) {
      const [uri, frag] = l.target.split("#L");
      const line = frag ? Number(frag) - 1 : 0;
      return { uri: uri!, range: { start: { line, character: 0 }, end: { line, character: 0 } } };
    }
  }
  return null;
}

/** Every place a string value equals `value` (reference fields, control lists, the config's entries). */
export function references(ctx: Ctx, file: string, pos: LspPosition, includeDeclaration: boolean): Location[] {
  const target = targetAt(ctx, file, pos);
  if (!target) return [];
  const out: Location[] = [];
  const { ws } = ctx;
  const visit = (docFile: string, value: unknown, pointer: string, ranges: Record<string, { line: number; column: number; endLine: number; endColumn: number }>) => {
    if (typeof value === "string") {
      if (value === target.value && (includeDeclaration || pointer !== "/id") && ranges[pointer]) out.push({ uri: ctx.uriOf(docFile), range: lspRange(ranges[pointer]!) });
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(docFile, v, `${pointer}/${i}`, ranges));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) visit(docFile, v, `${pointer}/${escapeSegment(k)}`, ranges);
  };
  for (const facts of ws.allFacts()) {
    if (!containsString(facts.values, target.value)) continue;
    const ranges = ws.positions(facts.file)?.ranges ?? {};
    visit(facts.file, facts.values, "", ranges);
  }
  // The config names controls too (`not_applicable`).
  const config = ws.config.source;
  if (config) {
    const text = ws.text(config);
    if (text?.includes(target.value)) {
      const ranges = tolerantRanges(text, "yaml");
      for (const [pointer, r] of Object.entries(ranges)) if (!pointer.endsWith("#key") && written(text, r) === target.value) out.push({ uri: ctx.uriOf(config), range: lspRange(r) });
    }
  }
  return out;
}

function containsString(value: unknown, s: string): boolean {
  if (typeof value === "string") return value === s;
  if (Array.isArray(value)) return value.some((v) => containsString(v, s));
  if (value && typeof value === "object") return Object.values(value).some((v) => containsString(v, s));
  return false;
}

// ---- document links ---------------------------------------------------------------------

/** Link targets in Markdown bodies and path fields (`x-policyops-path`), as file URIs (`#L<line>` for a heading). */
export function documentLinks(ctx: Ctx, file: string): DocumentLink[] {
  const { ws } = ctx;
  const facts = ws.facts(file);
  if (!facts) return [];
  const out: DocumentLink[] = [];
  for (const l of facts.links) {
    const hash = l.url.indexOf("#");
    const pathPart = hash === -1 ? l.url : l.url.slice(0, hash);
    const fragment = hash === -1 ? "" : l.url.slice(hash + 1);
    const target = pathPart === "" ? file : resolveLink(file, pathPart);
    if (target === null || ws.text(target) === undefined) continue;
    let uri = ctx.uriOf(target);
    if (fragment) {
      const h = ws.headings(target).find((x) => x.slug === fragment.toLowerCase());
      if (h) uri += `#L${h.range.line}`;
    }
    out.push({ range: lspRange(l.range), target: uri, tooltip: `Open \`${target}\`${fragment ? `#${fragment}` : ""}` });
  }
  const def = kindDef(facts.kind);
  const ranges = def?.pathFields.length ? ws.positions(file)?.ranges ?? {} : {};
  for (const field of def?.pathFields ?? []) {
    const value = fieldValue(facts.values, field);
    const r = ranges[`/${field.split("/").map(escapeSegment).join("/")}`];
    if (typeof value !== "string" || !r) continue;
    const target = resolveLink("", value.trim());
    if (target === null || ws.text(target) === undefined) continue;
    out.push({ range: lspRange(r), target: ctx.uriOf(target), tooltip: `Open \`${target}\`` });
  }
  return out;
}
