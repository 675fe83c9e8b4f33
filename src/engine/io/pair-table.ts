/**
 * Does a lookup key still answer the signature a memo stored? One function per run:
 * it may memoise, and a PairTable keeps its verdicts for as long as it is asked the same one.
 */
export type PairCheck = (key: string, stored: string) => boolean;

/**
 * (lookup key, signature) pairs shared by many memos, with each pair's verdict kept for as
 * long as the same check is asked: one run's `addResults`.
 */
export class PairTable {
  private verdicts: Int8Array;
  private askedWith: PairCheck | null = null;

  constructor(
    readonly keys: readonly string[],
    readonly sigs: readonly string[],
  ) {
    this.verdicts = new Int8Array(keys.length);
  }

  holds(id: number, check: PairCheck): boolean {
    if (this.askedWith !== check) {
      this.askedWith = check;
      this.verdicts.fill(0);
    }
    let v = this.verdicts[id]!;
    if (v === 0) this.verdicts[id] = v = check(this.keys[id]!, this.sigs[id]!) ? 1 : -1;
    return v === 1;
  }
}
