// Preloaded (`node -r bench/thread-probe.cjs …`) to see where a build's CPU went: at exit it
// prints the main thread's user and system CPU (from /proc/self/task/<pid>/stat, Linux only)
// beside the whole process's (worker threads included). On a shared machine the main thread's
// CPU is the part of the critical path that other work cannot inflate.
const fs = require("node:fs");
process.on("exit", () => {
  const hz = 100; // USER_HZ: /proc reports clock ticks
  let main = "n/a";
  try {
    const f = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8").split(") ")[1].split(" ");
    main = `${(Number(f[11]) / hz).toFixed(2)} ${(Number(f[12]) / hz).toFixed(2)}`;
  } catch {
    // not Linux
  }
  const u = process.resourceUsage();
  process.stderr.write(`\nPOLICYOPS_THREAD_PROBE main ${main} process ${(u.userCPUTime / 1e6).toFixed(2)} ${(u.systemCPUTime / 1e6).toFixed(2)}\n`);
});
