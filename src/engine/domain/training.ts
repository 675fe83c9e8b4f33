/** A head count: an integer ≥ 0, or null (absent or not a count; the schema reports a wrong one). */
export const count = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : null);
