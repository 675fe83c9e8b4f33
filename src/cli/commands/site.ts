import { resolve } from "node:path";
import { Command } from "commander";
import { load, nodeHost, parallelParser, readOnceHost, UsageError } from "../../engine/index.js";
import { buildSite } from "../../site/build.js";
import { DEFAULT_CHROMIUM } from "../../site/pdf.js";
import { readManifest, verifySite } from "../../site/verify.js";
import { rebuildDifferences } from "../../site/verify-rebuild.js";
import { cwdOf, todayFrom, workersFrom, type CliIO } from "../io.js";
import { withDateAndConfig } from "../options.js";
import { VERSION } from "../version.js";

interface SiteFlags {
  out?: string;
  today?: string;
  config?: string;
  pdf?: boolean;
  chromium: string;
  emails?: boolean;
}

/** `policyops site [root] --out DIR` (SPEC §4): the auditors' static site. */
export function siteCommand(io: CliIO): Command {
  return withDateAndConfig(
    new Command("site")
      .description("Write the auditors' static site: every document and register, compliance, reviews, search, data/*.json and a manifest; opens from file://.")
      .argument("[root]", "policy repository", ".")
      .option("--out <dir>", "folder to write the site into (new, empty, or one an earlier `site` run wrote)")
      .option("--pdf", "also print every document page to pdf/<id>.pdf with a local Chromium")
      .option("--chromium <path>", "Chromium to print with (--pdf)", DEFAULT_CHROMIUM)
      .option("--emails", "show authors' e-mail addresses in document histories (default: names only)"),
  )
    .addHelpText(
      "after",
      [
        "",
        "The site writes only inside --out. It refuses the repository root, a governed folder and /,",
        "  and a non-empty folder that holds no site of its own; rebuilding deletes only the files",
        "  the previous build listed in its manifest.json.",
        "Exit codes: 0 site written, 2 usage or config error.",
      ].join("\n"),
    )
    .action(async (root: string, flags: SiteFlags) => {
      if (flags.out === undefined || flags.out === "") throw new UsageError("`site` needs `--out DIR`: the folder to write the site into, e.g. `--out _site`");
      const cwd = cwdOf(io);
      const workers = workersFrom(io);
      // Each file is parsed, hashed for the manifest and rendered: read from the disk once.
      const ws = await load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd, host: readOnceHost(nodeHost), incremental: false, parseAll: parallelParser({ workers }) });
      for (const notice of ws.notices()) io.err(`policyops: note: ${notice}\n`);
      const out = resolve(cwd, flags.out);
      // POLICYOPS_WORKERS sets the body-rendering threads too: 1 renders on this thread.
      const threads = workers === undefined ? undefined : workers < 2 ? 0 : workers;
      const r = await buildSite(ws, { out, shownOut: flags.out, toolVersion: VERSION, emails: flags.emails, threads, ...(flags.pdf ? { pdf: { chromium: flags.chromium } } : {}) });
      io.out(`Wrote ${r.pages} files for ${r.documents} documents to ${flags.out}; open ${resolve(out, "index.html")}\n`);
    });
}

/** `policyops verify-site DIR [root]` (SPEC §4): exit 0 when every hash matches, 1 with each difference. */
export function verifySiteCommand(io: CliIO, setExit: (code: number) => void): Command {
  return withDateAndConfig(
    new Command("verify-site")
      .description("Re-check a built site against a repository: every source file's sha256 and every page of the site against its manifest.json.")
      .argument("<dir>", "the site's folder")
      .argument("[root]", "policy repository", ".")
      .option("--rebuild", "also build the site again from the repository (the manifest's commit checked out) and compare every file: catches a page altered together with its hash in the manifest"),
  )
    .addHelpText(
      "after",
      [
        "",
        "--rebuild builds as of the manifest's date and build time, with the same version as built",
        "  the site (else exit 2), into a temporary folder it removes; PDFs are checked against the",
        "  manifest only.",
        "Exit codes: 0 every hash matches, 1 differences (one line each), 2 usage error (no manifest, missing root).",
      ].join("\n"),
    )
    .action(async (dir: string, root: string, flags: { config?: string; today?: string; rebuild?: boolean }) => {
      const cwd = cwdOf(io);
      const siteDir = resolve(cwd, dir);
      const manifest = readManifest(siteDir);
      if (typeof manifest === "string") throw new UsageError(`${manifest}; give the folder \`policyops site --out\` wrote`);
      // A rebuild evaluates dates as the build did and needs the history its pages show.
      const today = flags.rebuild ? manifest.today : todayFrom(io, flags.today);
      const ws = await load(root, { today, config: flags.config, cwd, host: readOnceHost(nodeHost), git: flags.rebuild === true, incremental: false, parseAll: parallelParser({ workers: workersFrom(io) }) });
      const diffs = verifySite(siteDir, manifest, ws.sourceFiles(), ws.root);
      // Against altered sources the rebuild would only repeat the differences above.
      if (flags.rebuild && diffs.length === 0) diffs.push(...(await rebuildDifferences(siteDir, manifest, ws, VERSION)));
      for (const d of diffs) io.out(`${d.message}\n`);
      if (diffs.length === 0) io.out(`Site ${dir} matches: ${manifest.sources.length} source files and ${manifest.pages.length} site files have the hashes in its manifest${flags.rebuild ? `, and a rebuild from commit ${manifest.commit ?? "none"} gives the same files` : ""} (commit ${manifest.commit ?? "none"}, built ${manifest.built}).\n`);
      else io.out(`${diffs.length} difference${diffs.length === 1 ? "" : "s"} between ${dir} and the repository.\n`);
      setExit(diffs.length === 0 ? 0 : 1);
    });
}
