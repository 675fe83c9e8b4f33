import ICAL from "ical.js";

/** A jCal component (RFC 7265): name, properties, subcomponents. */
export type Jcal = [string, JcalProperty[], Jcal[]];
/** A jCal property: name, parameters, value type, one value or more. */
export type JcalProperty = [string, Record<string, string>, string, ...string[]];

/** RFC 5545 §3.1 wants content lines of at most 75 octets; ical.js folds continuation lines to 76 (a space + 75). */
const FOLD_OCTETS = 74;

/**
 * A jCal calendar as iCalendar text, written by ical.js (escaping, value types, folding), every
 * content line ending in CRLF, the last one too. Only ical.js here, so a worker thread can
 * load it without the engine (the site writes its calendar.ics beside its reports).
 */
export function writeCalendar(calendar: Jcal): string {
  // foldLength is module state: set it only for this call so other users of ical.js see the default.
  const saved = ICAL.foldLength;
  ICAL.foldLength = FOLD_OCTETS;
  try {
    return ICAL.stringify.component(calendar, ICAL.design.getDesignSet("vcalendar")) + "\r\n";
  } finally {
    ICAL.foldLength = saved;
  }
}
