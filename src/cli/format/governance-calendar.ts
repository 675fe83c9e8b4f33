import { actionReport, budgetYearEnds, contractReport, renewalPlans, reviewReport, scheduledTests, vendorNames, warrantyReport, type Workspace } from "../../engine/index.js";
import { actionEvents, testEvents } from "./actions.js";
import { warrantyEvents } from "./assets.js";
import { budgetEvents } from "./budget.js";
import { contractEvents } from "./contracts.js";
import { licenceEvents, reviewEvents, type CalEvent } from "./ics.js";

/**
 * Every dated obligation the reports know, as calendar events: licence and contract ends,
 * deadlines and reminders, document reviews, scheduled tests, action and finding dues,
 * warranty ends and budget year ends. `policyops calendar` and the site's `calendar.ics`
 * both write this one list, so the auditor's feed is the IT director's.
 */
export function governanceEvents(ws: Workspace): CalEvent[] {
  const names = vendorNames(ws);
  return [
    ...licenceEvents(renewalPlans(ws), names),
    ...contractEvents(contractReport(ws), names, ws.config.licences.reminders),
    ...reviewEvents(reviewReport(ws)),
    ...testEvents(scheduledTests(ws)),
    ...actionEvents(actionReport(ws)),
    ...warrantyEvents(warrantyReport(ws)),
    ...budgetEvents(budgetYearEnds(ws)),
  ];
}

/** Every dated obligation the reports know, today and later, in date order then by UID (the order renderCalendar writes): `policyops calendar --format json` and the site's data/calendar.json. */
export function calendarEvents(events: readonly CalEvent[], today: string): CalEvent[] {
  return events.filter((e) => e.date >= today).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}
