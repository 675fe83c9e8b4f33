// A real VS Code for the extension's end-to-end tests: code-server 4.100.3 (installed and
// cached by scripts/ensure-code-server.mjs) driven by playwright-core with Debian's chromium.
// The pattern follows code-server's own test/e2e: `--auth none --bind-addr 127.0.0.1:0`, its
// own extensions and user-data dirs, the port read from its log.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "./repo.js";

export interface Tools {
  codeServer: string;
  chromium: string;
  seconds: number;
  cached: boolean;
}

/**
 * Installs (or finds, cached) code-server and chromium with the project's own script. Outside
 * CI a machine that cannot install them gets `{ skip }` with the script's reason; in CI
 * (CI=true) that is an Error: a missing tool is a failure there, never a skip.
 */
export function ensureTools(): Tools | { skip: string } {
  const r = spawnSync(process.execPath, [join(PROJECT, "scripts", "ensure-code-server.mjs")], { encoding: "utf8", timeout: 15 * 60_000, stdio: ["ignore", "pipe", "pipe"] });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (r.status === 0 && line.startsWith("{")) return JSON.parse(line) as Tools;
  const reason = (r.stderr.trim().split("\n").pop() ?? "") || `ensure-code-server exited with ${r.status}`;
  if (process.env.CI === "true" || process.env.CI === "1") throw new Error(`The extension's end-to-end tests need code-server and chromium: ${reason}`);
  return { skip: reason };
}

export interface CodeServer {
  url: string;
  process: ChildProcess;
  log: () => string;
  stop: () => Promise<void>;
}

const baseArgs = (dirs: { extensionsDir: string; userDataDir: string }) => ["--extensions-dir", dirs.extensionsDir, "--user-data-dir", dirs.userDataDir];

/** `code-server --install-extension FILE.vsix` into the test's own extensions dir. */
export function installExtension(tools: Tools, vsix: string, dirs: { extensionsDir: string; userDataDir: string }): string {
  const r = spawnSync(process.execPath, [tools.codeServer, ...baseArgs(dirs), "--install-extension", vsix], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Writes the user settings VS Code reads at start. */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  writeFileSync(join(userDataDir, "User", "settings.json"), JSON.stringify(settings, null, 2));
}

/** Starts code-server on a free port and resolves with its URL once it listens. */
export function startCodeServer(tools: Tools, dirs: { extensionsDir: string; userDataDir: string; cwd: string }): Promise<CodeServer> {
  const proc = spawn(
    process.execPath,
    [tools.codeServer, "--auth", "none", "--bind-addr", "127.0.0.1:0", "--disable-telemetry", "--disable-update-check", "--disable-getting-started-override", "--disable-workspace-trust", "--ignore-last-opened", ...baseArgs(dirs)],
    { cwd: dirs.cwd, env: { ...process.env, PASSWORD: undefined, HASHED_PASSWORD: undefined, CS_DISABLE_FILE_DOWNLOADS: undefined }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const stop = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
      setTimeout(() => proc.kill("SIGKILL"), 5_000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not report its address within 60 s:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /HTTP server listening on (http:\/\/[^\s/]+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, process: proc, log: () => log, stop });
      }
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", onData);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${log}`));
    });
  });
}
