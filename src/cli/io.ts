/** Where the CLI writes; tests swap these to capture output without a subprocess. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  colour: boolean;
}

export const processIO = (): CliIO => ({
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});
