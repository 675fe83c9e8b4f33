import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { main as Main } from "../../src/cli/main.js";
import { PROJECT, type CliRun } from "./repo.js";

let loaded: Promise<typeof Main> | undefined;

/**
 * Runs the built CLI (dist/cli.js, the same bundle `runCli` spawns) in this process through
 * `main(argv, io)`: output is captured, `env` and `cwd` are handed to it instead of the
 * process's, and the status is main's exit code. About 100 times cheaper than a process;
 * keep `runCli` for what only a process shows (exit status of the real binary, EPIPE, TTY).
 * Like `runCli`, the environment is this process's without NO_COLOR and POLICYOPS_TODAY,
 * plus `env` (a value of undefined removes a variable).
 */
export async function cli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliRun> {
  loaded ??= import(pathToFileURL(join(PROJECT, "dist", "cli.js")).href).then((m: { main: typeof Main }) => m.main);
  const main = await loaded;
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, POLICYOPS_TODAY: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  let stdout = "";
  let stderr = "";
  const status = await main(args, {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    colour: false, // never a TTY, as with runCli's pipes
    env,
    cwd: options.cwd ?? PROJECT,
  });
  return { status, stdout, stderr };
}
