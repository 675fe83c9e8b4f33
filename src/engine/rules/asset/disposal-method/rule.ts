import { defineRule } from "../../rule.js";
import type { RelatedLocation } from "../../../model/types.js";
import { assetName, mappingOf, PURGE_CLASSES } from "../../../domain/assets.js";

/**
 * NIST SP 800-88: media that held confidential or restricted data are purged or destroyed;
 * `clear` (overwriting with ordinary commands) is for data of lower sensitivity. The asset's
 * own `data_classification` decides; without one, that of the system it belongs to
 * (`system`, read case-insensitively: system records use the organisation's wording).
 */
export default defineRule({
  meta: {
    code: "asset/disposal-method",
    severity: "error",
    description: "Disallow `clear` as the disposal method of an asset that held confidential or restricted data (NIST SP 800-88 needs purge or destroy).",
    appliesTo: { fields: ["disposal", "data_classification"] },
    messages: {
      clear: "Asset `{name}` held `{classification}` data but its disposal method is `clear`; NIST SP 800-88 needs `purge` or `destroy` for such media, so sanitise them again and record the method and certificate.",
      clearSystem: "Asset `{name}` belongs to system `{system}`, which holds `{classification}` data, but its disposal method is `clear`; NIST SP 800-88 needs `purge` or `destroy` for such media, so sanitise them again and record the method and certificate.",
    },
  },
  check({ doc, repo, report }) {
    if (mappingOf(doc.values.disposal).method !== "clear") return;
    const name = assetName(doc);
    const own = doc.values.data_classification;
    if (typeof own === "string") {
      if (PURGE_CLASSES.includes(own)) report({ messageId: "clear", at: "/disposal/method", data: { name, classification: own } });
      return;
    }
    const systemId = doc.values.system;
    if (typeof systemId !== "string") return;
    // `document` (not `declarations`): the rule reads the system's classification, so editing it re-checks this asset.
    const system = repo.document(systemId);
    const cls = system?.values.data_classification;
    if (!system || typeof cls !== "string" || !PURGE_CLASSES.includes(cls.trim().toLowerCase())) return;
    const at = repo.rangeOf(system, "/data_classification");
    const related: RelatedLocation[] = at ? [{ file: system.file, ...at, message: `\`${systemId}\` has \`data_classification: ${cls}\` here.` }] : [];
    report({ messageId: "clearSystem", at: "/disposal/method", data: { name, system: systemId, classification: cls }, related });
  },
});
