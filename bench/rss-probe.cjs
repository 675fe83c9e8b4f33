// Preloaded into benchmarked processes: reports the process's peak RSS when it exits.
process.on("exit", () => process.stderr.write(`\nPOLICYOPS_BENCH_RSS=${process.resourceUsage().maxRSS}\n`));
