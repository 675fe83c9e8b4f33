import { InvalidArgumentError } from "commander";
import type { Severity } from "../engine/index.js";

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
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!d || d.toISOString().slice(0, 10) !== value) throw new InvalidArgumentError("expected a date YYYY-MM-DD");
  return value;
}

export const SEVERITIES: readonly Severity[] = ["error", "warning", "info"];
