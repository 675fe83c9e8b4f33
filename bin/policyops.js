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
const argv = process.argv.slice(2);
// A `validate --cache` run goes to this user's daemon when one is running (`policyops daemon
// start`): the same run, without loading the engine here. No daemon, or one that does not
// answer before writing anything: the run happens in this process, as it always did.
// CommonJS (bin/package.json): the ESM loader starts only when the CLI itself is loaded.
const served = argv.includes("--cache") ? require("../dist/daemon-client.cjs").runViaDaemon(argv) : Promise.resolve(undefined);
served
  .then((code) => code ?? import("../dist/cli.js").then((m) => m.main(argv)))
  .then((code) => { process.exitCode = code; });
