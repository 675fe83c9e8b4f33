import { stringify } from "csv-stringify/sync";
import type { FrameworkDetail, LicenceRow, ReviewRow } from "../../engine/index.js";
import { controlNote } from "./table.js";
import { neutralise } from "./neutralise.js";

type Value = string | number | boolean | null;

/**
 * RFC 4180 CSV through csv-stringify: a header row, then one row per item; absent values
 * are empty cells. Cells starting with `=`, `+`, `-`, `@`, tab or CR are prefixed with `'`
 * (numbers excepted) because spreadsheets would run them as formulas, and document values
 * come from many authors (OWASP "CSV injection"). Other control characters are
 * neutralised (neutralise.ts, a bare CR included); newlines and tabs stay, quoted.
 */
export function toCsv(header: readonly string[], rows: readonly Value[][]): string {
  const cell = (v: Value) => (v === null ? "" : typeof v === "string" ? neutralise(v, "\n\t") : v);
  return stringify([header as string[], ...rows.map((r) => r.map(cell))], { escape_formulas: true, cast: { boolean: (v) => (v ? "true" : "false") } });
}

export function licencesCsv(rows: readonly LicenceRow[], vendorNames: ReadonlyMap<string, string>): string {
  return toCsv(
    ["id", "product", "vendor", "vendor_name", "type", "expiry_date", "days_left", "status", "seats", "assigned", "over_allocated", "annual_cost_amount", "annual_cost_currency", "one_off_cost_amount", "one_off_cost_currency", "file"],
    rows.map((r) => [
      r.id, r.product, r.vendor, r.vendor === null ? null : vendorNames.get(r.vendor) ?? null, r.type, r.expiry_date, r.days_left, r.status,
      r.seats, r.assigned, r.over_allocated, r.annual_cost?.amount ?? null, r.annual_cost?.currency ?? null, r.one_off_cost?.amount ?? null, r.one_off_cost?.currency ?? null, r.file,
    ]),
  );
}

export function reviewsCsv(rows: readonly ReviewRow[]): string {
  return toCsv(
    ["id", "kind", "title", "file", "owner", "status", "last_reviewed", "next_review", "days_until", "state"],
    rows.map((r) => [r.id, r.kind, r.title, r.file, r.owner, r.status, r.last_reviewed, r.next_review, r.days_until, r.state]),
  );
}

/** One row per control of every framework; documents separated by spaces (ids never contain one). */
export function complianceCsv(frameworks: readonly FrameworkDetail[]): string {
  const rows: Value[][] = [];
  for (const f of frameworks) {
    for (const c of f.controls) rows.push([f.framework, c.id, c.title, c.status, c.documents.map((d) => d.id).join(" "), controlNote(c) || null]);
  }
  return toCsv(["framework", "control", "title", "status", "documents", "note"], rows);
}
