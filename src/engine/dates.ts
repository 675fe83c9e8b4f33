/**
 * Calendar dates as whole days since 1970-01-01 (UTC), so that "days left" and
 * "months later" never depend on the machine's time zone or daylight saving.
 */
export type Day = number;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Dates repeat across thousands of documents; remembering them keeps rules cheap. */
const parsed = new Map<string, Day | null>();

/** `YYYY-MM-DD` → Day, or null if it is not a real calendar date. */
export function parseDay(value: unknown): Day | null {
  if (typeof value !== "string") return null;
  const hit = parsed.get(value);
  if (hit !== undefined) return hit;
  const m = ISO_DATE.exec(value);
  let day: Day | null = null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) day = Date.UTC(y, mo - 1, d) / MS_PER_DAY;
  }
  if (parsed.size > 50_000) parsed.clear();
  parsed.set(value, day);
  return day;
}

export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-based), leap years by the Gregorian rule. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1]!;
}

/** Calendar months later, clamped to the month's last day: Jan 31 + 1 month = Feb 28/29. */
export function addMonths(day: Day, months: number): Day {
  const d = new Date(day * MS_PER_DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12; // 0-based
  const dom = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
  return Date.UTC(year, month, dom) / MS_PER_DAY;
}

/** The local calendar date of this machine, as an IT director reads "today". */
export function localToday(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
