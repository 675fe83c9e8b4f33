/**
 * Asset warranties (issue 17): the warranty ends of assets in use, for the calendar and the
 * front ends. Kinds are selected by the fields the asset/* rules read, never by name.
 */
import { formatDay } from "../model/dates.js";
import { kinds } from "../model/kinds.js";
import type { Workspace } from "../workspace/workspace.js";
import { assetName, assetQuantity, warrantyOf } from "../domain/assets.js";
import { byString, invalidRecords, reportable, str, withWorkspaceKinds } from "./values.js";

/** The fields that make a kind's records carry a warranty (as asset/warranty-expiring selects them). */
export const WARRANTY_FIELDS = { fields: ["warranty_end", "status"] } as const;
export const warrantyKinds = (): string[] => kinds().select(WARRANTY_FIELDS);

/** One in-use asset (or batch) with a warranty end. */
export interface WarrantyRow {
  id: string;
  kind: string;
  name: string;
  type: string | null;
  quantity: number;
  warranty_end: string;
  /** warranty_end − today in whole days: 0 on the last day of cover, negative once it has ended. */
  days_left: number;
  owner: string | null;
  file: string;
  /** False when the record does not validate (SPEC §2: never shown as valid). */
  valid: boolean;
}

function warrantyReportIn(ws: Workspace): WarrantyRow[] {
  const selected = warrantyKinds();
  const invalid = invalidRecords(ws, selected).files;
  const rows: WarrantyRow[] = [];
  for (const doc of reportable(ws.allFacts(), selected)) {
    const w = warrantyOf(doc, ws.todayDay);
    if (!w) continue;
    rows.push({ id: doc.id, kind: doc.kind, name: assetName(doc), type: str(doc.values.type), quantity: assetQuantity(doc), warranty_end: formatDay(w.end), days_left: w.daysLeft, owner: str(doc.values.owner), file: doc.file, valid: !invalid.has(doc.file) });
  }
  return rows.sort((a, b) => byString(a.warranty_end, b.warranty_end) || byString(a.id, b.id));
}

/** Every in-use asset's warranty end, soonest first, run with the workspace's own kinds. */
export const warrantyReport = withWorkspaceKinds(warrantyReportIn);
