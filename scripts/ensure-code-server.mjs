#!/usr/bin/env node
// Installs what the extension's end-to-end tests need, once, into a cache OUTSIDE the
// repository, and prints a JSON line { codeServer, chromium, seconds, cached }:
//   - code-server 4.100.3 (VS Code 1.100.3, the last release for node 20) from the npm
//     registry, into ~/.cache/policyops/code-server-4.100.3 (POLICYOPS_CACHE overrides the
//     parent folder); reused when present;
//   - Debian's chromium (/usr/bin/chromium), libkrb5-dev (code-server's native `kerberos`
//     module builds against it) and ripgrep, from apt when missing (as root only).
// @vscode/ripgrep's postinstall downloads a prebuilt rg from GitHub, which cannot be
// reached from here: its download cache (os.tmpdir()/vscode-ripgrep-cache-<version>/
// ripgrep-<tag>-<target>.tar.gz, read from the package's own lib/download.js and
// lib/postinstall.js) is seeded with an archive of Debian's /usr/bin/rg first.
// Exit status 1 with a one-sentence message on stderr when something cannot be installed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, chmodSync } from "node:fs";
import { homedir, tmpdir, arch } from "node:os";
import { join } from "node:path";

export const CODE_SERVER_VERSION = "4.100.3";
const CHROMIUM = "/usr/bin/chromium";

function fail(message) {
  process.stderr.write(`ensure-code-server: ${message}\n`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
let aptUpdated = false;
/** Installs apt packages when `present()` says they are missing; only root can. */
function ensureApt(what, packages, present) {
  if (present()) return;
  if (!isRoot) fail(`\`${what}\` is missing and only root can apt-get it: run \`apt-get install -y ${packages.join(" ")}\` as root.`);
  if (!aptUpdated) {
    const u = run("apt-get", ["update"], { stdio: "inherit" });
    if (u.status !== 0) fail(`\`apt-get update\` failed (exit ${u.status}): check the network or apt sources, then run this script again.`);
    aptUpdated = true;
  }
  const r = run("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (r.status !== 0 || !present()) fail(`\`apt-get install ${packages.join(" ")}\` failed (exit ${r.status}): install it by hand, then run this script again.`);
}

const dpkgInstalled = (pkg) => run("dpkg-query", ["-W", "-f=${Status}", pkg]).stdout.includes("install ok installed");
const which = (bin) => run("sh", ["-c", `command -v ${bin}`]).status === 0;

export function cacheRoot() {
  return process.env.POLICYOPS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "policyops");
}
export function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}
export function codeServerEntry(dir = codeServerDir()) {
  return join(dir, "node_modules", "code-server", "out", "node", "entry.js");
}

/** The tag and cache file name @vscode/ripgrep's postinstall looks for, read from its own source. */
function seedRipgrepCache(stageDir) {
  const shrinkwrap = JSON.parse(readFileSync(join(stageDir, "node_modules", "code-server", "lib", "vscode", "npm-shrinkwrap.json"), "utf8"));
  const version = shrinkwrap.packages?.["node_modules/@vscode/ripgrep"]?.version;
  if (!version) fail("code-server's lib/vscode/npm-shrinkwrap.json names no `@vscode/ripgrep` version: this script needs updating for this code-server release.");
  const work = mkdtempSync(join(tmpdir(), "policyops-rg-"));
  try {
    const p = run("npm", ["pack", `@vscode/ripgrep@${version}`, "--pack-destination", work, "--silent"]);
    if (p.status !== 0) fail(`\`npm pack @vscode/ripgrep@${version}\` failed: ${p.stderr.trim().split("\n").pop()}`);
    const t = run("tar", ["xzf", join(work, p.stdout.trim().split("\n").pop()), "-C", work]);
    if (t.status !== 0) fail(`could not unpack \`@vscode/ripgrep@${version}\`: ${t.stderr.trim()}`);
    const postinstall = readFileSync(join(work, "package", "lib", "postinstall.js"), "utf8");
    const download = readFileSync(join(work, "package", "lib", "download.js"), "utf8");
    const tag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!tag || !download.includes("vscode-ripgrep-cache-")) fail(`\`@vscode/ripgrep@${version}\`'s postinstall no longer matches what this script expects: update seedRipgrepCache().`);
    const target = arch() === "arm64" ? "aarch64-unknown-linux-musl" : arch() === "x64" ? "x86_64-unknown-linux-musl" : null;
    if (!target) fail(`no ripgrep target for arch \`${arch()}\`: run the tests on x64 or arm64.`);
    const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${version}`);
    const archive = join(cacheDir, `ripgrep-${tag}-${target}.tar.gz`);
    if (existsSync(archive)) return archive;
    mkdirSync(cacheDir, { recursive: true });
    const rgDir = join(work, "rg");
    mkdirSync(rgDir);
    const rg = run("sh", ["-c", "command -v rg"]).stdout.trim();
    copyFileSync(rg, join(rgDir, "rg"));
    chmodSync(join(rgDir, "rg"), 0o755);
    const c = run("tar", ["czf", archive, "-C", rgDir, "rg"]);
    if (c.status !== 0) fail(`could not write the ripgrep cache \`${archive}\`: ${c.stderr.trim()}`);
    return archive;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes `allowScripts` into the package.json of each project npm installs into; returns the top level's scripted packages (name@version). */
function allowInstallScripts(stage) {
  const pkgRoot = join(stage, "node_modules", "code-server");
  const addAllow = (projectDir, allowed) => {
    const file = join(projectDir, "package.json");
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    pkg.allowScripts = { ...pkg.allowScripts, ...Object.fromEntries(allowed.map((a) => [a, true])) };
    writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  };
  const scripted = (shrinkwrapFile) => {
    if (!existsSync(shrinkwrapFile)) return [];
    const { packages = {} } = JSON.parse(readFileSync(shrinkwrapFile, "utf8"));
    return Object.entries(packages)
      .filter(([path, p]) => path && p.hasInstallScript)
      .map(([path, p]) => `${path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)}@${p.version}`);
  };
  const topLevel = scripted(join(stage, "node_modules", ".package-lock.json"));
  addAllow(stage, topLevel);
  for (const sub of ["lib/vscode", "lib/vscode/extensions"]) {
    const dir = join(pkgRoot, sub);
    addAllow(dir, scripted(join(dir, "npm-shrinkwrap.json")));
  }
  return topLevel;
}

export function ensureCodeServer({ log = (s) => process.stderr.write(s + "\n") } = {}) {
  const started = Date.now();
  ensureApt("chromium", ["chromium"], () => existsSync(CHROMIUM));
  const dir = codeServerDir();
  const entry = codeServerEntry(dir);
  if (existsSync(join(dir, ".complete")) && existsSync(entry)) {
    return { codeServer: entry, chromium: CHROMIUM, seconds: (Date.now() - started) / 1000, cached: true };
  }
  ensureApt("libkrb5-dev", ["libkrb5-dev"], () => dpkgInstalled("libkrb5-dev"));
  ensureApt("ripgrep", ["ripgrep"], () => which("rg"));
  // Installed into a staging folder and renamed when complete: a half-finished install is
  // never taken for a cached one.
  mkdirSync(cacheRoot(), { recursive: true });
  const stage = mkdtempSync(join(cacheRoot(), `.code-server-${CODE_SERVER_VERSION}-`));
  // fail() exits: the staging folder goes with the process whatever happens.
  const cleanup = () => rmSync(stage, { recursive: true, force: true });
  process.on("exit", cleanup);
  try {
    writeFileSync(join(stage, "package.json"), JSON.stringify({ name: "policyops-code-server-cache", private: true }, null, 2));
    const env = { ...process.env, npm_config_yes: "true", npm_config_unsafe_perm: "true", npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" };
    log(`ensure-code-server: installing code-server ${CODE_SERVER_VERSION} into ${dir} (about two minutes)…`);
    // 1. The package without its scripts, to read which @vscode/ripgrep it pins …
    const i = run("npm", ["install", "--prefix", stage, "--ignore-scripts", "--no-save", "--no-package-lock", `code-server@${CODE_SERVER_VERSION}`], { env, stdio: ["ignore", "inherit", "inherit"] });
    if (i.status !== 0) fail(`\`npm install code-server@${CODE_SERVER_VERSION}\` failed (exit ${i.status}): check access to the npm registry, then run this script again.`);
    // 2. … seed ripgrep's download cache from Debian's rg …
    log(`ensure-code-server: seeded ${seedRipgrepCache(stage)} from Debian's rg`);
    // 3. … allow the install scripts it needs (npm ≥ 11.16 runs a dependency's install scripts
    //    only when `allowScripts` names it): each package the lockfiles mark
    //    `hasInstallScript` (code-server itself, argon2, VS Code's native modules, ripgrep) …
    const scriptedTopLevel = allowInstallScripts(stage);
    // 4. … then run code-server's postinstall (VS Code's own dependencies, native modules).
    const r = run("npm", ["rebuild", "--prefix", stage, "--unsafe-perm", "--foreground-scripts", ...scriptedTopLevel.map((p) => p.slice(0, p.lastIndexOf("@")))], { env, stdio: ["ignore", "inherit", "inherit"] });
    const built = ["node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg", "node_modules/argon2/lib/binding"].every((p) => existsSync(join(stage, p)));
    if (r.status !== 0 || !built) {
      fail(`code-server's postinstall failed (exit ${r.status}): see the npm output above; libkrb5-dev, python3, make and g++ are needed for its native modules.`);
    }
    writeFileSync(join(stage, ".complete"), `${new Date().toISOString()}\n`);
    rmSync(dir, { recursive: true, force: true });
    renameSync(stage, dir);
  } finally {
    cleanup();
    process.off("exit", cleanup);
  }
  return { codeServer: entry, chromium: CHROMIUM, seconds: (Date.now() - started) / 1000, cached: false };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(ensureCodeServer()) + "\n");
}
