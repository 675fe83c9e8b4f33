import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deserialize, serialize } from "node:v8";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CLI, PROJECT, policy, useTempRepos, writeRepo } from "./helpers/repo.js";
import { cli as cliInProcess } from "./helpers/cli.js";

/**
 * Reads outside the repository, special files, unbounded reads, a cache that came with the
 * repository, and fail-closed settings. Every case runs the built CLI on a real folder (and a
 * real git clone where it matters), and asserts that nothing from outside the repository ever
 * reaches any output.
 */

const { dir } = useTempRepos("policyops-security-");

/** Content that must never appear in any output: it lives outside the repository. */
const SECRET = "TOP-SECRET-OUTSIDE-CONTENT";

interface Run {
  status: number | null;
  out: string;
  err: string;
}

/** The built CLI with a short timeout (a hang is a failure, not a 2-minute wait) and a private cache key. */
function cli(args: string[], env: Record<string, string | undefined> = {}, cwd = PROJECT): Run {
  const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", POLICYOPS_TODAY: undefined, POLICYOPS_WORKERS: undefined, ...env };
  for (const k of Object.keys(base)) if (base[k] === undefined) delete base[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env: base as NodeJS.ProcessEnv, encoding: "utf8", timeout: 20_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: r.stdout ?? "", err: r.stderr ?? "" };
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.name=Ada", "-c", "user.email=ada@example.org", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error(`mkfifo ${path} failed`);
}

/** An outside folder holding a secret file, a secret Markdown file and a sub-folder. */
function outside(): string {
  return writeRepo(dir(), {
    "secret.txt": `${SECRET}\n`,
    "secret.md": `# ${SECRET}\n\n## Secret Heading Alpha\n`,
    "sub/x.md": `# ${SECRET}\n`,
    "manual.md": `---\nid: MAN-001\ntitle: ${SECRET}\nversion: "1.0"\nstatus: draft\nowner: ${SECRET}\nsystem: SYS-${SECRET}\n---\n\n# ${SECRET}\n`,
    "policies/p.md": policy("POL-900", "", `## Purpose\n\n${SECRET}\n`),
  });
}

/** A one-line usage error: exit 2, one line on stderr, no stack trace, nothing from outside. */
function expectUsageError(r: Run, message: RegExp): void {
  expect(r.status, r.err + r.out).toBe(2);
  expect(r.err).toMatch(message);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at |Error:/);
  expect(r.out + r.err).not.toContain(SECRET);
}

describe("reads outside the repository: config", () => {
  it("a policyops.yaml symlinked to a file outside is a usage error that never prints the file's content", () => {
    const out = outside();
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    symlinkSync(join(out, "secret.txt"), join(root, "policyops.yaml"));
    expectUsageError(cli(["validate", root]), /^policyops: policyops\.yaml:1:1: is a symlink that leaves the repository, so it was not read; replace it with a regular YAML file inside the repository\n$/);
    // /etc/passwd, the example of the issue: same message, none of its lines.
    const etc = writeRepo(dir(), {});
    symlinkSync("/etc/passwd", join(etc, "policyops.yaml"));
    const r = cli(["validate", etc]);
    expectUsageError(r, /leaves the repository/);
    expect(r.err).not.toMatch(/root:|nologin/);
  });

  it("a policyops.yaml that is /dev/zero, a FIFO, a dangling symlink, a folder or over 1 MB is a prompt usage error", () => {
    const cases: [string, (root: string) => void, RegExp][] = [
      ["/dev/zero", (r) => symlinkSync("/dev/zero", join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a symlink that leaves the repository/],
      ["fifo", (r) => mkfifo(join(r, "policyops.yaml")), /policyops\.yaml:1:1: is not a regular file \(a FIFO, device or socket\), so it was not read/],
      ["dangling", (r) => symlinkSync("missing.yaml", join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a broken symlink; replace it with a regular YAML file/],
      ["dangling outside", (r) => symlinkSync("/nonexistent/policyops.yaml", join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a symlink that leaves the repository/],
      ["folder", (r) => mkdirSync(join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a directory, not a YAML file/],
      ["large", (r) => writeFileSync(join(r, "policyops.yaml"), `# ${"x".repeat(2 * 1024 * 1024)}\n`), /policyops\.yaml:1:1: is larger than 1 MB, so it was not read/],
    ];
    for (const [name, make, message] of cases) {
      const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
      make(root);
      const r = cli(["validate", root]);
      expect(r.status, name).toBe(2);
      expectUsageError(r, message);
    }
  });

  it("a paths entry that leaves the repository is a config error at its value", () => {
    for (const folder of ["../../outside", "policies/../../x", "..", "./../outside"]) {
      const root = writeRepo(dir(), { "policyops.yaml": `version: 1\npaths:\n  policy: "${folder}"\n`, "policies/a.md": policy("POL-001") });
      const r = cli(["validate", root]);
      expectUsageError(r, new RegExp(`^policyops: policyops\\.yaml:3:11: \`paths\\.policy\` is \`${folder.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\`, which leaves the repository; give a folder inside the repository, relative to its root\\n$`));
    }
    // An absolute folder is already refused by the config schema.
    const abs = writeRepo(dir(), { "policyops.yaml": "paths:\n  policy: /etc\n" });
    expectUsageError(cli(["validate", abs]), /^policyops: policyops\.yaml:2:11: `paths\.policy` value `\/etc` is not valid/);
  });
});

describe("reads outside the repository: kind folders", () => {
  it("a kind folder symlinked to a folder outside is a usage error and nothing in it is read", () => {
    const out = outside();
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    symlinkSync(out, join(root, "manuals"));
    expectUsageError(cli(["validate", root, "--format", "json"]), /^policyops: kind folder `manuals` leaves the repository; make `manuals` a folder inside the repository or set `paths\.manual` in policyops\.yaml to one\.\n$/);
    // `manuals -> /`, the example of the issue.
    const slash = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    symlinkSync("/", join(slash, "manuals"));
    expectUsageError(cli(["validate", slash]), /kind folder `manuals` leaves the repository/);
  });

  it("a configured kind folder reached through a symlink out is refused the same way", () => {
    const out = outside();
    const root = writeRepo(dir(), { "policyops.yaml": "paths:\n  policy: docs/policies\n" });
    symlinkSync(out, join(root, "docs"));
    expectUsageError(cli(["validate", root]), /^policyops: kind folder `docs\/policies` leaves the repository; make `docs\/policies` a folder inside the repository or set `paths\.policy` in policyops\.yaml to one\.\n$/);
  });

  it("a symlinked sub-folder inside a kind folder that leaves the repository is reported, never read", () => {
    const out = outside();
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    symlinkSync(join(out, "policies"), join(root, "policies", "shared"));
    symlinkSync(join(out, "policies", "p.md"), join(root, "policies", "b.md"));
    const r = cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.out + r.err).not.toContain(SECRET);
    const result = JSON.parse(r.out) as { summary: { documents: number }; findings: { code: string; file: string; message: string }[] };
    expect(result.summary.documents).toBe(1);
    expect(result.findings.map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual([
      "policies/b.md file/unreadable This symlink leaves the repository, so it was not read; copy what it points at into the repository instead.",
      "policies/shared file/unreadable This symlink leaves the repository, so it was not read; copy what it points at into the repository instead.",
    ]);
  });

  it("a governed FIFO is reported as unreadable and never opened", () => {
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    mkfifo(join(root, "policies", "pipe.md"));
    const r = cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.status).toBe(1);
    const result = JSON.parse(r.out) as { findings: { code: string; file: string; message: string }[] };
    expect(result.findings.map((f) => `${f.file} ${f.code} ${f.message}`)).toEqual([
      "policies/pipe.md file/unreadable This is not a regular file (a FIFO, device or socket), so it was not read; replace it with a regular file.",
    ]);
  });

  it("a governed file more than 64 folders deep is read and checked", () => {
    const deep = Array.from({ length: 70 }, (_, i) => `d${i}`).join("/");
    const root = writeRepo(dir(), { [`policies/${deep}/deep.md`]: policy("POL-DEEP", "", "## Purpose\n") });
    const r = cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    const result = JSON.parse(r.out) as { summary: { documents: number }; findings: { code: string; file: string; message: string }[] };
    expect(result.summary.documents).toBe(1);
    expect(result.findings.map((f) => `${f.file} ${f.code}`)).toEqual([`policies/${deep}/deep.md sections/missing`, `policies/${deep}/deep.md sections/missing`]);
    expect(r.status).toBe(1);
  });
});

describe("reads outside the repository: links and path fields", () => {
  const doc = (links: string) => policy("POL-001", "", `## Purpose\n\n${links}\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n`);

  it("a link into a symlink that leaves the repository gets one message whether the outside target exists, is a folder or not, and no heading leaks", () => {
    const out = outside();
    const root = writeRepo(dir(), {
      "policies/a.md": doc("[a](../docs/secret.md#secret-heading-alph) [b](../docs/missing.md) [c](../docs/sub) [d](../docs/secret.txt) [e](../notes.md#x) [f](../gone.md#y)"),
    });
    symlinkSync(out, join(root, "docs"));
    symlinkSync(join(out, "secret.md"), join(root, "notes.md"));
    symlinkSync("/nonexistent/gone.md", join(root, "gone.md"));
    const r = cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.out + r.err).not.toContain(SECRET);
    expect(r.out).not.toMatch(/did you mean|secret-heading/i);
    const findings = (JSON.parse(r.out) as { findings: { code: string; message: string }[] }).findings;
    expect(findings.map((f) => f.code)).toEqual(Array(6).fill("link/broken"));
    // Take the target out: every message is the same sentence.
    const shapes = new Set(findings.map((f) => f.message.replace(/`[^`]*`/, "`T`")));
    expect([...shapes]).toEqual(["Link target `T` leaves the repository, so it cannot be checked or published; link to a file inside the repository."]);
  });

  it("a link with an anchor into a committed symlink to /dev/zero, or to an in-repo FIFO, finishes without reading it", () => {
    const root = writeRepo(dir(), { "policies/a.md": doc("[z](../notes.md#a) [p](../pipe.md#b)") });
    symlinkSync("/dev/zero", join(root, "notes.md"));
    mkfifo(join(root, "pipe.md"));
    const r = cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.status).toBe(0);
    const findings = (JSON.parse(r.out) as { findings: { code: string; message: string }[] }).findings;
    expect(findings.map((f) => f.message)).toEqual(["Link target `../notes.md` leaves the repository, so it cannot be checked or published; link to a file inside the repository."]);
  });

  it("file/missing says the agreement leaves the repository, the same whether the outside file exists, is a folder or is absent", () => {
    const out = outside();
    const licence = (path: string, id: string) => `id: ${id}\nproduct: X\ntype: perpetual\nowner: IT\nagreement: ${path}\n`;
    const root = writeRepo(dir(), {
      "licences/a.yaml": licence("agreements/secret.txt", "LIC-001"),
      "licences/b.yaml": licence("agreements/sub", "LIC-002"),
      "licences/c.yaml": licence("agreements/none.pdf", "LIC-003"),
      "licences/d.yaml": licence("signed.pdf", "LIC-004"),
    });
    symlinkSync(out, join(root, "agreements"));
    symlinkSync(join(out, "secret.txt"), join(root, "signed.pdf"));
    const r = cli(["validate", root, "--format", "json", "--today", "2026-06-30"]);
    expect(r.out + r.err).not.toContain(SECRET);
    const findings = (JSON.parse(r.out) as { findings: { code: string; message: string }[] }).findings;
    expect(findings.map((f) => f.message.replace(/`[^`]*` names `[^`]*`/, "X"))).toEqual(Array(4).fill("X, which leaves the repository; store the file in the repository and give its repo-relative path."));
  });
});

describe("filesystem matrix for the readers", () => {
  const COMMANDS = [["validate"], ["licences"], ["reviews"], ["compliance"]];
  type Make = (root: string, out: string) => void;
  const CONFIG: [string, Make, RegExp][] = [
    ["config symlinked out", (r, o) => symlinkSync(join(o, "secret.txt"), join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a symlink that leaves the repository/],
    ["config dangling", (r) => symlinkSync("nowhere.yaml", join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a broken symlink/],
    ["config a FIFO", (r) => mkfifo(join(r, "policyops.yaml")), /policyops\.yaml:1:1: is not a regular file/],
    ["config /dev/zero", (r) => symlinkSync("/dev/zero", join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a symlink that leaves the repository/],
    ["config a folder", (r) => mkdirSync(join(r, "policyops.yaml")), /policyops\.yaml:1:1: is a directory/],
  ];
  const KIND: [string, Make, RegExp][] = [
    ["kind folder symlinked out", (r, o) => symlinkSync(join(o, "policies"), join(r, "licences")), /kind folder `licences` leaves the repository/],
    ["kind folder dangling", (r) => symlinkSync("nowhere", join(r, "licences")), /kind folder `licences` is a broken symlink/],
    ["kind folder a FIFO", (r) => mkfifo(join(r, "licences")), /kind folder `licences` is not a folder/],
    ["kind folder /dev/zero", (r) => symlinkSync("/dev/zero", join(r, "licences")), /kind folder `licences` leaves the repository/],
    ["kind folder a file", (r) => writeFileSync(join(r, "licences"), "x"), /kind folder `licences` is not a folder/],
  ];
  const ROOT: [string, (out: string) => string, RegExp][] = [
    ["root dangling", (o) => join(o, "no-such-root"), /repository root `.*no-such-root` does not exist/],
    ["root a FIFO", (o) => (mkfifo(join(o, "fifo-root")), join(o, "fifo-root")), /repository root `.*fifo-root` is not a directory/],
    ["root /dev/zero", () => "/dev/zero", /repository root `\/dev\/zero` is not a directory/],
    ["root a file", (o) => join(o, "secret.txt"), /repository root `.*secret\.txt` is not a directory/],
  ];

  // In-process (main() with captured output): 4 commands × every case would be ~60 processes, which
  // under a loaded CI machine outlived the test timeout. The process itself is the subject of the
  // tests above (exit status of the real binary); here it is the message and what was read.
  const inProcess = async (args: string[]): Promise<Run> => {
    const r = await cliInProcess(args, { env: { NO_COLOR: "1", POLICYOPS_WORKERS: undefined } });
    return { status: r.status, out: r.stdout, err: r.stderr };
  };

  it("validate, licences, reviews and compliance: a bad config, kind folder or root is one line, exit 2, no stack, nothing outside read", async () => {
    for (const cmd of COMMANDS) {
      for (const [name, make, message] of [...CONFIG, ...KIND]) {
        const out = outside();
        const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
        make(root, out);
        const r = await inProcess([...cmd, root, "--today", "2026-06-30"]);
        expect({ cmd: cmd[0], name, status: r.status }).toEqual({ cmd: cmd[0], name, status: 2 });
        expectUsageError(r, message);
      }
      for (const [name, make, message] of ROOT) {
        const out = outside();
        const r = await inProcess([...cmd, make(out), "--today", "2026-06-30"]);
        expect({ cmd: cmd[0], name, status: r.status }).toEqual({ cmd: cmd[0], name, status: 2 });
        expectUsageError(r, message);
      }
    }
  });

  it("a root that is itself a symlink to a repository is that repository", () => {
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    const link = join(dir(), "link");
    symlinkSync(root, link);
    const r = cli(["validate", link, "--format", "json", "--today", "2026-06-30"]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.out) as { summary: { documents: number } }).summary.documents).toBe(1);
  });

  it("import-catalog: an input that is a FIFO, /dev/zero, a folder or missing is one line, exit 2, and a JSON error never quotes the file", () => {
    const out = outside();
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    mkfifo(join(out, "fifo.json"));
    const cases: [string, RegExp][] = [
      [join(out, "fifo.json"), /is not a regular file \(a FIFO, device or socket\); give the path of an OSCAL catalogue in JSON/],
      ["/dev/zero", /`\/dev\/zero` is not a regular file/],
      [join(out, "sub"), /is a folder, not a file; give the path of an OSCAL catalogue in JSON/],
      [join(out, "none.json"), /cannot be read \(ENOENT\); give the path of an OSCAL catalogue in JSON/],
      [join(out, "secret.txt"), /cannot read `.*secret\.txt` as JSON( \(invalid at position \d+\))?; give the path of an OSCAL catalogue in JSON/],
    ];
    for (const [input, message] of cases) expectUsageError(cli(["import-catalog", input, "--id", "X-1", root]), message);
  });
});

describe("fail closed on bad environment values", () => {
  it("POLICYOPS_WORKERS=auto on a repository of 600+ files is a usage error, not a clean run of 0 documents", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 620; i++) files[`policies/p${i}.md`] = policy(`POL-${i + 1}`);
    const root = writeRepo(dir(), files);
    for (const value of ["auto", "0", "-1", "1.5", "", " ", "2x", "99999"]) {
      const r = cli(["validate", root, "--today", "2026-06-30"], { POLICYOPS_WORKERS: value });
      expect(r.status, `POLICYOPS_WORKERS=${JSON.stringify(value)}`).toBe(2);
      expect(r.err).toBe(`policyops: invalid \`POLICYOPS_WORKERS\` value \`${value}\`: use a whole number of threads from 1 to 1024, or unset it\n`);
    }
    expect(cli(["licences", root], { POLICYOPS_WORKERS: "auto" }).status).toBe(2);
    const ok = cli(["validate", root, "--today", "2026-06-30", "--format", "json"], { POLICYOPS_WORKERS: "2" });
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.out) as { summary: { documents: number } }).summary.documents).toBe(620);
  });

  it("a bad POLICYOPS_TODAY is a usage error naming the variable, even when --today is given", () => {
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    for (const value of ["2026-02-30", "", "tomorrow"]) {
      for (const args of [["validate", root], ["validate", root, "--today", "2026-06-30"], ["reviews", root]]) {
        const r = cli(args, { POLICYOPS_TODAY: value });
        expect(r.status).toBe(2);
        expect(r.err).toBe(`policyops: invalid date \`${value}\` in \`POLICYOPS_TODAY\`: use YYYY-MM-DD, or unset it\n`);
      }
    }
  });
});

describe("a committed file must not change a result: the cache", () => {
  const HEADER = Buffer.from("policyops-cache\n", "latin1");
  const clean = "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nseats: 5\nassigned: 4\n";
  const broken = "id: LIC-001\nproduct: X\ntype: perpetual\nowner: IT\nseats: 5\nassigned: 9\n";

  it("a committed .policyops-cache entry with a forged content hash is ignored in a fresh clone: the full result is reported", () => {
    // The attacker, on their own machine (their own key), caches a clean repository...
    const attackerKeys = dir();
    const origin = writeRepo(dir(), { "licences/m365.yaml": clean });
    git(origin, "init", "-q", "-b", "main");
    expect(cli(["validate", origin, "--cache"], { XDG_CACHE_HOME: attackerKeys }).status).toBe(0);
    // ...then breaks the record and forges the cache so the broken content hashes as clean.
    writeFileSync(join(origin, "licences/m365.yaml"), broken);
    const cacheFile = join(origin, ".policyops-cache", "cache.v8");
    const raw = readFileSync(cacheFile);
    const sealed = raw.subarray(0, HEADER.length).equals(HEADER);
    // Entries are columns (src/engine/io/run-cache.ts): the row's 64 hex digits in `hashes`.
    const data = deserialize(sealed ? raw.subarray(HEADER.length + 32) : raw) as { entries: { files: string[]; hashes: string } };
    const row = data.entries.files.indexOf("licences/m365.yaml");
    expect(row).toBeGreaterThanOrEqual(0);
    const forged = createHash("sha256").update(broken).digest("hex");
    data.entries.hashes = data.entries.hashes.slice(0, row * 64) + forged + data.entries.hashes.slice((row + 1) * 64);
    const payload = serialize(data);
    if (sealed) {
      // Even a correctly sealed file, under the attacker's own key.
      const key = readFileSync(join(attackerKeys, "policyops", "key"));
      writeFileSync(cacheFile, Buffer.concat([HEADER, createHmac("sha256", key).update(HEADER).update(payload).digest(), payload]));
    } else writeFileSync(cacheFile, payload);
    git(origin, "add", "-A", "-f");
    git(origin, "commit", "-q", "-m", "Clean, says the cache");
    // CI: a fresh clone, its own machine key.
    const clone = join(dir(), "clone");
    git(dir(), "clone", "-q", origin, clone);
    expect(statSync(join(clone, ".policyops-cache", "cache.v8")).isFile()).toBe(true);
    const r = cli(["validate", clone, "--cache", "--format", "json", "--today", "2026-06-30"], { XDG_CACHE_HOME: dir() });
    const result = JSON.parse(r.out) as { findings: { code: string; message: string }[] };
    expect(result.findings.map((f) => f.code)).toEqual(["licence/over-allocated"]);
    expect(r.status).toBe(1);
    // And the same machine key that wrote a cache still uses it (the cache works at all).
    const again = cli(["validate", clone, "--cache", "--format", "json", "--today", "2026-06-30"], { XDG_CACHE_HOME: attackerKeys });
    expect(again.status).toBe(1);
  });

  it("the machine-local cache key is created 0600 outside the repository", () => {
    const keys = dir();
    const root = writeRepo(dir(), { "licences/m365.yaml": clean });
    expect(cli(["validate", root, "--cache"], { XDG_CACHE_HOME: keys }).status).toBe(0);
    const st = statSync(join(keys, "policyops", "key"));
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.size).toBe(32);
    expect(readFileSync(join(root, ".policyops-cache", "cache.v8")).subarray(0, HEADER.length).equals(HEADER)).toBe(true);
  });

  it("a cache folder committed as a symlink out of the repository is neither read nor written", () => {
    const out = dir();
    const root = writeRepo(dir(), { "licences/m365.yaml": clean });
    symlinkSync(out, join(root, ".policyops-cache"));
    expect(cli(["validate", root, "--cache"], { XDG_CACHE_HOME: dir() }).status).toBe(0);
    expect(spawnSync("ls", ["-A", out], { encoding: "utf8" }).stdout).toBe("");
  });

  it("rewriting assigned: 4 to assigned: 9 (same size) and restoring the mtime is seen by validate --cache", () => {
    const keys = dir();
    const root = writeRepo(dir(), { "licences/m365.yaml": clean });
    const file = join(root, "licences/m365.yaml");
    expect(cli(["validate", root, "--cache"], { XDG_CACHE_HOME: keys }).status).toBe(0);
    const before = statSync(file, { bigint: true });
    const ref = join(dir(), "ref");
    writeFileSync(ref, "");
    spawnSync("touch", ["-r", file, ref]);
    writeFileSync(file, broken);
    spawnSync("touch", ["-r", ref, file]); // the mtime put back to the nanosecond
    expect(statSync(file, { bigint: true }).size).toBe(before.size);
    expect(statSync(file, { bigint: true }).mtimeNs).toBe(before.mtimeNs);
    const r = cli(["validate", root, "--cache", "--today", "2026-06-30"], { XDG_CACHE_HOME: keys });
    expect(r.out).toContain("9 seats are assigned but the licence provides only 5; buy 4 more seats or reclaim them.");
    expect(r.status).toBe(1);
  });

  it("an old file rewritten with the same size and its mtime put back is re-hashed because its ctime moved (touch -r)", async () => {
    const keys = dir();
    const root = writeRepo(dir(), { "licences/m365.yaml": clean });
    const file = join(root, "licences/m365.yaml");
    const old = new Date("2020-01-01T00:00:00Z");
    utimesSync(file, old, old);
    // Past the racy window: the entry is taken when mtime and ctime are both in the past.
    await new Promise((r) => setTimeout(r, 2300));
    expect(cli(["validate", root, "--cache"], { XDG_CACHE_HOME: keys }).status).toBe(0);
    writeFileSync(file, broken);
    utimesSync(file, old, old);
    const r = cli(["validate", root, "--cache", "--today", "2026-06-30"], { XDG_CACHE_HOME: keys });
    expect(r.out).toContain("9 seats are assigned but the licence provides only 5; buy 4 more seats or reclaim them.");
    expect(r.status).toBe(1);
  });
});

describe("the path-resolution module (for every reader, and the writers)", () => {
  it("resolveInside refuses a path whose real path leaves the root, with one answer whether the outside target exists or not", async () => {
    const { resolveInside, readBounded, PathRefused } = await import("../src/engine/io/safe-path.js");
    const out = outside();
    const root = writeRepo(dir(), { "policies/a.md": policy("POL-001") });
    symlinkSync(out, join(root, "manuals"));
    symlinkSync("/nonexistent/deeper", join(root, "dangling"));
    const refused = { ok: false, reason: "outside", message: "it leaves the repository" };
    for (const p of ["manuals/secret.md", "manuals/sub", "manuals/new/file.md", "dangling/x.md", "../x", "/etc/passwd"]) expect(resolveInside(root, p)).toEqual(refused);
    expect(resolveInside(root, "policies/new.md")).toMatchObject({ ok: true, exists: false });
    expect(resolveInside(root, "policies/a.md")).toMatchObject({ ok: true, exists: true });
    mkfifo(join(root, "pipe"));
    expect(() => readBounded(join(root, "pipe"))).toThrow(PathRefused);
    expect(() => readBounded("/dev/zero")).toThrow(/is not a regular file/);
    writeFileSync(join(root, "big"), Buffer.alloc(2048));
    expect(() => readBounded(join(root, "big"), 1024)).toThrow(/is larger than 1 KB/);
    expect(readBounded(join(root, "big"), 2048).length).toBe(2048);
  });
});
