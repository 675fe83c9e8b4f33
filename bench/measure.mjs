// Timing for `npm run bench`: one spawn helper for every whole-process measurement
// (policyops, floors, baselines, peers), and one helper giving the spread of N runs.
//
// spawnMeasured runs a command as a child process and reports the wall time seen by the
// parent (start-up included), and the child's CPU time (user + system) and peak RSS as
// GNU time (`/usr/bin/time -f`) reads them from the kernel (the whole process, worker
// threads included). Without GNU time, a Node child is measured from inside by a preloaded
// probe (rss-probe.cjs) and CPU is not available.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROBE = fileURLToPath(new URL("./rss-probe.cjs", import.meta.url));
const GNU_TIME = existsSync("/usr/bin/time") && spawnSync("/usr/bin/time", ["-f", "%e", "true"]).status === 0;
export const HOW_MEASURED = GNU_TIME
  ? "wall time from the parent (process start-up included); CPU (user + system) and peak RSS of the child from `/usr/bin/time -f \"%U %S %M\"`"
  : "wall time from the parent (process start-up included); peak RSS from a probe preloaded into the child (no GNU time on this machine, so no CPU column)";

/**
 * Runs `command args…` and measures it: {wallMs, cpuMs, maxRssKiB, status, stdout, stderr}.
 * cpuMs and maxRssKiB are null when they cannot be measured.
 */
export function spawnMeasured(command, args, { env = {}, cwd } = {}) {
  const options = { env: { ...process.env, ...env }, cwd, encoding: "utf8", maxBuffer: 1 << 30 };
  settleDisk();
  if (!GNU_TIME) {
    const node = command === process.execPath;
    const started = process.hrtime.bigint();
    const r = spawnSync(command, node ? ["--require", PROBE, ...args] : args, options);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const m = /\nPOLICYOPS_BENCH_RSS=(\d+)\n$/.exec(r.stderr ?? "");
    return { wallMs, cpuMs: null, maxRssKiB: m ? Number(m[1]) : null, status: r.status, stdout: r.stdout, stderr: m ? r.stderr.slice(0, m.index) : r.stderr };
  }
  const dir = mkdtempSync(join(tmpdir(), "policyops-bench-time-"));
  const out = join(dir, "time.txt");
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-o", out, "-f", "%U %S %M", command, ...args], options);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const last = readFileSync(out, "utf8").trim().split("\n").pop() ?? "";
    const [user, sys, rss] = last.split(" ").map(Number);
    const ok = [user, sys, rss].every(Number.isFinite);
    return { wallMs, cpuMs: ok ? (user + sys) * 1000 : null, maxRssKiB: ok ? rss : null, status: r.status, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Writes back what earlier work left dirty (a generated corpus, the previous build's output
 * and its deletion) before a run is timed. On ext4 that write-back otherwise lands inside
 * whichever build runs next: creating the same 10,000 files took 0.25 s to 4 s of system time
 * here depending on what had been written or deleted just before. Each measured command,
 * ours and the peers', starts from the same clean state.
 */
function settleDisk() {
  spawnSync("sync", [], { stdio: "ignore" });
}

/** `node args…`, measured as a whole process. */
export const nodeMeasured = (args, options) => spawnMeasured(process.execPath, args, options);

/** min, median and max of some numbers (nulls ignored; null when there are none). */
export function spread(xs) {
  const s = xs.filter((x) => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  return { min: s[0], median: median(s), max: s.at(-1), n: s.length };
}

/** Runs `once()` n times; returns the runs and the spread of their wall, CPU and peak RSS. */
export function sample(n, once) {
  const runs = [];
  for (let i = 0; i < n; i++) runs.push(once(i));
  return { runs, wallMs: spread(runs.map((r) => r.wallMs)), cpuMs: spread(runs.map((r) => r.cpuMs)), maxRssKiB: spread(runs.map((r) => r.maxRssKiB)) };
}

/** Runs `node args…` with a probe that prints peak RSS on exit (kept for bench/pathological.mjs and bench/real-world.mjs). */
export function timeNode(args, { env = {}, cwd } = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", PROBE, ...args], { env: { ...process.env, ...env }, cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const m = /POLICYOPS_BENCH_RSS=(\d+)/.exec(r.stderr ?? "");
  return { wallMs, maxRssKiB: m ? Number(m[1]) : null, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** /proc/<pid>/status's VmRSS and VmHWM in KiB (null off Linux). */
export function processMemory(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, "m").exec(s)?.[1] ?? NaN);
    return { rssKiB: kib("VmRSS"), peakKiB: kib("VmHWM") };
  } catch {
    return { rssKiB: null, peakKiB: null };
  }
}

/** The CPU time (user + system) a process has used so far, in ms (null off Linux). */
export function processCpuMs(pid) {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const rest = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / 100;
  } catch {
    return null;
  }
}
