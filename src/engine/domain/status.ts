import type { DocumentFacts } from "../model/types.js";

/** True when a document is in force (`status: active`). */
export const isActive = (doc: DocumentFacts): boolean => doc.values.status === "active";
