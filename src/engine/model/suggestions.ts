/** "Did you mean": bounded edit distance and the nearest candidate, for ids, anchors, keys and codes. */

/** Levenshtein distance, bounded: enough for "did you mean" on ids and anchors. */
export function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  return boundedDistance(a, b, Math.max(a.length, b.length)) ?? 99;
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Levenshtein distance if it is at most `max`, else undefined. Only the diagonal band of
 * width 2·max+1 is computed, and it stops as soon as a whole row exceeds `max`.
 */
export function boundedDistance(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  if (b.length + 1 > rowA.length) [rowA, rowB] = [new Int32Array(b.length * 2 + 2), new Int32Array(b.length * 2 + 2)];
  let prev = rowA;
  let row = rowB;
  const big = max + 1;
  for (let j = 0; j <= b.length; j++) prev[j] = j <= max ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    row[0] = i <= max ? i : big;
    if (from > 1) row[from - 1] = big;
    let rowMin = row[0]!;
    for (let j = from; j <= to; j++) {
      const sub = prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      const del = (j <= i + max - 1 ? prev[j]! : big) + 1;
      const ins = row[j - 1]! + 1;
      const d = Math.min(sub, del, ins, big);
      row[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (to < b.length) row[to + 1] = big;
    if (rowMin > max) return undefined;
    [prev, row] = [row, prev];
  }
  const d = prev[b.length]!;
  return d <= max ? d : undefined;
}

/**
 * How many candidates `closest` may still compare, shared by the calls of one check: a
 * document with thousands of misspelt anchors and thousands of headings stops getting
 * suggestions once it is spent, instead of taking minutes (normal documents use a tiny
 * fraction of it).
 */
export interface SuggestionBudget {
  comparisons: number;
}

/**
 * `closest` over one fixed list of candidates asked many times (a file's headings, for
 * each misspelt anchor to it): the same answers, but a candidate at distance 0 or 1 (most
 * typos) is found through an index of one-character deletions instead of a scan, so
 * thousands of misspelt anchors to a file with thousands of headings stay linear. Only
 * farther suggestions scan, within the budget.
 */
export class Suggestions {
  private readonly list: string[];
  private readonly lower: string[];
  private exact: Map<string, number> | undefined;
  private deleted: Map<string, number[]> | undefined;

  constructor(candidates: Iterable<string>) {
    this.list = [...candidates];
    this.lower = this.list.map((c) => c.toLowerCase());
  }

  closest(value: string, budget?: SuggestionBudget): string | undefined {
    const v = value.toLowerCase();
    const near = this.near(v);
    if (near !== undefined) return this.list[near];
    // Nothing within 1: what `closest` finds scanning, at distance 2 or more.
    return closest(value, this.list, budget);
  }

  /** How many times `near` was asked: the first few scan, the index is built only for more. */
  private asked = 0;

  /** Index of the first candidate at the smallest distance ≤ 1 from `v`, if any. */
  private near(v: string): number | undefined {
    // A scan costs about one candidate list; the index, a string per character of every
    // candidate. A document's first few misspelt anchors (the usual case, e.g. while one is
    // being typed) are cheaper scanned; many of them amortize the index.
    if (!this.exact && ++this.asked <= NEAR_SCANS) return this.scanNear(v);
    if (!this.exact || !this.deleted) {
      this.exact = new Map();
      this.deleted = new Map();
      this.lower.forEach((c, i) => {
        if (!this.exact!.has(c)) this.exact!.set(c, i);
        for (const d of deletions(c)) {
          const at = this.deleted!.get(d);
          if (!at) this.deleted!.set(d, [i]);
          else if (at[at.length - 1] !== i) at.push(i);
        }
      });
    }
    const same = this.exact.get(v);
    if (same !== undefined) return same;
    // Distance 1: an insertion (v less a character is a candidate), a deletion (a
    // candidate less a character is v) or a substitution (both less one character).
    const found = new Set<number>();
    for (const i of this.deleted.get(v) ?? []) found.add(i);
    for (const d of deletions(v)) {
      const i = this.exact.get(d);
      if (i !== undefined) found.add(i);
      for (const j of this.deleted.get(d) ?? []) found.add(j);
    }
    let best: number | undefined;
    for (const i of found) if ((best === undefined || i < best) && boundedDistance(v, this.lower[i]!, 1) === 1) best = i;
    return best;
  }

  /** What `near` answers, by a scan: the first candidate equal to `v`, else the first at distance 1. */
  private scanNear(v: string): number | undefined {
    let best: number | undefined;
    for (let i = 0; i < this.lower.length; i++) {
      const d = boundedDistance(v, this.lower[i]!, 1);
      if (d === 0) return i;
      if (d === 1 && best === undefined) best = i;
    }
    return best;
  }
}

/** How many `near` questions a `Suggestions` answers by scanning before it builds its index. */
const NEAR_SCANS = 8;

/** Each distinct string `s` less one character (deleting any character of a run gives the same one: the run's first stands for it). */
function deletions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) if (i === 0 || s.charCodeAt(i) !== s.charCodeAt(i - 1)) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/**
 * The closest candidate within a small edit distance, for "did you mean": the first, in
 * `candidates` order, at the smallest distance, which must be at most a quarter of the
 * value's length (at least 2) and, as lengths go, at most 3.
 */
export function closest(value: string, candidates: Iterable<string>, budget?: SuggestionBudget): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(value.length / 4)) + 1;
  const v = value.toLowerCase();
  for (const c of candidates) {
    const lower = c.toLowerCase();
    if (Math.abs(lower.length - v.length) > Math.min(3, bestD - 1)) continue;
    if (budget) {
      if (budget.comparisons <= 0) return best;
      budget.comparisons--;
    }
    const d = boundedDistance(v, lower, bestD - 1);
    if (d !== undefined && d < bestD) {
      [best, bestD] = [c, d];
      if (d === 0) break;
    }
  }
  return best;
}
