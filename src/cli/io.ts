/** Where the CLI writes; tests swap these to capture output without a subprocess. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  colour: boolean;
  /** Columns terminal tables must fit in; undefined: no limit. */
  width?: number;
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
});
