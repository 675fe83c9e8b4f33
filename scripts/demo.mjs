#!/usr/bin/env node
// `npm run demo`: what a department sees on its first day. `policyops init` makes a fresh
// repository from the bundled template in a temporary folder, dated for today (or
// POLICYOPS_TODAY), and the validate, licences, reviews and compliance reports run on it.
// The template's own dates never age into the demo: it works on any day.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../bin/policyops.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "policyops-demo-"));
const repo = join(dir, "governance");
const steps = [
  ["init", repo],
  ["validate", repo],
  ["licences", repo],
  ["reviews", repo, "--within", "180"],
  ["compliance", repo],
];
let code = 0;
try {
  for (const args of steps) {
    process.stdout.write(`\n$ policyops ${args.map((a) => (a === repo ? "governance" : a)).join(" ")}\n`);
    const r = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit" });
    code = r.status ?? 3;
    if (code !== 0) break;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = code;
