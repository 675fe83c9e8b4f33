import { isUtf8 } from "node:buffer";

/**
 * Turns a file's bytes into text the parsers can trust, or says why it cannot.
 * UTF-8 (with or without BOM) and UTF-16 with a BOM are read; a NUL byte marks a
 * binary file; invalid UTF-8 is decoded with U+FFFD and reported at its first bad byte,
 * so the rest of the file is still checked.
 */
export type Decoded =
  | { ok: true; text: string; problem?: { message: string; offset: number } }
  | { ok: false; message: string; offset: number };

const utf16le = new TextDecoder("utf-16le");
const utf16be = new TextDecoder("utf-16be");
const utf8 = new TextDecoder("utf-8");

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { ok: true, text: utf16le.decode(bytes.subarray(2)) };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { ok: true, text: utf16be.decode(bytes.subarray(2)) };
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, message: "This looks like a binary file (it contains a NUL byte); governed files must be UTF-8 text.", offset: 0 };
  const body = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const text = utf8.decode(body);
  if (isUtf8(body)) return { ok: true, text };
  const bad = firstInvalidUtf8(body);
  // Where the bad byte lands in the decoded text: decode the valid prefix.
  const offset = utf8.decode(body.subarray(0, bad)).length;
  return { ok: true, text, problem: { message: `The file is not valid UTF-8 (bad byte 0x${body[bad]!.toString(16).padStart(2, "0")} at byte ${bad}); save it as UTF-8.`, offset } };
}

/** Index of the first byte that starts an invalid UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let need = 0;
    let min = 0;
    if (c < 0x80) { i++; continue; }
    else if (c >= 0xc2 && c <= 0xdf) { need = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = c & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const n = b[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (n & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return b.length;
}
