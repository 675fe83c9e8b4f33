import { parseDay, UsageError, type StatMany } from "../engine/index.js";

/**
 * Where the CLI writes, and the environment it reads. Tests pass their own to run the CLI
 * in-process (tests/helpers/cli.ts): output is captured, and `env` and `cwd` stand in for
 * the process's, which the CLI never reads directly.
 */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  colour: boolean;
  /** Variables the CLI reads (`POLICYOPS_TODAY`, `POLICYOPS_WORKERS`); the process's when absent. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths (root, `--config`, files) are resolved against; the process's when absent. */
  cwd?: string;
  /** Columns terminal tables must fit in; undefined: no limit. */
  width?: number;
  /**
   * What a process that lives across runs (`policyops daemon`) keeps for them: a helper thread
   * that stats files alongside this one. Absent in a one-run process, which would pay more to
   * start it than it saves.
   */
  resident?: { statMany: StatMany };
}

/**
 * Colour only on a TTY, never with NO_COLOR (https://no-color.org) and never on a
 * terminal that declares it cannot show it (`TERM=dumb`).
 */
export function colourFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== "dumb";
}

/**
 * The width tables fit: the terminal's columns when stdout is one; else `COLUMNS` when it
 * is a positive whole number (a user or script asking for a width); else no limit, so
 * output piped to a file, `less -S` or `grep` keeps every value whole.
 */
export function widthFor(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (stream.isTTY && typeof stream.columns === "number" && stream.columns > 0) return stream.columns;
  const cols = env.COLUMNS;
  if (cols !== undefined && /^\d+$/.test(cols) && Number(cols) > 0) return Number(cols);
  return undefined;
}

export const processIO = (): CliIO => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  colour: colourFor(process.stdout),
  width: widthFor(process.stdout),
  env: process.env,
  cwd: process.cwd(),
});

export const envOf = (io: CliIO): Readonly<Record<string, string | undefined>> => io.env ?? process.env;
export const cwdOf = (io: CliIO): string => io.cwd ?? process.cwd();

/** `--today` if given, else `POLICYOPS_TODAY`; undefined leaves the engine to take the local date. */
export function todayFrom(io: CliIO, flag: string | undefined): string | undefined {
  const env = envOf(io).POLICYOPS_TODAY;
  // Fail closed: a bad environment value is an error even when --today overrides it.
  if (env !== undefined && parseDay(env) === null) throw new UsageError(`invalid date \`${env}\` in \`POLICYOPS_TODAY\`: use YYYY-MM-DD, or unset it`);
  if (env !== undefined && flag === undefined) return env;
  return flag;
}

/** `POLICYOPS_WORKERS`: how many threads parse files; undefined lets the engine decide. */
export function workersFrom(io: CliIO): number | undefined {
  const value = envOf(io).POLICYOPS_WORKERS;
  if (value === undefined) return undefined;
  // Fail closed: `auto` once became NaN threads, and NaN threads checked no document at all.
  if (!/^\s*[1-9][0-9]{0,3}\s*$/.test(value) || Number(value) > 1024) throw new UsageError(`invalid \`POLICYOPS_WORKERS\` value \`${value}\`: use a whole number of threads from 1 to 1024, or unset it`);
  return Number(value);
}
