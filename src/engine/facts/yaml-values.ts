import jsYaml from "js-yaml";
import { escapePointer, MAX_DEPTH, MAX_NODES } from "./yaml-record.js";
import { topLevelKeyStarts } from "./top-keys.js";

/**
 * The fast path for YAML values: js-yaml builds plain values without a syntax tree,
 * several times faster than a positioned Document. Most documents have no finding at
 * all, so they never need positions; when one does, yaml-record.ts parses that document
 * again with yaml's Document API for exact spans. Both paths must give the same values
 * (a property test holds them to it), so the schema below resolves plain scalars exactly
 * as YAML 1.2's core schema does (yaml's default), not as js-yaml's own types would
 * (which accept `1_000`, `0b1`…).
 *
 * Returns null whenever the fast path is not sure: a syntax error, an unknown tag, an
 * alias bomb, deep nesting. The caller then takes the positioned path, which turns
 * every one of those into a finding with a position.
 */

/** A plain scalar that resolved to a non-string, kept with its text for "as written" strings. */
class Plain {
  constructor(readonly value: number | boolean | null, readonly raw: string) {}
}

const implicit = (name: string, test: RegExp, construct: (s: string) => number | boolean | null) =>
  new jsYaml.Type(`tag:yaml.org,2002:${name}`, {
    kind: "scalar",
    resolve: (data: string | null) => data !== null && test.test(data),
    construct: (data: string | null) => new Plain(construct(data ?? ""), data ?? ""),
  });

// YAML 1.2.2 §10.3.2 (core schema) tag resolution, as yaml's `core` schema implements it.
const NULL = new jsYaml.Type("tag:yaml.org,2002:null", {
  kind: "scalar",
  resolve: (data: string | null) => data === null || /^(?:~|[Nn]ull|NULL)?$/.test(data),
  construct: (data: string | null) => new Plain(null, data ?? ""),
});
const BOOL = implicit("bool", /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === "t" || s[0] === "T");
const INT = implicit("int", /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (s) =>
  s.startsWith("0o") ? parseInt(s.slice(2), 8) : s.startsWith("0x") ? parseInt(s.slice(2), 16) : Number(s),
);
const FLOAT = implicit("float", /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/, (s) => {
  const lower = s.toLowerCase();
  if (lower.endsWith(".inf")) return s.startsWith("-") ? -Infinity : Infinity;
  if (lower === ".nan") return NaN;
  return Number(s);
});

/** `? ` explicit keys, `]: `/`}: ` flow collections as keys, `*alias :` alias keys (a cheap test first: this runs on every file). */
const EXPLICIT_KEY = /(?:^|[\s,[{])\?(?:[ \t]|$)/m;
const COLLECTION_KEY = /[\]}][ \t]*:(?:[\s,\]}]|$)/;
const ALIAS_KEY = /(?:^|[\s,[{])\*[^\s,[\]{}]+[ \t]*:(?:[\s,\]}]|$)/m;
const maybeComplexKey = (s: string): boolean =>
  (s.includes("?") && EXPLICIT_KEY.test(s)) || ((s.includes("]") || s.includes("}")) && COLLECTION_KEY.test(s)) || (s.includes("*") && ALIAS_KEY.test(s));

/** True if a line is longer than YAML's 1,024-character limit for an implicit key. */
function hasLongLine(s: string): boolean {
  if (s.length <= 1024) return false;
  let start = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i === s.length ? 10 : s.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (i - start > 1024) return true;
      start = i + 1;
    }
  }
  return false;
}

const CORE_AS_WRITTEN = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [NULL, BOOL, INT, FLOAT] });

export interface FastValues {
  values: unknown;
  /** Where each top-level key starts in the source (top-keys.ts), for a block mapping whose lines are the source's; else null. */
  keyStarts: Map<string, number> | null;
}

class TooBig extends Error {}

/**
 * Values of a YAML text, or null if the positioned parser must decide.
 * @param expectsString  pointer pattern (array indices `*`) → the schema wants a string there
 */
export function fastYamlValues(source: string, expectsString: (pattern: string) => boolean): FastValues | null {
  // A `%YAML 1.1` directive changes how scalars resolve: leave such files to yaml.
  if (/^%/m.test(source)) return null;
  // What js-yaml and yaml read differently goes to the positioned path, which decides:
  // complex keys (`? [a, b]`, `[a, b]: 1`, an alias of a list as a key), which js-yaml
  // turns into text such as "a,b"; and lines over 1,024 characters, where an implicit key
  // may be longer than YAML allows (js-yaml accepts it, yaml does not).
  if (maybeComplexKey(source) || hasLongLine(source)) return null;
  // A lone CR (old Mac line ends) ends a line, as in yaml-record.ts.
  const loneCr = source.includes("\r") && /\r(?!\n)/.test(source);
  if (loneCr) source = source.replace(/\r(?!\n)/g, "\n");
  let raw: unknown;
  try {
    raw = jsYaml.load(source, { schema: CORE_AS_WRITTEN, json: false });
  } catch {
    return null; // syntax error, duplicate key, unknown tag, too deep for its recursion
  }
  let count = 0;
  const build = (v: unknown, pattern: string, depth: number): unknown => {
    if (++count > MAX_NODES || depth > MAX_DEPTH) throw new TooBig();
    if (v instanceof Plain) {
      if (v.value !== null && expectsString(pattern)) return v.raw.trim();
      // yaml turns integers too large for a double into BigInt and then into numbers; so do we.
      return v.value;
    }
    if (Array.isArray(v)) return v.map((item) => build(item, `${pattern}/*`, depth + 1));
    if (v !== null && typeof v === "object") {
      if (!(Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) return v;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        // js-yaml names a non-string key (`1.10:`, `[a]:`) "[object Object]"; yaml keeps its text.
        if (key === "[object Object]") throw new TooBig();
        const value = build((v as Record<string, unknown>)[key], `${pattern}/${escapePointer(key)}`, depth + 1);
        if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        else out[key] = value;
      }
      return out;
    }
    return v;
  };
  // js-yaml lets a flow collection or a quoted scalar run on at column 0 (`f: [x,\ny]`,
  // `q: 'a\nb: c'`), where yaml, the editor's parser, reports a syntax error. In a block
  // mapping only its own keys start at column 0, so unless a line scan finds exactly the
  // keys js-yaml read, in order, the positioned path decides (as it does for every editor).
  let keyStarts: Map<string, number> | null = null;
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw)) {
    const marker = /^---[ \t]*\r?\n/.exec(source)?.[0].length ?? 0;
    const found = topLevelKeyStarts(marker ? source.slice(marker) : source, Object.keys(raw));
    if (!found) return null;
    // Handed on only where the source's own lines are the scanned ones (no `---` line, no lone CR).
    keyStarts = marker || loneCr ? null : found;
  }
  try {
    return { values: build(raw, "", 0), keyStarts };
  } catch (e) {
    if (e instanceof TooBig || e instanceof RangeError) return null;
    throw e;
  }
}
