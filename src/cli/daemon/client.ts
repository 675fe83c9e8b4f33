import { existsSync } from "node:fs";
import { daemonPlace } from "./place.js";
import { FrameReader, PROTOCOL, type Request } from "./frames.js";

/**
 * The client half of `policyops daemon`, loaded by bin/policyops.js before (and instead of)
 * the CLI when a run can be served: it imports nothing but Node's own modules, so a served
 * run pays Node's start-up and this file, not the engine's code.
 */

/** True when `validate --cache` may go to a running daemon (POLICYOPS_DAEMON=off keeps every run in-process). */
export function mayUseDaemon(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.POLICYOPS_DAEMON === "off") return false;
  // The same first bare word main() takes as the command; the daemon runs the same argv through main().
  return argv.find((a) => !a.startsWith("-")) === "validate" && argv.includes("--cache");
}

type Sink = (bytes: Uint8Array) => void;

/**
 * Sends a request to the daemon at `socket` and streams its answer to `out` and `err`.
 * Resolves to the exit code; or to undefined when no daemon answered before any output was
 * written (none running, a stale socket, a daemon that stopped), so the caller can run the
 * command itself and nobody can tell; or to 2, with a message, when a daemon stopped after
 * part of the output was already written.
 */
export async function exchange(socket: string, request: Request, out: Sink, err: Sink): Promise<number | undefined> {
  // Loaded only when there is a socket to talk to: a run with no daemon pays for none of it.
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const reader = new FrameReader();
    let wrote = false;
    let settled = false;
    const settle = (code: number | undefined) => {
      if (settled) return;
      settled = true;
      resolve(code);
    };
    const lost = () => {
      if (settled) return;
      if (!wrote) return settle(undefined);
      err(Buffer.from("policyops: the daemon stopped before the run finished, so the output above is incomplete; run the command again (`policyops daemon status` tells whether a daemon is running).\n"));
      settle(2);
    };
    const conn = connect(socket);
    conn.on("connect", () => conn.write(JSON.stringify(request) + "\n"));
    let exit = "";
    conn.on("data", (chunk: Buffer) => {
      let parts;
      try {
        parts = reader.push(chunk);
      } catch {
        conn.destroy();
        return lost();
      }
      for (const p of parts) {
        if (p.type === "exit") {
          exit += p.part.toString("latin1");
          if (!p.end) continue;
          settle(Number(exit));
          conn.end();
          return;
        }
        if (!p.part.length) continue;
        wrote = true;
        (p.type === "out" ? out : err)(p.part);
      }
    });
    conn.on("error", lost);
    conn.on("close", lost);
  });
}

/** Runs `argv` in the daemon, if one is running for this user and build; undefined otherwise. */
export async function runViaDaemon(argv: string[]): Promise<number | undefined> {
  if (!mayUseDaemon(argv, process.env)) return undefined;
  const place = daemonPlace(process.env, false);
  if ("problem" in place || !existsSync(place.socket)) return undefined;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const request: Request = {
    protocol: PROTOCOL,
    run: { argv, cwd: process.cwd(), env, stdout: { isTTY: Boolean(process.stdout.isTTY), ...(process.stdout.columns ? { columns: process.stdout.columns } : {}) } },
  };
  return exchange(place.socket, request, (b) => process.stdout.write(b), (b) => process.stderr.write(b));
}
