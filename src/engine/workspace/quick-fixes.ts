import type { Config } from "../config/config.js";
import { YamlEditor } from "../facts/fixes.js";
import { offsetOf, pointerAtText } from "../facts/pointer.js";
import { schemaAt } from "../facts/schema-at.js";
import { LineIndex } from "../facts/line-index.js";
import type { DocumentFacts, Finding, Suggestion, TextEdit } from "../model/types.js";

/** What quick fixes read of the workspace. */
export interface QuickFixContext {
  readonly today: string;
  readonly config: Config;
  text(file: string): string | undefined;
  facts(file: string): DocumentFacts | undefined;
  nextFreeId(id: string): string | null;
}

/**
 * Quick fixes for a finding, as edits computed with yaml's Document API on the file as the
 * engine sees it (each edit replaces one key or value or inserts one line, so comments and
 * layout stay): mark reviewed today, record approval, bump version (and record approval),
 * add a missing required field (its schema's default or example), quote a numeric version,
 * take the next free id, correct to the did-you-mean suggestion. Empty when none applies.
 */
export function quickFixes(f: Finding, ws: QuickFixContext): Suggestion[] {
  const text = ws.text(f.file);
  if (text === undefined) return [];
  const facts = ws.facts(f.file);
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
  const today = ws.today;
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
      const info = schemaAt(facts?.kind ?? (f.file === ws.config.source ? "policyops.yaml" : ""), `${parent}/${missing}`);
      const value = info?.default ?? info?.examples?.[0] ?? info?.enum?.[0];
      if (value === undefined || (value !== null && typeof value === "object")) break;
      offer("addRequired", `Add the missing field \`${missing}\``, [ed.set(`${parent}/${missing.replace(/~/g, "~0").replace(/\//g, "~1")}`, YamlEditor.scalar(value))]);
      break;
    }
    case "id/duplicate": {
      const id = typeof data.id === "string" ? data.id : facts?.id;
      const next = id ? ws.nextFreeId(id) : null;
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

/** The next minor version (`1.2` → `1.3`, `2.0.1` → `2.1`), or null when it is not MAJOR.MINOR[.PATCH]. */
function bumpVersion(version: unknown): string | null {
  const m = typeof version === "string" ? /^([0-9]+)\.([0-9]+)(\.[0-9]+)?$/.exec(version) : null;
  return m ? `${m[1]}.${Number(m[2]) + 1}` : null;
}
