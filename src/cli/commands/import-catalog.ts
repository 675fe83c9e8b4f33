import { Command } from "commander";
import { existsSync, renameSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { Document } from "yaml";
import { controlsFromOscal, loadConfig, nodeHost, UsageError, type OscalCatalog } from "../../engine/index.js";
import { PathRefused, readBounded } from "../../engine/host/safe-path.js";
import type { CliIO } from "../io.js";
import { CONFIG_HELP } from "../options.js";
import { createFileAtomically } from "../write-file.js";

const MAX_CATALOGUE_BYTES = 256 * 1024 * 1024;
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
      let text: string;
      try {
        // Bounded, and never a FIFO or device (a FIFO would block, /dev/zero never ends).
        text = Buffer.from(readBounded(oscalPath, MAX_CATALOGUE_BYTES)).toString("utf8");
      } catch (e) {
        const why = e instanceof PathRefused ? e.message : `cannot be read (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`;
        throw new UsageError(`\`${oscalPath}\` ${why}; give the path of an OSCAL catalogue in JSON`);
      }
      try {
        oscal = JSON.parse(text) as OscalCatalog;
      } catch (e) {
        // The parser's message quotes the file; say where, never what.
        const at = /position \d+/.exec((e as Error).message)?.[0];
        throw new UsageError(`cannot read \`${oscalPath}\` as JSON${at ? ` (invalid at ${at})` : ""}; give the path of an OSCAL catalogue in JSON`);
      }
      let controls;
      try {
        controls = controlsFromOscal(oscal);
      } catch (e) {
        throw new UsageError(`${oscalPath}: ${(e as Error).message}`);
      }
      if (controls.length === 0) throw new UsageError(`${oscalPath}: the catalogue has no live controls`);
      const root = resolve(rootArg);
      const config = loadConfig(root, nodeHost, flags.config);
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
