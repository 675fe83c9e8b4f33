/**
 * Errors the engine throws for a caller to turn into "usage error, exit 2". They carry
 * what a person needs to fix the problem: the file, the line, the reason.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}
