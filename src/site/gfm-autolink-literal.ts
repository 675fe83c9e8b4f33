/**
 * GFM's autolink literals ("Autolinks (extension)": `www.`, `http://`, `https://`, e-mail
 * addresses) found in a run of plain text, by the rules of micromark-extension-gfm-autolink-literal
 * (the reading `validate` mirrors), ported state for state from its tokenizers. Bare domains
 * (`example.com`, `policy.md`) are not literals. Positions are UTF-16 indexes, as micromark's codes
 * are UTF-16 units.
 */

/** A literal in `text[start, end)`: a `www.` one links to `http://` + it, an e-mail one to `mailto:` + it. */
export interface AutolinkLiteral {
  readonly kind: "www" | "protocol" | "email";
  readonly start: number;
  readonly end: number;
}

/**
 * Whether `text` may hold a literal: every one has an `@`, `://` or `www.` (any case) in it. Most
 * text has none, and this is much cheaper than reading it character by character.
 */
export function mayHoldAutolinkLiteral(text: string): boolean {
  return text.includes("@") || text.includes("://") || WWW_DOT.test(text);
}
const WWW_DOT = /www\./i;

/** The end of the text, and "nothing before it" as the character before a run. */
export const EOF = -1;

const isAsciiAlpha = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isAsciiAlphanumeric = (c: number) => isAsciiAlpha(c) || (c >= 0x30 && c <= 0x39);
/** `+ - . _` and ASCII alphanumerics: what an address's local part is made of. */
const isAtext = (c: number) => c === 0x2b || c === 0x2d || c === 0x2e || c === 0x5f || isAsciiAlphanumeric(c);
/** micromark's unicodeWhitespace (which includes its markdownLineEndingOrSpace): `\s`. */
export const isWhitespace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && /\s/.test(String.fromCharCode(c)));
/** Tab, line feed, carriage return, space: micromark's markdownLineEndingOrSpace. */
const isLineEndingOrSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isAsciiPunctuation = (c: number) => (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
/** micromark's unicodePunctuation: Unicode punctuation or symbol (one UTF-16 unit, as micromark tests it). */
const isPunctuation = (c: number) => (c < 0x80 ? isAsciiPunctuation(c) : c !== EOF && /\p{P}|\p{S}/u.test(String.fromCharCode(c)));

/** `! " ' ) * , . : ; ? _ ~`: punctuation that a literal sheds when only such (and an end) follow. */
const isPlainTrail = (c: number) =>
  c === 0x21 || c === 0x22 || c === 0x27 || c === 0x29 || c === 0x2a || c === 0x2c || c === 0x2e || c === 0x3a || c === 0x3b || c === 0x3f || c === 0x5f || c === 0x7e;

/** A text being read: `end` is where it ends for the literals (EOF from there). */
interface Reader {
  readonly text: string;
  readonly end: number;
  /** Whether a trail starts at a position, for each position the trail machine has been at in its first state. */
  readonly trails: Map<number, boolean>;
}

const at = (r: Reader, i: number) => (i < r.end ? r.text.charCodeAt(i) : EOF);

/**
 * Whether a trail starts at `i`: punctuation, `&name;` and `]` (not before `(` or `[`) up to
 * whitespace, a `<` or the end, none of which belongs to the link (micromark's `trail`). Every
 * position the machine passes through in its first state has the same answer, so all are kept:
 * a long run of `]` or `&a;` after a link costs linear time, not quadratic.
 */
function isTrail(r: Reader, i: number): boolean {
  const visited: number[] = [];
  let result: boolean;
  for (;;) {
    const known = r.trails.get(i);
    if (known !== undefined) {
      result = known;
      break;
    }
    visited.push(i);
    const c = at(r, i);
    if (isPlainTrail(c)) i++;
    else if (c === 0x26 /* & */) {
      result = false;
      if (!isAsciiAlpha(at(r, ++i))) break;
      while (isAsciiAlpha(at(r, i))) i++;
      if (at(r, i) !== 0x3b /* ; */) break;
      i++;
    } else if (c === 0x5d /* ] */) {
      const next = at(r, ++i);
      result = true;
      if (next === EOF || next === 0x28 || next === 0x5b || isWhitespace(next)) break;
    } else {
      result = c === 0x3c /* < */ || c === EOF || isWhitespace(c);
      break;
    }
  }
  for (const v of visited) r.trails.set(v, result);
  return result;
}

/** The end of a domain from `i`, or -1: no character, or `_` in one of its last two labels. */
function domainEnd(r: Reader, i: number): number {
  let underscoreInLast = false;
  let underscoreInLastButOne = false;
  let seen = false;
  for (;;) {
    const c = at(r, i);
    if (c === 0x2e /* . */ || c === 0x5f /* _ */) {
      if (isTrail(r, i)) break;
      if (c === 0x5f) underscoreInLast = true;
      else {
        underscoreInLastButOne = underscoreInLast;
        underscoreInLast = false;
      }
      i++;
      continue;
    }
    if (c === EOF || isWhitespace(c) || (c !== 0x2d /* - */ && isPunctuation(c))) break;
    seen = true;
    i++;
  }
  return underscoreInLast || underscoreInLastButOne || !seen ? -1 : i;
}

/** `! " & ' ) * , . : ; < ? ] _ ~`: where a path may end, if a trail starts there. */
const mayEndPath = (c: number) => isPlainTrail(c) || c === 0x26 || c === 0x3c || c === 0x5d;

/** The end of a path from `i` (possibly `i`): up to whitespace or a trail; `)` closes a `(` of the path first. */
function pathEnd(r: Reader, i: number): number {
  let open = 0;
  let closed = 0;
  for (;;) {
    const c = at(r, i);
    if (c === 0x28 /* ( */) open++;
    else if (c === 0x29 /* ) */ && closed < open) closed++;
    else if (mayEndPath(c)) {
      if (isTrail(r, i)) return i;
      if (c === 0x29) closed++;
    } else if (c === EOF || isWhitespace(c)) return i;
    i++;
  }
}

/**
 * `www.` (any case) then a domain and a path, after the start, whitespace, `( * _ [ ] ~`; not
 * `www.` at the very end (`textGoesOn`: more of the paragraph follows `end`, such as a line break).
 */
function wwwEnd(r: Reader, i: number, before: number, textGoesOn: boolean): number {
  const okBefore = before === EOF || isLineEndingOrSpace(before) || before === 0x28 || before === 0x2a || before === 0x5f || before === 0x5b || before === 0x5d || before === 0x7e;
  if (!okBefore) return -1;
  for (let k = i; k < i + 3; k++) if ((at(r, k) | 0x20) !== 0x77 /* w */) return -1;
  if (at(r, i + 3) !== 0x2e || (at(r, i + 4) === EOF && !textGoesOn)) return -1;
  const domain = domainEnd(r, i);
  return domain < 0 ? -1 : pathEnd(r, domain);
}

/** `http://` or `https://` (any case) then a domain and a path, after anything but an ASCII letter. */
function protocolEnd(r: Reader, i: number, before: number): number {
  if (isAsciiAlpha(before)) return -1;
  let k = i + 1;
  while (k - i < 5 && isAsciiAlpha(at(r, k))) k++;
  const scheme = r.text.slice(i, k).toLowerCase();
  if ((scheme !== "http" && scheme !== "https") || at(r, k) !== 0x3a || at(r, k + 1) !== 0x2f || at(r, k + 2) !== 0x2f) return -1;
  const c = at(r, k + 3);
  if (c === EOF || c < 0x20 || c === 0x7f || isWhitespace(c) || isPunctuation(c)) return -1;
  const domain = domainEnd(r, k + 3);
  return domain < 0 ? -1 : pathEnd(r, domain);
}

/** `local@domain`: a local part not after `/` or its own characters, a domain with a dot that ends in a letter. */
function emailEnd(r: Reader, i: number, before: number): number {
  if (before === 0x2f || isAtext(before)) return -1;
  let k = i;
  while (isAtext(at(r, k))) k++;
  if (at(r, k) !== 0x40 /* @ */) return -1;
  k++;
  let data = false;
  let dot = false;
  for (;;) {
    const c = at(r, k);
    if (c === 0x2e) {
      // A dot belongs to the domain only before an alphanumeric.
      if (!isAsciiAlphanumeric(at(r, k + 1))) break;
      dot = true;
    } else if (c === 0x2d || c === 0x5f || isAsciiAlphanumeric(c)) data = true;
    else break;
    k++;
  }
  return data && dot && isAsciiAlpha(r.text.charCodeAt(k - 1)) ? k : -1;
}

/** Where to look for literals in a text, and what surrounds that part of it. */
export interface LiteralScan {
  /** The character before `from` (EOF for none). */
  readonly before: number;
  /** Where the text to read ends (exclusive; default its length): literals stop there. */
  readonly end?: number;
  /** Whether the paragraph goes on after `end` (a line break, other inline markup), not the end of it. */
  readonly textGoesOn?: boolean;
  /** Where to start reading (default 0). */
  readonly from?: number;
  /** Only literals that start before this (default `end`). */
  readonly startsBefore?: number;
}

/**
 * The literals of `text`, left to right, as micromark finds them: at each position an e-mail
 * address is tried first, then `http(s)://` at an `h`, `www.` at a `w`; a literal's last
 * character is the one before what follows it.
 */
export function findAutolinkLiterals(text: string, scan: LiteralScan): AutolinkLiteral[] {
  const { end = text.length, textGoesOn = false, from = 0 } = scan;
  const startsBefore = scan.startsBefore ?? end;
  const r: Reader = { text, end, trails: new Map() };
  const found: AutolinkLiteral[] = [];
  let previous = scan.before;
  for (let i = from; i < startsBefore; ) {
    const c = text.charCodeAt(i);
    let kind: AutolinkLiteral["kind"] = "email";
    let stop = isAtext(c) ? emailEnd(r, i, previous) : -1;
    if (stop < 0 && (c | 0x20) === 0x68 /* h */) {
      kind = "protocol";
      stop = protocolEnd(r, i, previous);
    }
    if (stop < 0 && (c | 0x20) === 0x77 /* w */) {
      kind = "www";
      stop = wwwEnd(r, i, previous, textGoesOn);
    }
    if (stop > i) {
      found.push({ kind, start: i, end: stop });
      previous = text.charCodeAt(stop - 1);
      i = stop;
    } else {
      previous = c;
      i++;
    }
  }
  return found;
}
