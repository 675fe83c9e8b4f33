import { lstatSync, chmodSync, rmSync } from "node:fs";
import { connect, createServer, type Socket } from "node:net";
import { StatHelper } from "../../engine/index.js";
import { colourFor, widthFor, type CliIO } from "../io.js";
import { frameHead, PROTOCOL, type FrameType, type Request } from "./frames.js";
import type { DaemonPlace } from "./place.js";

/** Runs the CLI in-process (main.ts's `main`). Passed in, so this module needs no import of main. */
export type CliRun = (argv: string[], io: CliIO) => Promise<number>;

export interface ServeOptions {
  /** The daemon exits after this long without a request. */
  idleMs: number;
  /** One line per event, for the daemon's log. */
  log: (line: string) => void;
}

/** A request line longer than this is not one a client sends. */
const MAX_REQUEST_BYTES = 16 * 2 ** 20;
/** How long without a run before the daemon collects its garbage. */
const COLLECT_AFTER_MS = 5_000;
/** How long a stopping daemon waits for clients still reading their answer. */
const STOP_GRACE_MS = 10_000;
/** How often the daemon checks it is still the one its socket leads to, and whether it has idled long enough. */
const TICK_MS = 30_000;

/** True when something answers at `socket`. */
export function answers(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(socket);
    c.on("connect", () => {
      c.destroy();
      resolve(true);
    });
    c.on("error", () => resolve(false));
  });
}

function parseRequest(line: string): Request | string {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    return "the request is not JSON";
  }
  if (!r || typeof r !== "object") return "the request is not an object";
  const req = r as Record<string, unknown>;
  if (req.protocol !== PROTOCOL) return `the client speaks protocol ${String(req.protocol)}, this daemon ${PROTOCOL}`;
  if (req.control === "status" || req.control === "stop") return { protocol: PROTOCOL, control: req.control };
  const run = req.run as Record<string, unknown> | undefined;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === "string");
  const env = run?.env as Record<string, unknown> | undefined;
  const stdout = run?.stdout as Record<string, unknown> | undefined;
  if (
    !run ||
    !strings(run.argv) ||
    typeof run.cwd !== "string" ||
    !env ||
    typeof env !== "object" ||
    !Object.values(env).every((v) => typeof v === "string") ||
    !stdout ||
    typeof stdout.isTTY !== "boolean" ||
    (stdout.columns !== undefined && typeof stdout.columns !== "number")
  )
    return "the request is not a run the daemon knows";
  return r as Request;
}

/** Makes process.env exactly `env` (Node resets its time zone when TZ changes, so dates follow too). */
function replaceEnv(env: Record<string, string>): void {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (process.env[k] !== v) process.env[k] = v;
}

/**
 * Serves CLI runs on `place.socket` until stopped, idle for `idleMs`, or no longer the
 * daemon its socket leads to. One run at a time, in arrival order: each run sees the
 * client's argv, working directory and environment (process.env is swapped for the run, as
 * if the client had started the process itself), and its output streams back as it is
 * written. What stays warm between runs: the compiled code, the run cache's base file
 * decoded (only while the path names that very file: run-cache.ts, decodedFiles) and a helper
 * thread that takes half of each run's stats. Every run still stats every file and decides
 * from the cache as a fresh process would.
 */
export async function serve(place: DaemonPlace, run: CliRun, options: ServeOptions): Promise<void> {
  const server = createServer();
  const resident = { statMany: new StatHelper().statMany };
  let busy = 0;
  let served = 0;
  let lastActive = Date.now();
  const started = new Date();
  let queue: Promise<void> = Promise.resolve();
  let stopping = false;

  const status = () =>
    [
      `pid: ${process.pid}`,
      `running since: ${started.toISOString()}`,
      `runs served: ${served}`,
      `socket: ${place.socket}`,
      `log: ${place.log}`,
      `node: ${process.version}`,
      `stops after: ${Number((options.idleMs / 60_000).toFixed(2))} minutes without a run`,
    ].join("\n") + "\n";

  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    options.log(`stopping: ${why}`);
    server.close();
    // Remove the socket only while it is still ours: a newer daemon may have taken the path.
    try {
      if (lstatSync(place.socket).ino === socketIno) rmSync(place.socket, { force: true });
    } catch {
      // Already gone.
    }
    clearInterval(tick);
    // Queued runs finish, and the server's "close" waits until every client has read its
    // answer and hung up; a client that never hangs up is not waited for past STOP_GRACE_MS.
    server.once("close", () => void queue.then(() => process.exit(0)));
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
  };

  async function handle(line: string, conn: Socket): Promise<void> {
    // Head and body written apart, corked into one write: no copy of a megabyte of report to join them.
    const send = (type: FrameType, text: string) => {
      if (conn.destroyed) return;
      conn.cork();
      conn.write(frameHead(type, Buffer.byteLength(text)));
      conn.write(text, "utf8");
      conn.uncork();
    };
    const req = parseRequest(line);
    if (typeof req === "string") {
      send("err", `policyops: the daemon refused the request: ${req}\n`);
      send("exit", "2");
      conn.end();
      return;
    }
    if ("control" in req) {
      send("out", req.control === "status" ? status() : `policyops: daemon (pid ${process.pid}) stopping\n`);
      send("exit", "0");
      conn.end();
      if (req.control === "stop") stop("asked to stop");
      return;
    }
    const { argv, cwd, env, stdout } = req.run;
    const saved = { env: { ...process.env } as Record<string, string>, cwd: process.cwd() };
    try {
      process.chdir(cwd);
    } catch (e) {
      // A folder the daemon cannot enter (removed since the client entered it): the client is
      // told nothing and runs the command itself, where it would work as it always did.
      options.log(`${new Date().toISOString()} cannot enter ${cwd} (${(e as NodeJS.ErrnoException).code}): left to the client`);
      conn.destroy();
      return;
    }
    const t0 = performance.now();
    let code: number;
    busy++;
    try {
      replaceEnv(env);
      const io: CliIO = { out: (t) => send("out", t), err: (t) => send("err", t), colour: colourFor(stdout, env), width: widthFor(stdout, env), env, cwd, resident };
      code = await run(argv, io);
    } catch (e) {
      send("err", `policyops: internal error in the daemon: ${(e as Error).stack ?? String(e)}\nPlease report this bug.\n`);
      code = 3;
    } finally {
      replaceEnv(saved.env);
      process.chdir(saved.cwd);
      busy--;
      served++;
      lastActive = Date.now();
    }
    options.log(`${new Date().toISOString()} ${argv.join(" ")} → exit ${code} in ${(performance.now() - t0).toFixed(0)} ms`);
    send("exit", String(code));
    conn.end(collectWhenIdle);
  }

  /**
   * A run leaves ~30 MB live (the 10k corpus) and garbage that V8, seeing gigabytes of room,
   * lets pile up: the daemon's RSS reached 460 MB. Collected once no run has come for a few
   * seconds (someone stopped working), not after every run: a full collection between runs
   * that follow each other made each of them slower (V8 then grows the heap again during the
   * next run).
   */
  let collectTimer: NodeJS.Timeout | undefined;
  function collectWhenIdle(): void {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) return;
    clearTimeout(collectTimer);
    collectTimer = setTimeout(() => {
      if (busy === 0 && !stopping) gc();
    }, COLLECT_AFTER_MS);
    collectTimer.unref();
  }

  server.on("connection", (conn) => {
    lastActive = Date.now();
    let buffered = "";
    conn.setEncoding("utf8");
    conn.on("error", () => {
      // A client that went away (Ctrl-C): its run still finishes, its output is dropped.
    });
    const onData = (chunk: string) => {
      buffered += chunk;
      const nl = buffered.indexOf("\n");
      if (nl === -1) {
        if (buffered.length > MAX_REQUEST_BYTES) conn.destroy();
        return;
      }
      conn.off("data", onData);
      const line = buffered.slice(0, nl);
      queue = queue.then(() => handle(line, conn));
    };
    conn.on("data", onData);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(place.socket, () => resolve());
  });
  chmodSync(place.socket, 0o600);
  const socketIno = lstatSync(place.socket).ino;
  options.log(`${started.toISOString()} listening on ${place.socket} (pid ${process.pid})`);

  const tick = setInterval(() => {
    let ours = false;
    try {
      ours = lstatSync(place.socket).ino === socketIno;
    } catch {
      ours = false;
    }
    if (!ours) stop("the socket was removed or taken by another daemon");
    else if (busy === 0 && Date.now() - lastActive >= options.idleMs) stop(`idle for ${Number((options.idleMs / 60_000).toFixed(2))} minutes`);
  }, Math.min(TICK_MS, options.idleMs));
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => stop(signal));
}
