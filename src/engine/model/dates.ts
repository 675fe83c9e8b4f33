/**
 * Calendar dates as whole days since 1970-01-01 (proleptic Gregorian, no time zone), so
 * that "days left" and "months later" never depend on the machine's time zone or daylight
 * saving. The conversions are plain integer arithmetic (H. Hinnant's `days_from_civil` /
 * `civil_from_days`), not `Date.UTC`, which reads years 0–99 as 1900–1999, and not
 * `toISOString`, which writes years after 9999 as `+010000-…`.
 */
export type Day = number;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Dates repeat across thousands of documents; remembering them keeps rules cheap. */
const parsed = new Map<string, Day | null>();

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-based), any year. */
export function dayFromCivil(year: number, month: number, dom: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + dom - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a Day: `{year, month (1-based), day}`. */
export function civilFromDay(day: Day): { year: number; month: number; day: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d };
}

/** `YYYY-MM-DD` (years 0000–9999) → Day, or null if it is not a real calendar date. */
export function parseDay(value: unknown): Day | null {
  if (typeof value !== "string") return null;
  const hit = parsed.get(value);
  if (hit !== undefined) return hit;
  const m = ISO_DATE.exec(value);
  let day: Day | null = null;
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) day = dayFromCivil(y, mo, d);
  }
  if (parsed.size > 50_000) parsed.clear();
  parsed.set(value, day);
  return day;
}

/** The first and last Day that `YYYY-MM-DD` can write: 0000-01-01 and 9999-12-31. */
export const FIRST_DAY: Day = dayFromCivil(0, 1, 1);
export const LAST_DAY: Day = dayFromCivil(9999, 12, 31);

/** True when `formatDay` gives a plain `YYYY-MM-DD` (years 0000–9999), the only form schemas, iCalendar and SPEC accept. */
export const isFourDigitYear = (day: Day): boolean => day >= FIRST_DAY && day <= LAST_DAY;

const p2 = (n: number) => String(n).padStart(2, "0");

/**
 * `YYYY-MM-DD`. A day outside years 0000–9999 (only arithmetic past a `9999-12-31`
 * "never" can make one) is written in ISO 8601's expanded form, `+10000-01-01`, a whole
 * date rather than a truncated one; callers that need the plain form check `isFourDigitYear`.
 */
export function formatDay(day: Day): string {
  const { year, month, day: dom } = civilFromDay(day);
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, "0") : `${year < 0 ? "-" : "+"}${String(Math.abs(year)).padStart(5, "0")}`;
  return `${y}-${p2(month)}-${p2(dom)}`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-based), leap years by the Gregorian rule. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1]!;
}

/** Calendar months later (or earlier), clamped to the month's last day: Jan 31 + 1 month = Feb 28/29. */
export function addMonths(day: Day, months: number): Day {
  const d = civilFromDay(day);
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return dayFromCivil(year, month, Math.min(d.day, daysInMonth(year, month)));
}

/** The local calendar date of this machine, as an IT director reads "today". */
export function localToday(now: Date = new Date()): string {
  return `${String(now.getFullYear()).padStart(4, "0")}-${p2(now.getMonth() + 1)}-${p2(now.getDate())}`;
}
