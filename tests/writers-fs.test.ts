import { describe, expect, it } from "vitest";
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { CLI, PROJECT, runCli, useTempRepos, writeRepo, type CliRun } from "./helpers/repo.js";

const { dir } = useTempRepos("policyops-writers-");
const OSCAL = join(PROJECT, "src", "engine", "domain", "frameworks", "catalogs", "source", "nist-csf-2.0-catalog.oscal.json");

/** A usage error as SPEC §3 means it: exit 2, nothing on stdout, exactly one line on stderr, no stack. */
function expectRefused(r: CliRun, message: string | RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr.endsWith("\n") && r.stderr.split("\n").length === 2, r.stderr).toBe(true);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  const line = r.stderr.trimEnd();
  if (typeof message === "string") expect(line).toBe(`policyops: ${message}`);
  else expect(line).toMatch(message);
}

const mkfifo = (path: string) => expect(spawnSync("mkfifo", [path]).status).toBe(0);
const list = (d: string) => readdirSync(d).sort();
const repoWithSystem = () => writeRepo(dir(), { "systems/s.yaml": "id: SYS-001\nname: ERP\nowner: IT\n" });

describe("writers against symlinked, dangling, special and file paths: one line, exit 2, nothing written", () => {
  it("init into a symlink to a folder, a dangling symlink, a file, a FIFO and /dev/null", () => {
    const d = dir();
    mkdirSync(join(d, "real"));
    symlinkSync(join(d, "real"), join(d, "link"));
    symlinkSync(join(d, "nowhere"), join(d, "dangling"));
    writeFileSync(join(d, "file"), "x");
    mkfifo(join(d, "fifo"));
    expectRefused(runCli(["init", join(d, "link")]), `\`${join(d, "link")}\` is a symbolic link (to \`${join(d, "real")}\`); init never writes through links, so pass the real folder`);
    expectRefused(runCli(["init", join(d, "dangling")]), `\`${join(d, "dangling")}\` is a symbolic link (to \`${join(d, "nowhere")}\`); init never writes through links, so pass the real folder`);
    expectRefused(runCli(["init", join(d, "file")]), `\`${join(d, "file")}\` exists and is not a folder; choose a new or empty folder`);
    expectRefused(runCli(["init", join(d, "fifo")]), `\`${join(d, "fifo")}\` exists and is not a folder; choose a new or empty folder`);
    expectRefused(runCli(["init", "/dev/null"]), "`/dev/null` exists and is not a folder; choose a new or empty folder");
    expectRefused(runCli(["init", join(d, "file", "sub")]), `cannot write the repository in \`${join(d, "file", "sub")}\` (ENOTDIR); choose a folder you can write to, nothing was left behind`);
    expect(list(join(d, "real"))).toEqual([]);
    expect(existsSync(join(d, "nowhere"))).toBe(false);
    expect(list(d)).toEqual(["dangling", "fifo", "file", "link", "real"]);
  });

  it("init --force over a directory symlink or a file where the template has a folder refuses before writing anything", () => {
    const d = dir();
    const target = join(d, "gov");
    const outside = join(d, "outside");
    mkdirSync(outside);
    writeRepo(target, { "README.md": "# mine\n" });
    symlinkSync(outside, join(target, "policies"));
    expectRefused(runCli(["init", target, "--force"]), `\`policies\` in \`${target}\` is a symbolic link; init never writes through links, so replace it with a folder or init elsewhere (nothing was written)`);
    expect(list(target)).toEqual(["README.md", "policies"]);
    expect(list(outside)).toEqual([]);

    const t2 = writeRepo(join(d, "gov2"), { sops: "a file, not a folder\n" });
    expectRefused(runCli(["init", t2, "--force"]), `\`sops\` in \`${t2}\` is not a folder but the template needs one there; move it away or init elsewhere (nothing was written)`);
    expect(list(t2)).toEqual(["sops"]);
    const t3 = dir();
    mkdirSync(join(t3, "policyops.yaml"));
    expectRefused(runCli(["init", t3, "--force"]), `\`policyops.yaml\` in \`${t3}\` is not a regular file but the template has a file there; move it away or init elsewhere (nothing was written)`);
    expect(list(t3)).toEqual(["policyops.yaml"]);
  });

  it("new into a dangling kind-folder symlink, a kind folder linking out of the repository, a kind 'folder' that is a file, and roots that are missing, dangling or /dev/null", () => {
    const root = repoWithSystem();
    const outside = dir();
    symlinkSync(join(root, "gone"), join(root, "policies"));
    expectRefused(runCli(["new", "policy", "--title", "Backup", root]), "kind folder `policies` is a broken symlink; make `policies` a folder inside the repository or set `paths.policy` in policyops.yaml to one.");
    unlinkSync(join(root, "policies"));
    symlinkSync(outside, join(root, "sops"));
    expectRefused(runCli(["new", "sop", "--title", "Rebuild", root]), "kind folder `sops` leaves the repository; make `sops` a folder inside the repository or set `paths.sop` in policyops.yaml to one.");
    unlinkSync(join(root, "sops"));
    writeFileSync(join(root, "manuals"), "not a folder\n");
    expectRefused(runCli(["new", "manual", "--title", "Guide", root]), "kind folder `manuals` is not a folder; make `manuals` a folder inside the repository or set `paths.manual` in policyops.yaml to one.");
    expect(lstatSync(join(root, "manuals")).isFile()).toBe(true);
    unlinkSync(join(root, "manuals"));
    mkfifo(join(root, "vendors"));
    expectRefused(runCli(["new", "vendor", "--title", "Acme", root]), "kind folder `vendors` is not a folder; make `vendors` a folder inside the repository or set `paths.vendor` in policyops.yaml to one.");
    expect(list(outside)).toEqual([]);
    expect(existsSync(join(root, "gone"))).toBe(false);

    const d = dir();
    symlinkSync(join(d, "nowhere"), join(d, "dangling"));
    expectRefused(runCli(["new", "policy", "--title", "X", join(d, "missing")]), `\`${join(d, "missing")}\` does not exist; create the folder first or pass the repository's folder`);
    expectRefused(runCli(["new", "policy", "--title", "X", join(d, "dangling")]), `\`${join(d, "dangling")}\` is a symbolic link to \`${join(d, "nowhere")}\`, which does not exist; fix the link or pass the real folder`);
    expectRefused(runCli(["new", "policy", "--title", "X", "/dev/null"]), "`/dev/null` is a device, not a folder; pass the repository's folder");
    expect(list(d)).toEqual(["dangling"]);
  });

  it("import-catalog into a root that is a file, missing or dangling, over a dangling symlink, into a dangling frameworks link, from a FIFO or /dev/null", () => {
    const d = dir();
    writeFileSync(join(d, "file"), "x");
    expectRefused(runCli(["import-catalog", OSCAL, "--id", "CSF-X", join(d, "file")]), `\`${join(d, "file")}\` is a file, not a folder; pass the repository's folder`);
    expectRefused(runCli(["import-catalog", OSCAL, "--id", "CSF-X", join(d, "missing")]), `\`${join(d, "missing")}\` does not exist; create the folder first or pass the repository's folder`);
    expect(existsSync(join(d, "missing"))).toBe(false);

    const root = dir();
    mkdirSync(join(root, "frameworks"));
    symlinkSync(join(root, "nowhere.yaml"), join(root, "frameworks", "CSF-X.yaml"));
    expectRefused(runCli(["import-catalog", OSCAL, "--id", "CSF-X", root]), "`frameworks/CSF-X.yaml` already exists; use --force to replace it");
    expect(readlinkSync(join(root, "frameworks", "CSF-X.yaml"))).toBe(join(root, "nowhere.yaml"));

    const root2 = dir();
    symlinkSync(join(root2, "gone"), join(root2, "frameworks"));
    expectRefused(runCli(["import-catalog", OSCAL, "--id", "CSF-X", root2]), "kind folder `frameworks` is a broken symlink; make `frameworks` a folder inside the repository or set `paths.framework` in policyops.yaml to one.");
    expect(existsSync(join(root2, "gone"))).toBe(false);

    mkfifo(join(d, "oscal.fifo"));
    expectRefused(runCli(["import-catalog", join(d, "oscal.fifo"), "--id", "CSF-X", root2]), `\`${join(d, "oscal.fifo")}\` is not a regular file (a FIFO, device or socket); give the path of an OSCAL catalogue in JSON`);
    expectRefused(runCli(["import-catalog", "/dev/null", "--id", "CSF-X", root2]), "`/dev/null` is not a regular file (a FIFO, device or socket); give the path of an OSCAL catalogue in JSON");
  });

  it("import-catalog of malformed OSCAL is refused with the JSON path of the problem and writes nothing", () => {
    const root = writeRepo(dir(), {
      "no-id.json": JSON.stringify({ catalog: { groups: [{ id: "ac", controls: [{ title: "Nameless" }] }] } }),
      "not-list.json": JSON.stringify({ catalog: { groups: { id: "ac" } } }),
      "bad-title.json": JSON.stringify({ catalog: { controls: [{ id: "c-1", title: 42 }] } }),
      "twice.json": JSON.stringify({ catalog: { controls: [{ id: "c-1", title: "A" }, { id: "c-1", title: "B" }] } }),
      "spaces.json": JSON.stringify({ catalog: { controls: [{ id: "c 1", title: "A" }] } }),
      "null.json": "null",
    });
    const run = (f: string) => runCli(["import-catalog", join(root, f), "--id", "MINI-1", root]);
    expectRefused(run("no-id.json"), `${join(root, "no-id.json")}: \`catalog.groups[0].controls[0]\` has no usable \`id\` (none); give every group and control an id without spaces`);
    expectRefused(run("not-list.json"), `${join(root, "not-list.json")}: \`catalog.groups\` is not a list; fix the catalogue or export it again as OSCAL JSON`);
    expectRefused(run("bad-title.json"), `${join(root, "bad-title.json")}: \`catalog.controls[0].title\` of \`c-1\` is not text; fix the catalogue or export it again as OSCAL JSON`);
    expectRefused(run("twice.json"), `${join(root, "twice.json")}: control \`c-1\` appears twice (\`catalog.controls[0]\` and \`catalog.controls[1]\`); keep one of them`);
    expectRefused(run("spaces.json"), `${join(root, "spaces.json")}: \`catalog.controls[0]\` has no usable \`id\` (\`"c 1"\`); give every group and control an id without spaces`);
    expectRefused(run("null.json"), `${join(root, "null.json")}: not an OSCAL catalogue: no top-level \`catalog\` object`);
    expect(existsSync(join(root, "frameworks"))).toBe(false);
  });

  it("a full disk on stdout is one line and exit 2 (not 1, which means findings), for help, reports and writers", () => {
    const root = writeRepo(dir(), { "systems/s.yaml": "id: SYS-001\nname: ERP\nowner: IT\n" });
    for (const args of [["--help"], ["validate", root], ["licences", root, "--format", "json"], ["new", "vendor", "--title", "Acme", root]]) {
      const full = openSync("/dev/full", "w");
      try {
        const r = spawnSync(process.execPath, [CLI, ...args], { stdio: ["ignore", full, "pipe"], encoding: "utf8" });
        expectRefused({ status: r.status ?? -1, stdout: "", stderr: r.stderr }, "cannot write the output (`ENOSPC`); free space on the device or send the output elsewhere.");
      } finally {
        closeSync(full);
      }
    }
  });
});
