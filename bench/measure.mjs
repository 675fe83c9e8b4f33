// Runs a command in a child Node process and reports wall time and the child's peak RSS
// (the whole process, worker threads included), from inside the child itself.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PROBE = fileURLToPath(new URL("./rss-probe.cjs", import.meta.url));

/** Runs `node args…` with a probe that prints peak RSS on exit. */
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
