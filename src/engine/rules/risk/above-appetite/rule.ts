import { defineRule } from "../../rule.js";
import { acceptanceOf, inherentScore, residualScore } from "../../../domain/risks.js";

/**
 * A risk whose residual score (the inherent one when no residual is recorded) is above
 * `risks.appetite` needs an acceptance that has not expired (SPEC §2 `risk/above-appetite`).
 */
export default defineRule({
  meta: {
    code: "risk/above-appetite",
    severity: "error",
    description: "Require a risk scored above the risk appetite to have an unexpired acceptance.",
    appliesTo: { fields: ["likelihood", "impact", "residual", "acceptance", "treatment"] },
    messages: {
      residual: "Residual risk score {score} (likelihood {likelihood} × impact {impact}) is above the risk appetite of {appetite} and no unexpired acceptance is recorded; treat the risk further or record an `acceptance` with `by`, `on` and `expires`.",
      inherent: "Risk score {score} (likelihood {likelihood} × impact {impact}, no `residual` recorded) is above the risk appetite of {appetite} and no unexpired acceptance is recorded; record the `residual` score after treatment or an `acceptance` with `by`, `on` and `expires`.",
    },
  },
  check({ doc, config, today, report }) {
    if (doc.values.status === "retired") return;
    const residual = residualScore(doc);
    const s = residual ?? inherentScore(doc);
    const appetite = config.risks.appetite;
    if (!s || s.score <= appetite) return;
    const a = acceptanceOf(doc);
    if (a && a.by !== null && a.on !== null && a.on <= today && a.expires !== null && today <= a.expires) return;
    report({ messageId: residual ? "residual" : "inherent", at: doc.values.treatment !== undefined ? "/treatment" : "/id", data: { score: s.score, likelihood: s.likelihood, impact: s.impact, appetite } });
  },
});
