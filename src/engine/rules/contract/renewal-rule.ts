/**
 * The five contract/* renewal rules are one rule over `domain/contracts.ts` (the renewal
 * model shared with licences), differing only in the state they report. Each code keeps
 * its own folder (README, fixtures) and its rule.ts is a one-line call of this factory.
 */
import { defineRule, type Rule } from "../rule.js";
import { formatDay } from "../../model/dates.js";
import { renewalStatus } from "../../domain/renewal.js";
import { contractName, contractWindow } from "../../domain/contracts.js";

/** Kinds with a contract's term fields (built in: `contract`); selected by fields, not by name. */
const APPLIES = { fields: ["start_date", "initial_term_months", "renewal", "renewal_term_months", "notice_days"] } as const;
const DAYS_AGO = "{days, plural, =0 {today} one {# day ago} other {# days ago}}";
const DAYS_IN = "{days, plural, =0 {today} one {in # day} other {in # days}}";

export type ContractRenewalCode = "contract/expired" | "contract/renewal-due" | "contract/cancel-by" | "contract/expiring" | "contract/renewed";

export function contractRenewalRule(code: ContractRenewalCode): Rule {
  switch (code) {
    case "contract/expired":
      return defineRule({
        meta: {
          code, severity: "error", appliesTo: APPLIES,
          description: "Disallow contracts past the end of their term that do not renew automatically and are not terminated.",
          messages: { expired: `Contract \`{name}\` ended on \`{end}\` (${DAYS_AGO}); renew it and record the new \`end_date\`, or set \`status: terminated\` if it was deliberately ended.` },
        },
        check({ doc, config, today, report }) {
          const c = contractWindow(doc, config, today);
          if (!c || c.window.state !== "expired") return;
          report({ messageId: "expired", at: c.at, data: { name: contractName(doc), end: formatDay(c.window.currentTermEnd), days: -c.window.daysLeft } });
        },
      });
    case "contract/renewal-due":
      return defineRule({
        meta: {
          code, severity: "warning", appliesTo: APPLIES,
          description: "Warn when a contract that does not renew automatically is inside its notice period.",
          messages: { renew: `Contract \`{name}\` ends on \`{end}\` (${DAYS_IN}, inside its {notice}-day notice period); start the renewal now, or set \`status: terminated\` if it should end.` },
        },
        check({ doc, config, today, report }) {
          const c = contractWindow(doc, config, today);
          if (!c || c.window.state !== "renewal-due") return;
          report({ messageId: "renew", at: c.at, data: { name: contractName(doc), end: formatDay(c.window.currentTermEnd), days: c.window.daysLeft, notice: c.window.noticeDays } });
        },
      });
    case "contract/cancel-by":
      return defineRule({
        meta: {
          code, severity: "warning", appliesTo: APPLIES,
          description: "Warn when an auto-renewing contract nears its cancellation deadline (the current term's end minus the notice days).",
          messages: { cancelBy: `Contract \`{name}\` renews automatically on \`{end}\` unless cancelled by \`{deadline}\` (${DAYS_IN}, {notice}-day notice); give notice by then if it should not renew.` },
        },
        check({ doc, config, today, report }) {
          const c = contractWindow(doc, config, today);
          if (!c || c.window.state !== "cancel-by") return;
          const w = c.window;
          report({ messageId: "cancelBy", at: c.at, data: { name: contractName(doc), end: formatDay(w.currentTermEnd), deadline: formatDay(w.deadline), days: w.daysToDeadline, notice: w.noticeDays } });
        },
      });
    case "contract/expiring":
      return defineRule({
        meta: {
          code, severity: "info", appliesTo: APPLIES,
          description: "Announce contracts that end, or reach their cancellation deadline, within `licences.horizon_days`, before their notice period.",
          messages: {
            expiring: `Contract \`{name}\` ends on \`{end}\` (${DAYS_IN}); its {notice}-day notice period starts on \`{noticeDate}\`, so plan the renewal.`,
            autoRenew: `Contract \`{name}\` renews automatically on \`{end}\`; its cancellation deadline is \`{noticeDate}\` (${DAYS_IN}, {notice}-day notice), so decide before then whether to keep it.`,
          },
        },
        check({ doc, config, today, report }) {
          const c = contractWindow(doc, config, today);
          if (!c || renewalStatus(c.window, config.licences.horizon_days) !== "expiring") return;
          const w = c.window;
          report({
            messageId: w.autoRenew ? "autoRenew" : "expiring",
            at: c.at,
            data: { name: contractName(doc), end: formatDay(w.currentTermEnd), days: w.autoRenew ? w.daysToDeadline : w.daysLeft, notice: w.noticeDays, noticeDate: formatDay(w.deadline) },
          });
        },
      });
    case "contract/renewed":
      return defineRule({
        meta: {
          code, severity: "info", appliesTo: APPLIES,
          description: "Announce auto-renewing contracts past the end of their recorded term: they renewed by their terms and the record is out of date.",
          messages: { renewed: "Contract `{name}` renewed automatically on `{recorded}` by its terms (current term ends `{end}`); set `end_date` to `{end}` and update the cost if it changed." },
        },
        check({ doc, config, today, report }) {
          const c = contractWindow(doc, config, today);
          if (!c || c.window.renewals === 0) return;
          report({ messageId: "renewed", at: c.at, data: { name: contractName(doc), recorded: formatDay(c.window.recordedEnd), end: formatDay(c.window.currentTermEnd) } });
        },
      });
  }
}
