/**
 * Where the top-level keys of a plain block mapping are, without a syntax tree (issue 14).
 *
 * Pages from a docs site (Hugo, Docusaurus, Microsoft Learn) are governed as manuals but
 * carry the site's own front matter, so nearly every one has schema findings: a missing
 * `id`, an unknown `cascade`. Those findings point at a top-level key (`/cascade#key`) or at
 * the first key (`#first`), and building yaml's positioned Document only to find them cost
 * more than tokenizing the page. When the values came from the fast path (so the YAML
 * parsed), a line scan finds those keys exactly, or says it is not sure.
 *
 * Sure means: every line that starts at column 0 is blank, a comment, or `key:` with a
 * plain key of letters, digits, `_`, `.`, `-` and single inner spaces (nothing YAML could
 * read as anything but that key's text), and those keys are exactly the parsed mapping's
 * keys, in order. A top-level key of a block mapping always starts at column 0, and nothing
 * else can (continuation lines, block scalars and flow collections inside a value are
 * indented, or they would have ended the value), so when the lists agree each line found is
 * its key. Anything else (a lone CR, a tab or BOM at a line start, a quoted, anchored,
 * tagged or complex key, a key with a space before its colon) returns null, and the caller
 * takes yaml's Document API. tests/properties.test.ts holds the two to the same findings.
 */

/** A plain key that reads as its own text, then `:` and a space, tab or line end. */
const PLAIN_KEY = /^[A-Za-z_](?:[A-Za-z0-9_.-]| (?=[A-Za-z0-9_.-]))*:(?=[ \t\r\n]|$)/;

/**
 * Start offsets (in `source`) of the top-level keys, by key, when `source` is a plain block
 * mapping whose keys are exactly `keys` in that order; otherwise null. A key spans
 * `[start, start + key.length)`.
 */
export function topLevelKeyStarts(source: string, keys: readonly string[]): Map<string, number> | null {
  if (keys.length === 0) return null;
  // A lone CR ends a line in YAML; leave such files to yaml.
  if (source.includes("\r") && /\r(?!\n)/.test(source)) return null;
  const starts = new Map<string, number>();
  let next = 0; // index in `keys` of the next key expected
  for (let at = 0; at < source.length; ) {
    const br = source.indexOf("\n", at);
    const end = br === -1 ? source.length : br;
    const c = source.charCodeAt(at);
    // Indented (a space), blank (LF or CRLF) or a comment: not a key line.
    if (!(c === 32 || c === 10 || c === 13 || c === 35)) {
      const m = PLAIN_KEY.exec(source.slice(at, end));
      if (!m) return null;
      const key = m[0].slice(0, -1);
      if (keys[next] !== key) return null;
      starts.set(key, at);
      next++;
    }
    at = end + 1;
  }
  return next === keys.length ? starts : null;
}

/**
 * A value's first character that leaves no doubt the value is a plain scalar (no quote, no
 * flow collection, anchor, alias, tag, block scalar, sequence entry, explicit key, directive
 * or reserved indicator).
 */
const PLAIN_START = /^[A-Za-z0-9_(/~+$=]/;

/**
 * The span `[start, end)` in `source` of a top-level key's value when it is a plain scalar
 * on the key's own line, as yaml's Document gives it (the scalar without the spaces after
 * it); null when a line scan cannot be sure. `keyStart` comes from topLevelKeyStarts.
 *
 * Sure means: one or more spaces after the colon, then text that starts as PLAIN_START says,
 * holds no `#` (so no comment to tell from the text), no `: ` and no tab, does not end with
 * `:`, and the next line starts at column 0 with something other than a space, tab or line
 * end (or the record ends): an indented or blank next line could continue the scalar. Most
 * rule findings point at such a value (a system's `criticality`, a licence's `expiry_date`),
 * and a document's spans were parsed with yaml's Document API only to find it (issue 14: 166
 * ms of a 2.4 s cold run on the 10k corpus). tests/top-keys.test.ts holds the two to the same
 * spans.
 */
export function topLevelScalarSpan(source: string, key: string, keyStart: number): [number, number] | null {
  const br = source.indexOf("\n", keyStart);
  const lineEnd = br === -1 ? source.length : br;
  let a = keyStart + key.length + 1;
  if (source.charCodeAt(a) !== 32) return null;
  while (source.charCodeAt(a) === 32) a++;
  let b = lineEnd;
  if (source.charCodeAt(b - 1) === 13) b--;
  while (b > a && source.charCodeAt(b - 1) === 32) b--;
  const value = source.slice(a, b);
  if (!PLAIN_START.test(value) || value.includes("#") || value.includes(": ") || value.includes("\t") || value.includes("\r") || value.endsWith(":")) return null;
  if (br !== -1 && br + 1 < source.length) {
    const c = source.charCodeAt(br + 1);
    if (c === 32 || c === 9 || c === 10 || c === 13) return null;
  }
  return [a, b];
}
