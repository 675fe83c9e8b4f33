/** `1 licence`, `3 licences`: a count and its noun, the plural by `s` (every noun the CLI counts takes one). */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
