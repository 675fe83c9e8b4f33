import { Command, InvalidArgumentError, Option } from "commander";
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../engine/index.js";
import { exchange } from "../daemon/client.js";
import { PROTOCOL } from "../daemon/frames.js";
import { daemonPlace, type DaemonPlace } from "../daemon/place.js";
import { answers, serve } from "../daemon/server.js";
import { envOf, type CliIO } from "../io.js";

/** Three hours, as build daemons keep: a working day's runs mostly reach a warm one. */
const DEFAULT_IDLE_MINUTES = 180;
const START_WAIT_MS = 15_000;

const idleOption = () => new Option("--idle-minutes <n>", "stop after this many minutes without a run").argParser(minutes).default(DEFAULT_IDLE_MINUTES);

function minutes(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError("expected a number of minutes above 0");
  return Number(value);
}

/** The daemon's place; null when its folder does not exist (so none can be running). */
function placeOf(io: CliIO, create: true): DaemonPlace;
function placeOf(io: CliIO, create: false): DaemonPlace | null;
function placeOf(io: CliIO, create: boolean): DaemonPlace | null {
  const place = daemonPlace(envOf(io), create);
  if ("problem" in place) {
    if (place.absent && !create) return null;
    throw new UsageError(`no daemon here: ${place.problem}`);
  }
  return place;
}

const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

/** Asks the running daemon a control question (it prints the answer) and gives its place; says so and gives null when none answers. */
async function askRunning(io: CliIO, control: "status" | "stop"): Promise<DaemonPlace | null> {
  const place = placeOf(io, false);
  const answered = place && existsSync(place.socket) ? await exchange(place.socket, { protocol: PROTOCOL, control }, (b) => io.out(text(b)), (b) => io.err(text(b))) : undefined;
  if (answered !== undefined) return place;
  io.out("policyops: no daemon is running\n");
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `policyops daemon start|stop|status|run`: a resident process that keeps the CLI's code
 * compiled so that `validate --cache` runs skip Node's loading of the engine (see README,
 * "The daemon"). Nothing changes for a run but its speed: the daemon runs the same `main`
 * with the client's arguments, working directory and environment.
 */
export function daemonCommand(io: CliIO, run: (argv: string[], io: CliIO) => Promise<number>, setExit: (code: number) => void): Command {
  const daemon = new Command("daemon").description("Keep a resident process that serves `validate --cache` runs faster (start, stop, status).");
  daemon
    .command("start")
    .description("Start this user's daemon in the background (nothing happens if one is running).")
    .addOption(idleOption())
    .action(async (flags: { idleMinutes: number }) => {
      const place = placeOf(io, true);
      if (await answers(place.socket)) {
        io.out(`policyops: a daemon is already running (socket ${place.socket})\n`);
        return;
      }
      // A new log for each daemon: what a failed start prints is this daemon's, and no log grows forever.
      const log = openSync(place.log, "w", 0o600);
      const bin = fileURLToPath(new URL("../bin/policyops.js", import.meta.url));
      // --expose-gc: the daemon collects its garbage between runs (see serve()).
      const child = spawn(process.execPath, ["--expose-gc", bin, "daemon", "run", "--idle-minutes", String(flags.idleMinutes)], {
        detached: true,
        stdio: ["ignore", log, log],
        env: envOf(io) as NodeJS.ProcessEnv,
        cwd: place.dir,
      });
      closeSync(log);
      let exited: number | null = null;
      child.on("exit", (code) => (exited = code ?? 1));
      child.unref();
      for (let waited = 0; waited < START_WAIT_MS && exited === null; waited += 50) {
        if (await answers(place.socket)) {
          io.out(`policyops: daemon started (pid ${child.pid}); \`validate --cache\` runs now go to it. Stop it with \`policyops daemon stop\`; its log is ${place.log}.\n`);
          return;
        }
        await sleep(50);
      }
      const tail = existsSync(place.log) ? readFileSync(place.log, "utf8").trimEnd().split("\n").slice(-5).join("\n") : "";
      throw new UsageError(`the daemon did not start${exited !== null ? ` (it exited with ${exited})` : ""}; its log (${place.log}) ends:\n${tail}`);
    });
  daemon
    .command("stop")
    .description("Stop this user's daemon.")
    .action(async () => {
      const place = await askRunning(io, "stop");
      // Return once the socket is gone, so a `start` right after starts a new one.
      for (let waited = 0; place && waited < START_WAIT_MS && existsSync(place.socket); waited += 50) await sleep(50);
    });
  daemon
    .command("status")
    .description("Say whether this user's daemon runs, and since when (exit 1 when none does).")
    .action(async () => {
      if (!(await askRunning(io, "status"))) setExit(1);
    });
  daemon
    .command("run")
    .description("Run the daemon in the foreground (what `start` runs in the background).")
    .addOption(idleOption())
    .action(async (flags: { idleMinutes: number }) => {
      const place = placeOf(io, true);
      if (await answers(place.socket)) throw new UsageError(`a daemon is already running (socket ${place.socket})`);
      // A socket file nobody answers on is left by a daemon that was killed: take its place.
      if (existsSync(place.socket)) rmSync(place.socket, { force: true });
      process.title = "policyops-daemon";
      await serve(place, run, { idleMs: flags.idleMinutes * 60_000, log: (line) => io.err(line + "\n") });
      // Resolve only when the daemon stops (it exits the process itself).
      await new Promise(() => {});
    });
  return daemon;
}
