import { InvalidArgumentError, type Command } from "commander";
import { parseDay, type Severity } from "../engine/index.js";

/** Option parsers shared by the commands: each rejects bad input as a usage error. */
export function choice<T extends string>(allowed: readonly T[]) {
  return (value: string): T => {
    if (!(allowed as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${allowed.join(", ")}`);
    return value as T;
  };
}

export function wholeNumber(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

export function isoDate(value: string): string {
  // parseDay, not Date.UTC: Date.UTC reads years 0000–0099 as 1900–1999.
  if (parseDay(value) === null) throw new InvalidArgumentError("expected a date YYYY-MM-DD");
  return value;
}

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];

export const TODAY_HELP = "evaluate dates as of this day (YYYY-MM-DD); default POLICYOPS_TODAY or the real date";
export const CONFIG_HELP = "config file to use instead of <root>/policyops.yaml";

/** `--today` and `--config`, which every command that reads a repository takes (SPEC §3). */
export function withDateAndConfig(command: Command, todayHelp = TODAY_HELP): Command {
  return command.option("--today <date>", todayHelp, isoDate).option("--config <file>", CONFIG_HELP);
}

/** A count of days, 0 or more (`--within`). */
export function days(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number of days, 0 or more");
  return Number(value);
}
