// Preloaded into the pathological benchmark's processes: reports the CPU time (user +
// system, microseconds, worker threads included) the process used, which, unlike wall
// time, does not grow when other work shares the cores.
process.on("exit", () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nPOLICYOPS_BENCH_CPU=${u.userCPUTime + u.systemCPUTime}\n`);
});
