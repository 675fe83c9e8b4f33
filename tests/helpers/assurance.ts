/**
 * Documents of the assurance kinds of issue 18 (change, dr-test, incident) and the system and
 * manual they refer to, as file texts, for tests that edit them one field at a time.
 */
export const PLANS = "\n## Implementation plan\n\nSteps.\n\n## Test plan\n\nChecks.\n\n## Backout plan\n\nUndo.\n";

export const system = (id: string, criticality = "high", extra = "") =>
  `id: ${id}\nname: System ${id}\nowner: Infrastructure Manager\ncriticality: ${criticality}\nrto_hours: 4\nrpo_hours: 24\n${extra}`;

export const manual = (id: string, system: string, lastReviewed: string) =>
  `---\nid: ${id}\ntitle: Manual ${id}\nversion: "1.0"\nstatus: active\nowner: Infrastructure Manager\napproved_by: IT Director\napproved_on: 2026-01-10\nlast_reviewed: ${lastReviewed}\nsystem: ${system}\n---\n\n## Overview\n\nHow it is run.\n`;

/** A normal change on `system`, approved on 2026-05-01 for a window on `day`; `implemented` adds implemented_on = day. */
export const change = (id: string, system: string, status: string, day: string) =>
  `---\nid: ${id}\ntitle: Change ${id}\nowner: Infrastructure Manager\ntype: normal\nstatus: ${status}\nsystems: [${system}]\nwindow:\n  start: ${day}\n  end: ${day}\n${status === "implemented" || status === "closed" ? `implemented_on: ${day}\n` : ""}approved_by: Change Advisory Board\napproved_on: 2026-05-01\n---\n${PLANS}`;

/** A DR test on `date` with one result per [system, result, rto achieved]. */
export const drTest = (id: string, date: string, results: [string, string, number][]) =>
  `---\nid: ${id}\ntitle: DR test ${id}\nowner: Head of IT Operations\ntype: partial\ndate: ${date}\nresults:\n${results.map(([s, r, rto]) => `  - system: ${s}\n    rto_achieved_hours: ${rto}\n    rpo_achieved_hours: 1\n    result: ${r}\n`).join("")}---\n\n## Scope\n\nFailover.\n`;
