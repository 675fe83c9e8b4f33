import { decidesCoverage, inAnnualTotals, invalidNote, LICENCE_STATUSES, type ControlStatus, type FrameworkDetail, type LicenceRow, type LicenceStatus, type Money, type ReviewRow, type ReviewState } from "../../engine/index.js";
import stringWidth from "string-width";
import { styler, type Style } from "../style.js";
import { neutralise } from "./neutralise.js";
import { plural } from "./words.js";

/**
 * Aligned plain-text tables for the terminal. Cells are neutralised (document values are
 * written by many people and could carry terminal escape sequences: see neutralise.ts),
 * widths are display columns as the terminal shows them (string-width: East Asian wide
 * characters and emoji take two, combining marks none), and long text is cut with an
 * ellipsis: the JSON and CSV outputs carry every value in full.
 *
 * With a `width` (the terminal's columns; see `widthFor` in io.ts) the table fits it: the
 * widest shrinkable columns (left-aligned text) give up columns first, never below their
 * header or 8 columns; ids, dates, numbers and statuses keep their width.
 */
export interface Column {
  header: string;
  align?: "left" | "right";
  /** Longest cell in display columns; longer ones end in `…`. */
  max?: number;
}
export type Cell = string | { text: string; style?: Style };

const GAP = 2;
const MIN_SHRINK = 8;
const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });
const width = (s: string): number => stringWidth(s);

/** Cut to at most `max` display columns, whole graphemes only, ending in `…`. */
export function cut(s: string, max: number | undefined): string {
  if (max === undefined || width(s) <= max) return s;
  let out = "";
  let used = 0;
  for (const { segment } of segmenter.segment(s)) {
    const w = width(segment);
    if (used + w > max - 1) break;
    out += segment;
    used += w;
  }
  return out + "…";
}

/** Column widths that fit `total` columns, shrinking the widest left-aligned ones first. */
function fit(columns: readonly Column[], natural: number[], total: number | undefined): number[] {
  const widths = [...natural];
  if (total === undefined) return widths;
  const sum = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  const floor = columns.map((c, i) => (c.max !== undefined && c.align !== "right" ? Math.min(natural[i]!, Math.max(width(c.header), MIN_SHRINK)) : natural[i]!));
  let excess = sum() - total;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break; // cannot fit: better wide than unreadable
    widths[widest]!--;
    excess--;
  }
  return widths;
}

export function renderTable(columns: readonly Column[], rows: readonly Cell[][], colour: boolean, total?: number): string {
  const s = styler(colour);
  const texts = rows.map((row) => row.map((c, i) => cut(neutralise(typeof c === "string" ? c : c.text), columns[i]?.max)));
  const natural = columns.map((col, i) => Math.max(width(col.header), ...texts.map((r) => width(r[i] ?? ""))));
  const widths = fit(columns, natural, total);
  const cells = rows.map((row, r) => row.map((c, i) => ({ text: cut(texts[r]![i]!, widths[i]), style: typeof c === "string" ? undefined : c.style })));
  const last = columns.length - 1;
  const pad = (text: string, i: number) => {
    const gap = " ".repeat(Math.max(0, widths[i]! - width(text)));
    if (columns[i]?.align === "right") return gap + text;
    return i === last ? text : text + gap; // no trailing blanks, even inside colour codes
  };
  const line = (parts: string[]) => parts.join(" ".repeat(GAP)).replace(/ +$/, "");
  const out = [line(columns.map((c, i) => s("bold", pad(cut(c.header, widths[i]), i))))];
  for (const row of cells) out.push(line(row.map((c, i) => (c.style ? s(c.style, pad(c.text, i)) : pad(c.text, i)))));
  return out.join("\n") + "\n";
}

/** Minor units of a currency (JPY 0, BHD 3), 2 for anything Intl does not know. */
function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** One formatter per currency: building an Intl.NumberFormat per amount cost seconds on a calendar of 10,000 licences. */
const amountFormats = new Map<string, Intl.NumberFormat>();

export const formatAmount = (amount: number, currency: string): string => {
  let f = amountFormats.get(currency);
  if (!f) {
    const digits = fractionDigits(currency);
    amountFormats.set(currency, (f = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  }
  return f.format(amount);
};
export const formatMoney = (m: Money): string => `${formatAmount(m.amount, m.currency)} ${m.currency}`;


// ---- licences -----------------------------------------------------------------------

const LICENCE_STYLE: Record<LicenceStatus, Style | undefined> = { expired: "red", "renewal-due": "yellow", "cancel-by": "yellow", expiring: "blue", ok: "green", perpetual: undefined, invalid: "red" };

/** Sums amounts per key and currency, keys in first-seen order, currencies sorted. */
function totals<T>(items: readonly T[], key: (t: T) => string, money: (t: T) => Money | null | undefined): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const item of items) {
    const m = money(item);
    if (!m) continue;
    const k = key(item);
    let byCur = out.get(k);
    if (!byCur) out.set(k, (byCur = new Map()));
    byCur.set(m.currency, (byCur.get(m.currency) ?? 0) + m.amount);
  }
  return out;
}
const moneyList = (byCur: Map<string, number>): string =>
  [...byCur].sort(([a], [b]) => (a < b ? -1 : 1)).map(([cur, amount]) => formatMoney({ amount, currency: cur })).join(" + ");

const indent = (table: string): string => table.replace(/\n$/, "").replace(/^/gm, "  ");

/** The annual cost, or for a one-off purchase its price marked as such (it has no annual figure). */
const annualCell = (r: LicenceRow): string =>
  r.one_off_cost ? `one-off ${formatMoney(r.one_off_cost)}` : r.annual_cost ? formatMoney(r.annual_cost) : "-";

/** The status, and over-allocation beside it: both need action and neither may hide the other. */
const licenceStatusText = (r: LicenceRow): string => (r.over_allocated ? `${r.status}, over-allocated` : r.status);

export interface LicenceTableContext {
  today: string;
  within?: number;
  vendorNames: ReadonlyMap<string, string>;
  /** Records of the register that do not validate, listed or not (see `invalidRecords`). */
  invalid?: number;
  /** What the records are called (`recordNoun` of the licence kinds). */
  noun: string;
  /** Terminal width to fit (undefined: no limit). */
  width?: number;
}

export function licenceTable(rows: readonly LicenceRow[], ctx: LicenceTableContext, colour: boolean): string {
  const s = styler(colour);
  const scope = ctx.within === undefined ? "" : ` expiring within ${plural(ctx.within, "day")}`;
  if (rows.length === 0) {
    const note = invalidNote(ctx.invalid ?? 0, ctx.noun);
    return `No ${ctx.noun}s${scope} (today is ${ctx.today}).\n${note ? note + "\n" : ""}`;
  }
  const vendor = (r: LicenceRow) => (r.vendor === null ? "-" : ctx.vendorNames.get(r.vendor) ?? r.vendor);
  const columns: Column[] = [
    { header: "ID" }, { header: "PRODUCT", max: 40 }, { header: "VENDOR", max: 36 }, { header: "TYPE" }, { header: "EXPIRY" },
    { header: "DAYS LEFT", align: "right" }, { header: "STATUS" }, { header: "ASSIGNED/SEATS", align: "right" }, { header: "ANNUAL COST", align: "right" },
  ];
  const body: Cell[][] = rows.map((r) => [
    r.id, r.product, vendor(r), r.type ?? "-", r.expiry_date ?? "-", r.days_left === null ? "-" : String(r.days_left),
    { text: licenceStatusText(r), style: r.over_allocated ? "red" : LICENCE_STYLE[r.status] },
    r.seats === null && r.assigned === null ? "-" : `${r.assigned ?? "-"}/${r.seats ?? "-"}`,
    annualCell(r),
  ]);
  const out = [renderTable(columns, body, colour, ctx.width).replace(/\n$/, "")];

  // One-off purchases are not recurring, expired licences are no longer paid for and
  // invalid records cannot be trusted: all stay out of the annual totals.
  const recurring = rows.filter(inAnnualTotals);
  const byCurrency = totals(recurring, () => "all", (r) => r.annual_cost).get("all");
  if (byCurrency) {
    out.push("", s("bold", "Annual cost by currency"));
    const cur = [...byCurrency].sort(([a], [b]) => (a < b ? -1 : 1));
    const n = (c: string) => recurring.filter((r) => r.annual_cost?.currency === c).length;
    out.push(indent(renderTable([{ header: "CURRENCY" }, { header: "PER YEAR", align: "right" }, { header: "LICENCES", align: "right" }], cur.map(([c, a]) => [c, formatAmount(a, c), String(n(c))]), colour)));
    const byVendor = totals(recurring, (r) => vendor(r), (r) => r.annual_cost);
    out.push("", s("bold", "Annual cost by vendor"));
    const vendors = [...byVendor].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push(indent(renderTable([{ header: "VENDOR", max: 40 }, { header: "PER YEAR", align: "right" }], vendors.map(([v, m]) => [v, moneyList(m)]), colour)));
  }
  const oneOffRows = rows.filter((r) => r.one_off_cost !== null && r.status !== "invalid");
  if (oneOffRows.length) {
    const sums = totals(oneOffRows, () => "all", (r) => r.one_off_cost).get("all")!;
    out.push("", `One-off purchases, not in the annual totals: ${moneyList(sums)} (${oneOffRows.map((r) => r.id).join(", ")}).`);
  }
  const counts = LICENCE_STATUSES.map((st) => `${rows.filter((r) => r.status === st).length} ${st}`);
  const over = rows.filter((r) => r.over_allocated).length;
  out.push("", `${plural(rows.length, ctx.noun)}${scope}: ${counts.join(", ")}${over ? `; ${over} over-allocated` : ""} (today is ${ctx.today}).`);
  const note = invalidNote(ctx.invalid ?? 0, ctx.noun);
  if (note) out.push(note);
  return out.join("\n") + "\n";
}

// ---- reviews ------------------------------------------------------------------------

const REVIEW_STYLE: Record<ReviewState, Style | undefined> = { overdue: "red", never: "red", "due-soon": "yellow", ok: "green", "not-active": "dim", invalid: "red" };

export function reviewTable(rows: readonly ReviewRow[], ctx: { today: string; within?: number; invalid?: number; width?: number }, colour: boolean): string {
  const scope = ctx.within === undefined ? "" : ` due within ${plural(ctx.within, "day")}`;
  const note = invalidNote(ctx.invalid ?? 0, "document");
  if (rows.length === 0) return `No reviews${scope} (today is ${ctx.today}).\n${note ? note + "\n" : ""}`;
  const columns: Column[] = [
    { header: "ID" }, { header: "KIND" }, { header: "TITLE", max: 40 }, { header: "OWNER", max: 28 }, { header: "STATUS" },
    { header: "LAST REVIEWED" }, { header: "NEXT REVIEW" }, { header: "DAYS", align: "right" }, { header: "STATE" },
  ];
  const body: Cell[][] = rows.map((r) => [
    r.id, r.kind, r.title ?? "-", r.owner ?? "-", r.status ?? "-", r.last_reviewed ?? "-", r.next_review ?? "-",
    r.days_until === null ? "-" : String(r.days_until), { text: r.state, style: REVIEW_STYLE[r.state] },
  ]);
  const counts = (["overdue", "never", "due-soon", "ok", "not-active", "invalid"] as const).map((st) => `${rows.filter((r) => r.state === st).length} ${st}`);
  return `${renderTable(columns, body, colour, ctx.width)}\n${plural(rows.length, "document")}${scope}: ${counts.join(", ")} (today is ${ctx.today}).\n${note ? note + "\n" : ""}`;
}

// ---- compliance ---------------------------------------------------------------------

const CONTROL_STYLE: Record<ControlStatus, Style | undefined> = { covered: "green", stale: "yellow", draft: "blue", missing: "red", "not-applicable": "dim" };

/** Why a control is not covered, in a few words: the not-applicable reason, or the documents holding it back. */
export function controlNote(c: FrameworkDetail["controls"][number]): string {
  if (c.reason !== undefined) return c.reason.replace(/\s+/g, " ").trim();
  const deciding = c.documents.filter((d) => d.counts);
  const invalid = c.documents.filter((d) => d.invalid);
  const notes: string[] = [];
  if (c.status === "stale") notes.push(`review overdue: ${deciding.filter((d) => d.status === "active").map((d) => d.id).join(", ")}`);
  if (c.status === "draft") notes.push(`not yet active: ${deciding.map((d) => `${d.id} (${d.status})`).join(", ")}`);
  if (invalid.length) notes.push(`invalid, not counted: ${invalid.map((d) => d.id).join(", ")}`);
  if (c.findings.length) notes.push(`open audit findings: ${c.findings.map((f) => `${f.audit} ${f.id}${f.severity ? ` (${f.severity})` : ""}`).join(", ")}`);
  if (c.status === "missing" && c.documents.some((d) => !decidesCoverage(d.kind)) && !deciding.length && !invalid.some((d) => decidesCoverage(d.kind))) {
    notes.push("only manuals map to it; a policy or SOP must implement it");
  }
  return notes.join("; ");
}

/** Documents mapping to controls whose front matter does not validate, across frameworks. */
export const invalidMappedCount = (frameworks: readonly FrameworkDetail[]): number =>
  new Set(frameworks.flatMap((f) => f.controls.flatMap((c) => c.documents.filter((d) => d.invalid).map((d) => d.file)))).size;

export const applicableCount = (f: FrameworkDetail): number => f.controls.length - f.counts["not-applicable"];
/** From the counts, not the 4-decimal `coverage`: 1 of 105 is 0.95…%, shown 1.0%, where 0.0095 × 100 would show 0.9%. */
export const coveragePercent = (f: FrameworkDetail): string => {
  const applicable = applicableCount(f);
  return `${(applicable > 0 ? (f.counts.covered / applicable) * 100 : 0).toFixed(1)}%`;
};

export interface ComplianceTableContext {
  today: string;
  /** List every control; by default only those not covered (stale, draft, missing). */
  all?: boolean;
  /** Documents mapping to controls that do not validate. */
  invalid?: number;
  /** Terminal width to fit (undefined: no limit). */
  width?: number;
}

const NOT_COVERED: readonly ControlStatus[] = ["stale", "draft", "missing"];

export function complianceTable(frameworks: readonly FrameworkDetail[], ctx: ComplianceTableContext, colour: boolean): string {
  const s = styler(colour);
  const out: string[] = [];
  for (const f of frameworks) {
    if (out.length) out.push("");
    out.push(s("bold", neutralise(`${f.framework}: ${f.title}${f.version ? ` (version ${f.version})` : ""}`)));
    out.push(`Coverage ${coveragePercent(f)}: ${f.counts.covered} of ${plural(applicableCount(f), "applicable control")} covered (today is ${ctx.today}).`);
    out.push(([...Object.entries(f.counts)] as [ControlStatus, number][]).map(([st, n]) => `${n} ${st}`).join(", "));
    const controls = ctx.all ? f.controls : f.controls.filter((c) => NOT_COVERED.includes(c.status) || c.findings.length > 0);
    out.push("");
    if (controls.length === 0) {
      out.push("Every applicable control is covered; --all lists them.");
      continue;
    }
    const columns: Column[] = [{ header: "CONTROL" }, { header: "STATUS" }, { header: "STATEMENT", max: 48 }, { header: "DOCUMENTS", max: 40 }, { header: "NOTE", max: 60 }];
    const body: Cell[][] = controls.map((c) => [c.id, { text: c.status, style: CONTROL_STYLE[c.status] }, c.title, c.documents.map((d) => d.id).join(", ") || "-", controlNote(c)]);
    out.push(renderTable(columns, body, colour, ctx.width).replace(/\n$/, ""));
    const withFindings = controls.some((c) => !NOT_COVERED.includes(c.status)) ? " or with open audit findings" : "";
    if (!ctx.all) out.push("", `${plural(controls.length, "control")} not covered (stale, draft or missing)${withFindings} shown; --all lists all ${f.controls.length}.`);
  }
  const note = invalidNote(ctx.invalid ?? 0, "document");
  if (note) out.push("", note);
  return out.join("\n") + "\n";
}
