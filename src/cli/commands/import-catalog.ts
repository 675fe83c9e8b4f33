import { Command } from "commander";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { Document } from "yaml";
import { controlsFromOscal, loadConfig, nodeHost, UsageError, type OscalCatalog } from "../../engine/index.js";
import { cwdOf, type CliIO } from "../io.js";
import { CONFIG_HELP } from "../options.js";
import { createFileAtomically } from "../write-file.js";

const FRAMEWORK_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9.]+)+$/;

export function importCatalogCommand(io: CliIO): Command {
  return new Command("import-catalog")
    .description("Turn an OSCAL catalogue (JSON) into frameworks/<ID>.yaml: its live leaf controls, withdrawn ones skipped.")
    .argument("<oscal>", "OSCAL catalogue JSON file")
    .requiredOption("--id <id>", "framework id, e.g. ISO27001-2022 or NIST-800-53-R5")
    .argument("[root]", "policy repository", ".")
    .option("--title <title>", "framework title (default: the catalogue's metadata title)")
    .option("--owner <owner>", "owner of the framework file", "IT Director")
    .option("--force", "replace an existing frameworks/<ID>.yaml")
    .option("--config <file>", CONFIG_HELP)
    .action((oscalPath: string, rootArg: string, flags: { id: string; title?: string; owner: string; force?: boolean; config?: string }) => {
      if (!FRAMEWORK_ID.test(flags.id)) throw new UsageError(`--id \`${flags.id}\` is not a framework id: use upper-case words joined by hyphens, e.g. ISO27001-2022`);
      let oscal: OscalCatalog;
      try {
        oscal = JSON.parse(readFileSync(resolve(cwdOf(io), oscalPath), "utf8")) as OscalCatalog;
      } catch (e) {
        throw new UsageError(`cannot read ${oscalPath} as JSON (${(e as Error).message})`);
      }
      let controls;
      try {
        controls = controlsFromOscal(oscal);
      } catch (e) {
        throw new UsageError(`${oscalPath}: ${(e as Error).message}`);
      }
      if (controls.length === 0) throw new UsageError(`${oscalPath}: the catalogue has no live controls`);
      const root = resolve(cwdOf(io), rootArg);
      const config = loadConfig(root, nodeHost, flags.config, cwdOf(io));
      const file = `${config.paths.framework}/${flags.id}.yaml`;
      const meta = oscal.catalog.metadata ?? {};
      const doc = new Document({
        id: flags.id,
        title: flags.title ?? meta.title ?? flags.id,
        ...(meta.version ? { version: String(meta.version) } : {}),
        owner: flags.owner,
        source: `Imported from ${basename(oscalPath)} (OSCAL catalogue${oscal.catalog.uuid ? ` ${oscal.catalog.uuid}` : ""}) by policyops import-catalog`,
        controls: controls.map((c) => ({ id: c.id, title: c.title })),
      });
      doc.commentBefore = ` ${controls.length} controls. Reference them as ${flags.id}:<control id> in a document's \`controls\`.`;
      const target = join(root, file);
      if (existsSync(target) && !flags.force) throw new UsageError(`${file} already exists; use --force to replace it`);
      if (existsSync(target)) {
        // --force: replace in one rename so the old file is intact until the new one is complete.
        const tmp = `${target}.${process.pid}.tmp`;
        createFileAtomically(tmp, doc.toString({ lineWidth: 0 }));
        renameSync(tmp, target);
      } else createFileAtomically(target, doc.toString({ lineWidth: 0 }));
      io.out(`Wrote ${file}: ${controls.length} controls.\n`);
    });
}
