/** Types of markdown-oracle.mjs, for the tests that share it (tests/helpers/markdown-oracle.ts). */
export interface FactSpan {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
export interface ComparableFacts {
  headings: { depth: number; text: string; slug: string; range: FactSpan }[];
  links: { url: string; kind: string; range: FactSpan }[];
  htmlAnchors: string[];
}
export interface FactDifference {
  /** `headings.slug`, `links.range`, `links.missing-in-engine`, … */
  class: string;
  detail: string;
}
export function oracleFacts(markdown: string, options?: { frontmatter?: boolean }): ComparableFacts;
export function engineFacts(facts: {
  headings: readonly { depth: number; text: string; slug: string; range: FactSpan }[] | null;
  links: readonly { url: string; kind: string; range: FactSpan }[];
  htmlAnchors?: readonly string[] | null;
}): ComparableFacts;
export function diffFacts(engine: ComparableFacts, oracle: ComparableFacts): FactDifference[];
