import type { DocumentFacts } from "../types.js";

/**
 * Readers for front-matter values in reports. Reports run on repositories that may not
 * validate (reports never fail on findings), so every value is checked before use and a
 * wrong one reads as "absent": `validate` is where the user learns what is wrong.
 */
export const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export const count = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);

/** Documents a report can speak about: parsed, with an id, of one of the given kinds. */
export function reportable(all: readonly DocumentFacts[], kinds: readonly string[]): (DocumentFacts & { id: string })[] {
  return all.filter((d): d is DocumentFacts & { id: string } => d.parsed && d.id !== null && kinds.includes(d.kind));
}

export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rounds away binary floating-point noise (1213.2 × 12 = 14558.400000000001) without losing real precision. */
export const round = (n: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
};
