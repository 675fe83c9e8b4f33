#!/usr/bin/env node
// A reader that stops early (`policyops validate --help | head`) is not an error. Any other
// failure to write the output (a full disk, a closed device) is a usage error: one line on
// stderr and exit 2, never a stack trace and never exit 1, which means "findings".
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      try {
        process.stderr.write(`policyops: cannot write the output (\`${e.code ?? e.message}\`); free space on the device or send the output elsewhere.\n`);
      } catch {
        // stderr is unusable too: the exit code is all that is left.
      }
    }
    process.exit(2);
  });
}
import("../dist/cli.js").then((m) => m.main(process.argv.slice(2))).then((code) => { process.exitCode = code; });
