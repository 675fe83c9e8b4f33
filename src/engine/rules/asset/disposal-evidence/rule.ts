import { defineRule } from "../../rule.js";
import { formatDay, parseDay } from "../../../model/dates.js";
import { resolveRepoPath } from "../../../model/paths.js";
import { assetName, mappingOf } from "../../../domain/assets.js";
import type { RelatedLocation } from "../../../model/types.js";

/**
 * A disposed asset needs its NIST SP 800-88 evidence: the disposal's date, method and a
 * certificate that is a file in the repository. A disposal date after today is not evidence
 * of a disposal that happened. Points at the `status` value (SPEC §2); the disposal date is
 * the related location when it is the problem.
 */
export default defineRule({
  meta: {
    code: "asset/disposal-evidence",
    severity: "error",
    description: "Require a disposed asset to record its disposal date, method and an existing certificate (NIST SP 800-88 evidence).",
    appliesTo: { fields: ["status", "disposal"] },
    messages: {
      missing: "Asset `{name}` is `disposed` without {missing}; record the disposal evidence under `disposal`, or keep the status `retired` until the disposal is done.",
      future: "Asset `{name}` is `disposed` but `disposal.date` (`{date}`) is after today (`{today}`); record the day the disposal was done, or keep the status `retired` until then.",
    },
  },
  check({ doc, repo, today, report }) {
    if (doc.values.status !== "disposed") return;
    const disposal = mappingOf(doc.values.disposal);
    const missing: string[] = [];
    const date = parseDay(disposal.date);
    if (date === null) missing.push("`disposal.date`");
    if (typeof disposal.method !== "string" || disposal.method === "") missing.push("`disposal.method`");
    const cert = typeof disposal.certificate === "string" ? disposal.certificate.trim() : "";
    if (cert === "") missing.push("`disposal.certificate`");
    else {
      const path = resolveRepoPath(null, cert);
      if (path === null || repo.leaves(path) || !repo.exists(path) || repo.isFolder(path)) missing.push(`an existing certificate (\`${cert}\` is not a file in the repository)`);
    }
    const name = assetName(doc);
    if (missing.length > 0) {
      const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
      report({ messageId: "missing", at: "/status", data: { name, missing: list } });
      return;
    }
    if (date !== null && date > today) {
      const at = repo.rangeOf(doc, "/disposal/date");
      const related: RelatedLocation[] = at ? [{ file: doc.file, ...at, message: "The disposal date is here." }] : [];
      report({ messageId: "future", at: "/status", data: { name, date: formatDay(date), today: formatDay(today) }, related });
    }
  },
});
