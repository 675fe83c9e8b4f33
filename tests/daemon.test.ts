import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CLI, PROJECT, runCli, tempDir, writeRepo, type CliRun } from "./helpers/repo.js";
import { frame, FrameReader, type FrameType } from "../src/cli/daemon/frames.js";
import { gitRepo } from "./helpers/git.js";

// `policyops daemon`: the process is the subject, so every run here is a real one (bin/policyops.js
// as a user starts it), against a real daemon process, each test with its own runtime folder.

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup() {
  const t = tempDir("pod-");
  const runtime = join(t.dir, "run");
  mkdirSync(runtime, { mode: 0o700 });
  const repo = join(t.dir, "repo");
  cpSync(join(PROJECT, "policies-template"), repo, { recursive: true });
  const env = { XDG_RUNTIME_DIR: runtime, XDG_CACHE_HOME: join(t.dir, "cache-home") };
  const cli = (args: string[], extra: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliRun => runCli(args, { cwd: extra.cwd ?? t.dir, env: { ...env, ...extra.env } });
  cleanups.push(() => {
    const status = cli(["daemon", "status"]);
    const pid = /^pid: (\d+)$/m.exec(status.stdout)?.[1];
    cli(["daemon", "stop"]);
    if (pid) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already stopped.
      }
    }
    t.cleanup();
  });
  const folder = join(runtime, "policyops");
  const socket = () => readdirSync(folder).find((f) => f.endsWith(".sock"));
  return { dir: t.dir, runtime, folder, repo, env, cli, socket };
}

const served = (status: CliRun): number => Number(/^runs served: (\d+)$/m.exec(status.stdout)?.[1] ?? NaN);
const VALIDATE = ["validate", "repo", "--cache", "--format", "json", "--today", "2029-06-30"];

describe("the daemon's frames", () => {
  it("come out whole and in order however the stream cuts them, each body handed on in the pieces that arrived", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const sent: { type: FrameType; body: string }[] = [];
      for (let i = rand(6); i >= 0; i--) sent.push({ type: rand(2) ? "out" : "err", body: "é€😀x\n".repeat(rand(40)) });
      sent.push({ type: "exit", body: String(rand(4)) });
      const stream = Buffer.concat(sent.map((f) => frame(f.type, f.body)));
      const reader = new FrameReader();
      const got: { type: FrameType; body: Buffer[] }[] = [];
      let open: { type: FrameType; body: Buffer[] } | null = null;
      for (let at = 0; at < stream.length; ) {
        const n = 1 + rand(9);
        for (const p of reader.push(stream.subarray(at, at + n))) {
          open ??= { type: p.type, body: [] };
          expect(p.type).toBe(open.type);
          open.body.push(Buffer.from(p.part));
          if (p.end) {
            got.push(open);
            open = null;
          }
        }
        at += n;
      }
      expect(reader.partial).toBe(false);
      expect(got.map((f) => ({ type: f.type, body: Buffer.concat(f.body).toString("utf8") }))).toEqual(sent);
    }
    expect(() => new FrameReader().push(Buffer.from([0x41, 0, 0, 0, 0]))).toThrow(/unknown frame type 65/);
  });
});

describe("policyops daemon", () => {
  it("serves `validate --cache` with the output, errors and exit code of the same run in-process, through edits, and stops when asked", () => {
    const { cli, repo, socket, folder } = setup();
    expect(cli(["daemon", "status"])).toMatchObject({ status: 1, stdout: "policyops: no daemon is running\n" });

    const start = cli(["daemon", "start"]);
    expect(start.status).toBe(0);
    expect(start.stdout).toMatch(/^policyops: daemon started \(pid \d+\)/);
    expect(cli(["daemon", "start"]).stdout).toMatch(/already running/);
    const status = cli(["daemon", "status"]);
    expect(status.status).toBe(0);
    expect(served(status)).toBe(0);
    expect(status.stdout).toMatch(/^stops after: 180 minutes without a run$/m);
    // The socket is the user's alone, in a folder that is too.
    expect(statSync(join(folder, socket()!)).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);

    const inProcess = (args: string[], extra: { env?: Record<string, string | undefined>; cwd?: string } = {}) => cli(args, { ...extra, env: { ...extra.env, POLICYOPS_DAEMON: "off" } });
    const same = (args: string[], extra: { env?: Record<string, string | undefined>; cwd?: string } = {}) => {
      const before = served(cli(["daemon", "status"]));
      const viaDaemon = cli(args, extra);
      expect(served(cli(["daemon", "status"]))).toBe(before + 1); // it went to the daemon
      expect(viaDaemon).toEqual(inProcess(args, extra));
      expect(served(cli(["daemon", "status"]))).toBe(before + 1); // POLICYOPS_DAEMON=off did not
      return viaDaemon;
    };

    const first = same(VALIDATE);
    expect(first.status).toBe(1);
    expect(JSON.parse(first.stdout).summary.errors).toBeGreaterThan(0);
    // An edit is seen: a broken reference in a SOP.
    const sop = readdirSync(join(repo, "sops")).find((f) => f.endsWith(".md"))!;
    writeRepo(repo, { [`sops/${sop}`]: "---\nid: SOP-DAEMON\ntitle: Daemon\nowner: IT\nstatus: active\npolicies: [POL-404]\n---\n\n# Daemon\n" });
    const edited = same(VALIDATE);
    expect(edited.stdout).toContain("POL-404");
    // The client's working directory and environment are the run's: a relative root, POLICYOPS_TODAY.
    same(["validate", ".", "--cache", "--format", "json"], { cwd: repo, env: { POLICYOPS_TODAY: "2027-01-01" } });
    // The environment is swapped for the run, not only handed to the CLI: the run cache's
    // machine key is looked up under the client's XDG_CACHE_HOME.
    const otherHome = join(repo, "..", "other-cache-home");
    const withOtherHome = cli(VALIDATE, { env: { XDG_CACHE_HOME: otherHome } });
    expect(statSync(join(otherHome, "policyops", "key")).size).toBe(32);
    expect(withOtherHome).toEqual(inProcess(VALIDATE, { env: { XDG_CACHE_HOME: otherHome } }));
    // The time zone is the client's: UTC+14 and UTC-12 are never on the same date, and each run's
    // "today" (no --today) is the local date.
    const kiritimati = same(["validate", "repo", "--cache", "--format", "json"], { env: { TZ: "Pacific/Kiritimati" } });
    const bakerIsland = same(["validate", "repo", "--cache", "--format", "json"], { env: { TZ: "Etc/GMT+12" } });
    expect(JSON.parse(kiritimati.stdout).today).not.toBe(JSON.parse(bakerIsland.stdout).today);
    // A usage error: message and exit code 2, as in-process.
    const usage = same(["validate", "repo", "--cache", "--format", "xml"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/xml/);
    // A bad environment value is the client's, not the daemon's.
    expect(same(VALIDATE, { env: { POLICYOPS_WORKERS: "many" } }).stderr).toMatch(/POLICYOPS_WORKERS/);
    // Text output, to a pipe: no colour, as in-process.
    same(["validate", "repo", "--cache", "--today", "2029-06-30"]);

    expect(cli(["daemon", "stop"]).stdout).toMatch(/^policyops: daemon \(pid \d+\) stopping\n$/);
    expect(socket()).toBeUndefined();
    expect(cli(["daemon", "status"]).status).toBe(1);
    // Without a daemon the same command still runs, in its own process.
    expect(cli(VALIDATE)).toEqual(inProcess(VALIDATE));
  });

  it("serves runs that read git as the client's own process would: approvals from history, --changed-since", async () => {
    const { cli, repo } = setup();
    const { commit } = await gitRepo(repo);
    await commit({}, "the template", "2026-05-01");
    const sop = readdirSync(join(repo, "sops")).filter((f) => f.endsWith(".md")).sort()[0]!;
    await commit({ [`sops/${sop}`]: readFileSync(join(repo, "sops", sop), "utf8").replace(/^title: .*$/m, "title: Retitled after approval") }, "retitle", "2026-10-01");
    writeRepo(repo, { "sops/new-one.md": "---\nid: SOP-NEW-ONE\ntitle: New\nowner: IT\nstatus: active\npolicies: [POL-404]\n---\n\n# New\n" });
    cli(["daemon", "start"]);
    for (const args of [[...VALIDATE], [...VALIDATE, "--changed-since", "HEAD~1"]]) {
      const viaDaemon = cli(args);
      expect(viaDaemon).toEqual(cli(args, { env: { POLICYOPS_DAEMON: "off" } }));
      expect(viaDaemon.stdout).toContain("POL-404");
    }
    expect(cli([...VALIDATE]).stdout).toContain("approval/stale");
    expect(served(cli(["daemon", "status"]))).toBe(3);
  });

  it("serves clients that come at once one after the other, each its own output", async () => {
    const { cli, env, dir } = setup();
    cli(["daemon", "start"]);
    const days = ["2027-01-01", "2029-06-30", "2031-06-30"];
    const run = (today: string) =>
      new Promise<CliRun>((resolve) => {
        const child = spawn(process.execPath, [CLI, ...VALIDATE.slice(0, -1), today], { cwd: dir, env: { ...process.env, ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (status) => resolve({ status: status ?? -1, stdout, stderr }));
      });
    const together = await Promise.all(days.map(run));
    expect(served(cli(["daemon", "status"]))).toBe(days.length);
    for (const [i, today] of days.entries()) {
      expect(JSON.parse(together[i]!.stdout).today).toBe(today);
      expect(together[i]).toEqual(cli([...VALIDATE.slice(0, -1), today], { env: { POLICYOPS_DAEMON: "off" } }));
    }
  });

  it("a daemon that was killed leaves a socket nobody answers: runs fall back to their own process, and `start` takes its place", () => {
    const { cli, socket } = setup();
    cli(["daemon", "start"]);
    const pid = Number(/^pid: (\d+)$/m.exec(cli(["daemon", "status"]).stdout)![1]);
    process.kill(pid, "SIGKILL");
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
    }
    expect(socket()).toBeDefined(); // stale
    const run = cli(VALIDATE);
    expect(run).toEqual(cli(VALIDATE, { env: { POLICYOPS_DAEMON: "off" } }));
    expect(cli(["daemon", "status"]).status).toBe(1);
    expect(cli(["daemon", "start"]).status).toBe(0);
    expect(served(cli(["daemon", "status"]))).toBe(0);
  });

  it("refuses a socket folder other users can write, and runs still work without it", () => {
    const { cli, folder } = setup();
    mkdirSync(folder, { mode: 0o700 });
    chmodSync(folder, 0o777);
    const start = cli(["daemon", "start"]);
    expect(start.status).toBe(2);
    expect(start.stderr).toMatch(/can be read or written by other users \(mode 777\).*chmod 700/);
    expect(cli(VALIDATE).status).toBe(1);
  });

  it("stops by itself after the idle time, removing its socket", async () => {
    const { cli, socket } = setup();
    expect(cli(["daemon", "start", "--idle-minutes", "0.01"]).status).toBe(0);
    for (let i = 0; i < 100 && socket() !== undefined; i++) await new Promise((r) => setTimeout(r, 100));
    expect(socket()).toBeUndefined();
    expect(cli(["daemon", "status"]).status).toBe(1);
  });

  it("answers a request it cannot read with a usage error, and goes on serving", async () => {
    const { cli, folder, socket } = setup();
    cli(["daemon", "start"]);
    const path = join(folder, socket()!);
    const answer = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const c = connect(path, () => c.write('{"protocol":1,"run":{"argv":"validate"}}\n'));
      c.on("data", (d) => chunks.push(d));
      c.on("end", () => resolve(Buffer.concat(chunks)));
      c.on("error", reject);
    });
    expect(answer.toString("latin1")).toMatch(/the daemon refused the request: the request is not a run the daemon knows/);
    expect(answer.toString("latin1").endsWith("x\u0000\u0000\u0000\u00012")).toBe(true); // exit frame: 2
    // A working directory the daemon cannot enter: no answer at all, so the client runs the command itself.
    const request = { protocol: 1, run: { argv: VALIDATE, cwd: join(folder, "gone"), env: {}, stdout: { isTTY: false } } };
    const silent = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const c = connect(path, () => c.write(JSON.stringify(request) + "\n"));
      c.on("data", (d) => chunks.push(d));
      c.on("close", () => resolve(Buffer.concat(chunks)));
      c.on("error", reject);
    });
    expect(silent.length).toBe(0);
    expect(cli(VALIDATE).status).toBe(1);
    expect(served(cli(["daemon", "status"]))).toBe(1);
  });

  it("tells what the options take, and refuses a bad one", () => {
    const { cli } = setup();
    expect(cli(["daemon", "start", "--idle-minutes", "0"])).toMatchObject({ status: 2 });
    expect(cli(["daemon", "--help"]).stdout).toMatch(/start[\s\S]*stop[\s\S]*status[\s\S]*run/);
  });
});
