#!/usr/bin/env node
// Warm `validate --cache` after one edit against cold `validate`, from the same run (issue 14's
// "warm ≤ 0.15× cold"): only that part of `npm run bench`, so a change to the run cache can be
// measured in a couple of minutes, and two builds side by side (an A/B under the same load).
//
//   node bench/warm.mjs [--corpus DIR] [--runs N] [--daemon] [--cli bin/policyops.js ...]
//
// Each CLI gets its own scratch copy of the corpus (real files, never links into it) and its
// own machine key (XDG_CACHE_HOME in the scratch folder); one --cache run fills the cache.
// Then, N times and CLI by CLI in turn: append a line to one sops/ document, time
// `validate --cache`, then time `validate` without the cache on the same copy, and check that
// the two outputs are byte for byte the same. Wall, CPU (user + sys) and peak RSS come from
// bench/measure.mjs. Fresh-process runs set POLICYOPS_DAEMON=off. With --daemon, each CLI then
// starts a daemon of its own (bench/daemon.mjs) and times N more edited runs served by it, CPU
// being the client's plus the daemon's. Prints Markdown tables; the scratch folders are deleted.
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { nodeMeasured, spread } from "./measure.mjs";
import { daemonEnv, SERVED_WARMUP, servedRuns, startDaemon } from "./daemon.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const TODAY = "2026-06-30";
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const clis = process.argv.flatMap((a, i) => (process.argv[i - 1] === "--cli" ? [a] : []));
const CLIS = clis.length ? clis : [join(HERE, "..", "bin", "policyops.js")];
const CORPUS = arg("corpus", join(HERE, ".corpus", "10000-seed7"));
const RUNS = Number(arg("runs", 5));
// --daemon: also N warm runs served by `policyops daemon` (its own runtime folder), after the fresh-process ones.
const DAEMON = process.argv.includes("--daemon");

function validate(cli, dir, env, extra = []) {
  const r = nodeMeasured([cli, "validate", dir, "--format", "json", "--today", TODAY, ...extra], { env });
  if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
  return r;
}

const setups = CLIS.map((cli) => {
  const base = mkdtempSync(join(tmpdir(), "policyops-warm-"));
  const dir = join(base, "corpus");
  cpSync(CORPUS, dir, { recursive: true });
  // Fresh-process runs: a daemon the user may run is not used.
  const env = { XDG_CACHE_HOME: join(base, "xdg-cache"), POLICYOPS_DAEMON: "off" };
  validate(cli, dir, env, ["--cache"]); // fill the cache
  return { cli, base, dir, env, warm: [], cold: [], served: [], same: true };
});
try {
  const sops = readdirSync(join(CORPUS, "sops")).filter((f) => f.endsWith(".md")).sort();
  for (let i = 0; i < RUNS; i++) {
    for (const s of setups) {
      appendFileSync(join(s.dir, "sops", sops[(i * 7) % sops.length]), `\nEdited for the warm benchmark, run ${i}.\n`);
      const warm = validate(s.cli, s.dir, s.env, ["--cache"]);
      const cold = validate(s.cli, s.dir, s.env);
      s.warm.push(warm);
      s.cold.push(cold);
      s.same &&= warm.stdout === cold.stdout;
    }
  }
  if (DAEMON) {
    for (const s of setups) {
      const { POLICYOPS_DAEMON: _off, ...fresh } = s.env;
      const env = { ...fresh, ...daemonEnv(s.base) };
      const daemon = startDaemon(s.cli, env);
      try {
        const edit = (i) => appendFileSync(join(s.dir, "sops", sops[(i * 11 + 3) % sops.length]), `\nEdited for the served benchmark, run ${i}.\n`);
        const { runs, first } = servedRuns(daemon, RUNS, (i) => (edit(i), validate(s.cli, s.dir, env, ["--cache"])));
        s.served = runs;
        s.firstServedMs = first.wallMs;
        s.daemonRssKiB = daemon.peakRssKiB();
        s.same &&= runs.at(-1).stdout === validate(s.cli, s.dir, s.env).stdout;
      } finally {
        daemon.stop();
      }
    }
  }
  const s2 = (ms) => (ms / 1000).toFixed(2);
  const range = (sp) => `${s2(sp.min)} / **${s2(sp.median)}** / ${s2(sp.max)} s`;
  const of = (runs, field) => spread(runs.map((r) => r[field]));
  const ratio = (a, b) => `${(a.median / b.median).toFixed(2)} (${(a.min / b.max).toFixed(2)}–${(a.max / b.min).toFixed(2)})`;
  console.log(`| CLI | cold wall | cold CPU | warm wall | warm CPU | warm peak RSS (median) | warm ÷ cold wall | warm ÷ cold CPU | warm output = cold output |`);
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (const s of setups) {
    const [cw, cc, ww, wc, wr] = [of(s.cold, "wallMs"), of(s.cold, "cpuMs"), of(s.warm, "wallMs"), of(s.warm, "cpuMs"), of(s.warm, "maxRssKiB")];
    console.log(`| \`${s.cli}\` | ${range(cw)} | ${cc ? range(cc) : "n/a"} | ${range(ww)} | ${wc ? range(wc) : "n/a"} | ${wr ? `${Math.round(wr.median / 1024)} MiB` : "n/a"} | ${ratio(ww, cw)} | ${wc && cc ? ratio(wc, cc) : "n/a"} | ${s.same ? "yes, every run" : "**no**"} |`);
  }
  if (DAEMON) {
    console.log(`\nServed by \`policyops daemon\`, after it had served ${SERVED_WARMUP} runs (CPU: the client's plus the daemon's meanwhile, all its threads):\n`);
    console.log(`| CLI | served wall | served CPU | of which the daemon | served ÷ cold wall | served ÷ cold CPU | first served run | daemon peak RSS |`);
    console.log(`|---|---|---|---|---|---|---|---|`);
    for (const s of setups) {
      const [cw, cc, sw, sc, sd] = [of(s.cold, "wallMs"), of(s.cold, "cpuMs"), of(s.served, "wallMs"), of(s.served, "cpuMs"), of(s.served, "daemonCpuMs")];
      console.log(`| \`${s.cli}\` | ${range(sw)} | ${sc ? range(sc) : "n/a"} | ${sd ? range(sd) : "n/a"} | ${ratio(sw, cw)} | ${sc && cc ? ratio(sc, cc) : "n/a"} | ${s2(s.firstServedMs)} s | ${s.daemonRssKiB ? `${Math.round(s.daemonRssKiB / 1024)} MiB` : "n/a"} |`);
    }
  }
  console.log(`\n${RUNS} runs each, min / **median** / max; ratios of medians with the widest range the runs allow.`);
} finally {
  for (const s of setups) rmSync(s.base, { recursive: true, force: true });
}
