import { resolve } from "node:path";
import { Command } from "commander";
import { kinds, load, parallelParser, UsageError } from "../../engine/index.js";
import { buildSite } from "../../site/build.js";
import { defaultRenderThreads, RenderPool } from "../../site/render-pool.js";
import { DEFAULT_CHROMIUM } from "../../site/pdf.js";
import { readManifest, verifySite } from "../../site/verify.js";
import { cwdOf, todayFrom, workersFrom, type CliIO } from "../io.js";
import { withDateAndConfig } from "../options.js";
import { VERSION } from "../version.js";

/** The order of the site's documents (the engine's `allFacts`): by path. */
const byPath = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);

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
      // POLICYOPS_WORKERS sets the body-rendering threads too: 1 renders on this thread.
      const threads = workers === undefined ? undefined : workers < 2 ? 0 : workers;
      // The render threads start as soon as the files are known and render bodies ahead while
      // this thread parses and checks them (on two cores, the other one is free meanwhile).
      let pool: RenderPool | null = null;
      const parser = parallelParser({ workers });
      const parseAll: typeof parser = (rootDir, files, host) => {
        pool = RenderPool.start(threads ?? defaultRenderThreads(files.length));
        const registry = kinds();
        pool?.prerender(rootDir, [...files].sort(byPath).map((g) => ({ file: g.file, markdown: registry.get(g.kind)?.format === "markdown" })));
        return parser(rootDir, files, host);
      };
      try {
        const ws = await load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd, incremental: false, parseAll });
        for (const notice of ws.notices()) io.err(`policyops: note: ${notice}\n`);
        const out = resolve(cwd, flags.out);
        const r = await buildSite(ws, { out, shownOut: flags.out, toolVersion: VERSION, emails: flags.emails, pool, ...(flags.pdf ? { pdf: { chromium: flags.chromium } } : {}) });
        io.out(`Wrote ${r.pages} files for ${r.documents} documents to ${flags.out}; open ${resolve(out, "index.html")}\n`);
      } finally {
        await (pool as RenderPool | null)?.close();
      }
    });
}

/** `policyops verify-site DIR [root]` (SPEC §4): exit 0 when every hash matches, 1 with each difference. */
export function verifySiteCommand(io: CliIO, setExit: (code: number) => void): Command {
  return withDateAndConfig(
    new Command("verify-site")
      .description("Re-check a built site against a repository: every source file's sha256 and every page of the site against its manifest.json.")
      .argument("<dir>", "the site's folder")
      .argument("[root]", "policy repository", "."),
  )
    .addHelpText("after", ["", "Exit codes: 0 every hash matches, 1 differences (one line each), 2 usage error (no manifest, missing root)."].join("\n"))
    .action(async (dir: string, root: string, flags: { config?: string; today?: string }) => {
      const cwd = cwdOf(io);
      const siteDir = resolve(cwd, dir);
      const manifest = readManifest(siteDir);
      if (typeof manifest === "string") throw new UsageError(`${manifest}; give the folder \`policyops site --out\` wrote`);
      const ws = await load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd, git: false, incremental: false, parseAll: parallelParser({ workers: workersFrom(io) }) });
      const diffs = verifySite(siteDir, manifest, ws.sourceFiles(), ws.root);
      for (const d of diffs) io.out(`${d.message}\n`);
      if (diffs.length === 0) io.out(`Site ${dir} matches: ${manifest.sources.length} source files and ${manifest.pages.length} site files have the hashes in its manifest (commit ${manifest.commit ?? "none"}, built ${manifest.built}).\n`);
      else io.out(`${diffs.length} difference${diffs.length === 1 ? "" : "s"} between ${dir} and the repository.\n`);
      setExit(diffs.length === 0 ? 0 : 1);
    });
}
