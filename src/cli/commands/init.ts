import { Command } from "commander";
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../engine/index.js";
import { cwdOf, type CliIO } from "../io.js";

/** The bundled starter repository, next to dist/ in the package. */
export const TEMPLATE_DIR = fileURLToPath(new URL("../policies-template/", import.meta.url));

export function initCommand(io: CliIO): Command {
  return new Command("init")
    .description("Start a policy repository from the bundled template (policies, SOPs, licences, CI and editor files).")
    .argument("[dir]", "folder to create or fill", ".")
    .option("--force", "fill a non-empty folder; files that already exist are kept, never overwritten")
    .action((dirArg: string, flags: { force?: boolean }) => {
      const dir = resolve(cwdOf(io), dirArg);
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`\`${dirArg}\` exists and is not a folder`);
      const entries = existsSync(dir) ? readdirSync(dir).filter((e) => e !== ".git") : [];
      if (entries.length > 0 && !flags.force) throw new UsageError(`\`${dirArg}\` is not empty; use --force to add the template's files without overwriting any`);
      mkdirSync(dir, { recursive: true });
      const kept: string[] = [];
      let copied = 0;
      cpSync(TEMPLATE_DIR, dir, {
        recursive: true,
        force: false,
        errorOnExist: false,
        filter: (src) => {
          const target = join(dir, relative(TEMPLATE_DIR, src));
          if (statSync(src).isFile()) {
            if (existsSync(target)) kept.push(relative(dir, target));
            else copied++;
          }
          return true;
        },
      });
      io.out(`Created a policy repository in ${dirArg} (${copied} files${kept.length ? `; kept ${kept.length} existing: ${kept.join(", ")}` : ""}).\n`);
      io.out(`Next: cd ${dirArg} && git init && npx policyops validate\n`);
    });
}
