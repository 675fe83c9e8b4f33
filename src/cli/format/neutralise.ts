/**
 * One place that makes document values safe to print, used by every formatter. Document
 * values and file names come from many authors; none of them may drive the terminal
 * (clear the screen, set the window title), forge a line of output (a newline in a file
 * name), reorder what is displayed (bidirectional overrides, "Trojan Source") or make
 * the output invalid (lone UTF-16 surrogates, which no UTF-8 file can hold).
 *
 * - C0 and C1 control characters, DEL, the line and paragraph separators and the
 *   bidirectional controls become visible escapes (`\n`, `\x1b`, `\u202e`), so what was
 *   there is still legible and nothing is lost silently.
 * - Lone surrogates become U+FFFD.
 * - `keep` lists characters a format carries safely in its own way (CSV quotes newlines,
 *   iCalendar escapes LF, GitHub's workflow commands encode CR and LF).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** The visible escape of one unsafe character. */
export function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Lone surrogates → U+FFFD: the string can be written as UTF-8 and read back the same. */
export const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, "\uFFFD");

export function neutralise(s: string, keep = ""): string {
  return wellFormed(s).replace(UNSAFE, (c) => (keep.includes(c) ? c : escapeChar(c)));
}

/** What JSON.stringify leaves raw but a terminal or viewer would act on: DEL, C1, separators, bidi controls. */
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for the JSON and SARIF outputs. Values stay exact when parsed: JSON.stringify
 * escapes C0 controls (`\u001b`); DEL, C1 and bidi controls are written as `\uXXXX`
 * escapes too (the same string to a parser, inert on a terminal); lone surrogates, which
 * UTF-8 cannot hold, become U+FFFD.
 */
export function safeJson(value: unknown, indent = 2): string {
  // JSON.stringify writes a lone surrogate as a lower-case `\ud800`–`\udfff` escape. Without
  // one, every string is already well formed and the replacer would change nothing, yet a
  // replacer function takes JSON.stringify off V8's fast path (10k documents in a warm run's
  // JSON); with what may be one (or a literal backslash before `ud8`…), stringify again with it.
  let json = JSON.stringify(value, null, indent);
  if (MAYBE_LONE_SURROGATE.test(json)) json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "string" ? wellFormed(v) : v), indent);
  return json.replace(JSON_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** What JSON.stringify writes for a lone surrogate; may also match an escaped backslash before `ud8…` (then the slow path runs, no harm). */
const MAYBE_LONE_SURROGATE = /\\ud[89a-f]/;
