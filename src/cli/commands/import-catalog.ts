import { Command } from "commander";
import { renameSync, unlinkSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { Document } from "yaml";
import { controlsFromOscal, load, PathRefused, readBounded, UsageError, type OscalCatalog } from "../../engine/index.js";
import { cwdOf, type CliIO } from "../io.js";
import { CONFIG_HELP } from "../options.js";
import { createFileAtomically, lstatOrNull, requireFolder, requireWritableFolderInside } from "../write-file.js";

const MAX_CATALOGUE_BYTES = 256 * 1024 * 1024;
const FRAMEWORK_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9.]+)+$/;

export function importCatalogCommand(io: CliIO): Command {
  return new Command("import-catalog")
    .description("Turn an OSCAL catalogue (JSON) into frameworks/<ID>.yaml: every live control at any depth with its parent, withdrawn ones and CSF-style categories skipped.")
    .argument("<oscal>", "OSCAL catalogue JSON file")
    .requiredOption("--id <id>", "framework id, e.g. ISO27001-2022 or NIST-800-53-R5")
    .argument("[root]", "policy repository (an existing folder)", ".")
    .option("--title <title>", "framework title (default: the catalogue's metadata title)")
    .option("--owner <owner>", "owner of the framework file", "IT Director")
    .option("--force", "replace an existing frameworks/<ID>.yaml")
    .option("--config <file>", CONFIG_HELP)
    .action(async (oscalPath: string, rootArg: string, flags: { id: string; title?: string; owner: string; force?: boolean; config?: string }) => {
      if (!FRAMEWORK_ID.test(flags.id)) throw new UsageError(`--id \`${flags.id}\` is not a framework id: use upper-case words joined by hyphens, e.g. ISO27001-2022`);
      let oscal: OscalCatalog;
      let text: string;
      try {
        // Bounded, and never a FIFO or device (a FIFO would block, /dev/zero never ends).
        text = Buffer.from(readBounded(resolve(cwdOf(io), oscalPath), MAX_CATALOGUE_BYTES)).toString("utf8");
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
      if (controls.length === 0) throw new UsageError(`\`${oscalPath}\` has no live controls; check that it is the catalogue, not a profile or a mapping`);
      const root = resolve(cwdOf(io), rootArg);
      requireFolder(root, rootArg);
      const ws = await load(root, { config: flags.config, cwd: cwdOf(io), git: false });
      // The kind that holds control catalogues: the one whose schema has the `catalogue` trait (built in: `framework`).
      const catalogueKind = ws.kinds.select({ trait: "catalogue" })[0];
      if (catalogueKind === undefined) throw new UsageError("no kind has the `catalogue` trait, so there is no folder to import into; add `\"catalogue\"` to the `traits` of your framework kind's schema");
      const folder = ws.config.paths[catalogueKind]!;
      const file = `${folder}/${flags.id}.yaml`;
      requireWritableFolderInside(root, folder);
      const meta = oscal.catalog.metadata ?? {};
      const doc = new Document({
        id: flags.id,
        title: flags.title ?? (typeof meta.title === "string" && meta.title.trim() ? meta.title : flags.id),
        ...(meta.version !== undefined && meta.version !== null && String(meta.version).trim() ? { version: String(meta.version) } : {}),
        owner: flags.owner,
        source: `Imported from ${basename(oscalPath)} (OSCAL catalogue${typeof oscal.catalog.uuid === "string" ? ` ${oscal.catalog.uuid}` : ""}) by policyops import-catalog`,
        controls: controls.map((c) => ({ id: c.id, title: c.title, ...(c.parent ? { parent: c.parent } : {}) })),
      });
      doc.commentBefore = ` ${controls.length} controls. Reference them as ${flags.id}:<control id> in a document's \`controls\`.`;
      const yamlText = doc.toString({ lineWidth: 0 });
      // What is written must validate: check it in the repository before touching the disk.
      ws.add(file, yamlText);
      const problems = ws.findingsFor(file).filter((f) => f.severity === "error");
      if (problems.length > 0) {
        const p = problems[0]!;
        throw new UsageError(`the framework file made from \`${oscalPath}\` would not validate (${file}:${p.line}: ${p.code}: ${p.message.replace(/\.$/, "")}); fix the catalogue or the options, nothing was written`);
      }
      const target = join(root, file);
      const existing = lstatOrNull(target);
      if (existing && !flags.force) throw new UsageError(`\`${file}\` already exists; use --force to replace it`);
      if (existing && !existing.isFile() && !existing.isSymbolicLink()) throw new UsageError(`\`${file}\` is not a regular file; remove it or choose another --id`);
      if (existing) {
        // --force: replace in one rename so the old file is intact until the new one is complete.
        const tmp = `${target}.${process.pid}.tmp`;
        createFileAtomically(tmp, yamlText);
        try {
          renameSync(tmp, target);
        } catch (e) {
          unlinkSync(tmp);
          throw e;
        }
      } else createFileAtomically(target, yamlText);
      io.out(`Wrote ${file}: ${controls.length} controls.\n`);
    });
}
