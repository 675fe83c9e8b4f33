import { parseDay, type Day } from "../model/dates.js";
import type { DocumentFacts } from "../model/types.js";

/**
 * Risk scores (SPEC §1 risk): likelihood × impact, each 1–5, computed and never written.
 * One place the `risk/*` rules, the actions report and the site read.
 */
const rating = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5 ? v : null);
const mapping = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export interface RiskScore {
  likelihood: number;
  impact: number;
  score: number;
}

function scoreOf(v: Record<string, unknown> | null): RiskScore | null {
  const likelihood = rating(v?.likelihood);
  const impact = rating(v?.impact);
  return likelihood === null || impact === null ? null : { likelihood, impact, score: likelihood * impact };
}

/** The inherent score (before treatment), or null when likelihood or impact is missing or not 1–5. */
export const inherentScore = (doc: DocumentFacts): RiskScore | null => scoreOf(doc.values);

/** The residual score (after treatment), or null when `residual` is absent or invalid. */
export const residualScore = (doc: DocumentFacts): RiskScore | null => scoreOf(mapping(doc.values.residual));

/** The recorded acceptance: who, when and its expiry (null values where absent or not a date). */
export function acceptanceOf(doc: DocumentFacts): { by: string | null; on: Day | null; expires: Day | null } | null {
  const a = mapping(doc.values.acceptance);
  if (!a) return null;
  return { by: typeof a.by === "string" && a.by !== "" ? a.by : null, on: parseDay(a.on), expires: parseDay(a.expires) };
}
