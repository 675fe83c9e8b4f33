#!/usr/bin/env node
// A reader that stops early (`policyops validate --help | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
import("../dist/cli.js").then((m) => m.main(process.argv.slice(2))).then((code) => { process.exitCode = code; });
