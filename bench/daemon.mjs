// A `policyops daemon` for the benchmarks (bench/run.mjs, bench/warm.mjs): in a runtime folder of
// its own (so a user's daemon is neither used nor disturbed), started before and stopped after
// the measured runs. A served run's CPU is the client's (GNU time, as for every row) plus what
// the daemon spent meanwhile, read from /proc for all of its threads; its peak RSS is the
// daemon's VmHWM. Every run is checked to have gone to the daemon (its "runs served" count).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The daemon's env additions: its own runtime folder under `base` (0700, as the daemon requires). */
export function daemonEnv(base) {
  const runtime = join(base, "daemon-run");
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  return { XDG_RUNTIME_DIR: runtime };
}

function cli(cliPath, args, env) {
  const r = spawnSync(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`policyops ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** CPU ms of every thread of `pid` so far (scheduler nanoseconds), or null without /proc. */
function cpuMsOf(pid) {
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return null;
  let ns = 0;
  for (const t of readdirSync(tasks)) {
    try {
      ns += Number(readFileSync(join(tasks, t, "schedstat"), "utf8").split(" ")[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return ns / 1e6;
}

/** Starts the daemon; returns {pid, cpuMs(), peakRssKiB(), served(), stop()}. */
export function startDaemon(cliPath, env) {
  cli(cliPath, ["daemon", "start"], env);
  const status = () => cli(cliPath, ["daemon", "status"], env);
  const pid = Number(/^pid: (\d+)$/m.exec(status())?.[1]);
  if (!pid) throw new Error("the daemon did not say its pid");
  return {
    pid,
    cpuMs: () => cpuMsOf(pid),
    peakRssKiB: () => {
      const m = existsSync(`/proc/${pid}/status`) ? /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8")) : null;
      return m ? Number(m[1]) : null;
    },
    served: () => Number(/^runs served: (\d+)$/m.exec(status())?.[1]),
    stop: () => cli(cliPath, ["daemon", "stop"], env),
  };
}

/** Served runs before the measured ones: the daemon's compiler settles over its first few runs. */
export const SERVED_WARMUP = 5;

/**
 * `runOnce(i)` makes edit i and runs the client. The first SERVED_WARMUP served runs are not in
 * the spread (the first of them, when the daemon compiles the code it runs, is returned as
 * `first`); then `runs` are measured. Returns {runs, first}, each run with cpuMs = client +
 * daemon, and daemonCpuMs alone.
 */
export function servedRuns(daemon, runs, runOnce) {
  const measured = (i) => {
    const before = daemon.cpuMs();
    const r = runOnce(i);
    const spent = before === null ? null : daemon.cpuMs() - before;
    return { ...r, clientCpuMs: r.cpuMs, daemonCpuMs: spent, cpuMs: r.cpuMs === null || spent === null ? null : r.cpuMs + spent };
  };
  const first = measured(0);
  for (let i = 1; i < SERVED_WARMUP; i++) runOnce(i);
  const out = [];
  for (let i = 0; i < runs; i++) out.push(measured(SERVED_WARMUP + i));
  const served = daemon.served();
  if (served !== runs + SERVED_WARMUP) throw new Error(`${runs + SERVED_WARMUP} runs were meant for the daemon but it served ${served}: the measurement would not be of the daemon`);
  return { runs: out, first };
}
