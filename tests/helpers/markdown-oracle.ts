/**
 * The mdast oracle for the engine's Markdown facts (remark-parse + remark-gfm, github-slugger):
 * one implementation, bench/markdown-oracle.mjs, serves the unit tests and the differential
 * run over real repositories (bench/differential.mjs).
 */
export { oracleFacts, engineFacts, diffFacts, type ComparableFacts, type FactDifference } from "../../bench/markdown-oracle.mjs";
