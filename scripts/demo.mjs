#!/usr/bin/env node
// `npm run demo`: what a department sees on its first day. `policyops init` makes a fresh
// repository from the bundled template in a temporary folder, dated for today (or
// POLICYOPS_TODAY), and the validate, licences, reviews and compliance reports run on it.
// The template's own dates never age into the demo: it works on any day. Last, the auditors'
// site of that repository (committed to git first, so pages show history) is written to a
// folder that is kept, and its path printed to open in a browser.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../bin/policyops.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "policyops-demo-"));
const repo = join(dir, "governance");
const site = mkdtempSync(join(tmpdir(), "policyops-demo-site-"));
const steps = [
  ["init", repo],
  ["validate", repo],
  ["licences", repo],
  ["reviews", repo, "--within", "180"],
  ["compliance", repo],
  ["site", repo, "--out", site],
];
/** The demo repository as a git repository, so the site shows each document's history. */
function commitRepo() {
  const git = (...args) => spawnSync("git", ["-C", repo, "-c", "user.name=PolicyOps demo", "-c", "user.email=demo@policyops.invalid", "-c", "commit.gpgsign=false", ...args], { stdio: "ignore" });
  if (git("init", "-q").status === 0 && git("add", "-A").status === 0) git("commit", "-q", "-m", "Governance repository from the PolicyOps template");
}
let code = 0;
try {
  for (const args of steps) {
    if (args[0] === "site") commitRepo();
    process.stdout.write(`\n$ policyops ${args.map((a) => (a === repo ? "governance" : a === site ? "site" : a)).join(" ")}\n`);
    const r = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit" });
    code = r.status ?? 3;
    if (code !== 0) break;
  }
  if (code === 0) process.stdout.write(`\nThe auditors' site: open ${pathToFileURL(join(site, "index.html")).href}\n`);
  else rmSync(site, { recursive: true, force: true });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = code;
