import { Command } from "commander";
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDay, parseDay, resolveToday, UsageError } from "../../engine/index.js";
import { cwdOf, todayFrom, type CliIO } from "../io.js";
import { isoDate } from "../options.js";
import { VERSION } from "../version.js";
import { lstatOrNull } from "../write-file.js";

/** The bundled starter repository, next to dist/ in the package. */
export const TEMPLATE_DIR = fileURLToPath(new URL("../policies-template/", import.meta.url));

/**
 * The day the template's dates are written for: `init` moves every date by the days between
 * this and today, so a new repository is exactly as fresh as the template was on this day
 * (approvals in the past, reviews and renewals ahead). tests/template.test.ts keeps the
 * template clean on this day and for months after it.
 */
export const TEMPLATE_AS_OF = "2026-11-22";

/** The organisation name the template is written for; `--org` replaces it. */
export const TEMPLATE_ORG = "Example Org";

/**
 * Files npm never packs under their real name (`npm pack` drops every `.gitignore`), kept
 * in the template under another name and written under the real one.
 */
export const RENAMED: Readonly<Record<string, string>> = { gitignore: ".gitignore" };

/** A calendar date, alone or as the day of a date-time (`2026-10-14T07:52:00Z`, an incident's `detected_at`). */
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(?=\b|T\d)/g;
const PINNED = /\bpolicyops@\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?/g;

export interface StampOptions {
  /** Days to move every date by. */
  shiftDays: number;
  /** Organisation name to put in place of the template's. */
  org?: string;
  /** Package version pinned in CI and hook files. */
  version: string;
}

/**
 * One template file's text for a new repository: every calendar date moved by the same
 * number of days (so their order and distances stay), the organisation named, the pinned
 * version set. Only those tokens change: comments, quoting and layout stay byte for byte.
 */
export function stampText(text: string, o: StampOptions): string {
  let out = o.shiftDays === 0 ? text : text.replace(ISO_DATE, (all) => {
    const day = parseDay(all);
    return day === null ? all : formatDay(day + o.shiftDays);
  });
  if (o.org !== undefined && o.org !== TEMPLATE_ORG) out = out.split(TEMPLATE_ORG).join(o.org);
  return out.replace(PINNED, `policyops@${o.version}`);
}

/** Every template file: repository-relative target path → template source path. */
function templateFiles(): { target: string; source: string }[] {
  const out: { target: string; source: string }[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const rel = relative(TEMPLATE_DIR, p).split(sep).join("/");
        const parts = rel.split("/");
        parts[parts.length - 1] = RENAMED[name] ?? name;
        out.push({ target: parts.join("/"), source: p });
      }
    }
  };
  walk(TEMPLATE_DIR);
  return out;
}

const BINARY = /\0/;

/** An organisation name that reads right in Markdown, YAML comments and folded text. */
function checkOrg(org: string): string {
  const trimmed = org.trim();
  if (!trimmed || trimmed.length > 100 || /[\u0000-\u001f\u007f]/.test(trimmed))
    throw new UsageError(`--org \`${org.replace(/[\u0000-\u001f\u007f]/g, "?")}\` is not a usable name; give one line of 1 to 100 characters, e.g. --org "Acme Ltd"`);
  return trimmed;
}

export function initCommand(io: CliIO): Command {
  return new Command("init")
    .description("Start a policy repository from the bundled template (policies, SOPs, licences, CI and editor files), its dates set relative to today.")
    .argument("[dir]", "folder to create or fill", ".")
    .option("--force", "fill a non-empty folder; files that already exist are kept, never overwritten")
    .option("--org <name>", `organisation name to write in place of "${TEMPLATE_ORG}"`)
    .option("--today <date>", "the day the repository starts (YYYY-MM-DD): approvals fall before it, reviews and renewals after; default POLICYOPS_TODAY or the real date", isoDate)
    .action((dirArg: string, flags: { force?: boolean; org?: string; today?: string }) => {
      const org = flags.org === undefined ? undefined : checkOrg(flags.org);
      const today = resolveToday(todayFrom(io, flags.today));
      const dir = resolve(cwdOf(io), dirArg);
      const top = lstatOrNull(dir);
      if (top?.isSymbolicLink()) {
        const to = readlinkSync(dir);
        throw new UsageError(`\`${dirArg}\` is a symbolic link (to \`${to}\`); init never writes through links, so pass the real folder`);
      }
      if (top && !top.isDirectory()) throw new UsageError(`\`${dirArg}\` exists and is not a folder; choose a new or empty folder`);
      const entries = top ? readdirSync(dir).filter((e) => e !== ".git") : [];
      if (entries.length > 0 && !flags.force) throw new UsageError(`\`${dirArg}\` is not empty; use --force to add the template's files without overwriting any`);

      // Plan everything before writing anything: a link, a file where a folder goes or a
      // folder where a file goes stops the command with nothing written.
      const stamp: StampOptions = { shiftDays: parseDay(today)! - parseDay(TEMPLATE_AS_OF)!, org, version: VERSION };
      const kept: string[] = [];
      const writes: { target: string; content: string | Buffer }[] = [];
      const checkedDirs = new Set<string>();
      for (const { target, source } of templateFiles()) {
        const parts = target.split("/");
        for (let i = 1; i < parts.length; i++) {
          const folder = parts.slice(0, i).join("/");
          if (checkedDirs.has(folder)) continue;
          checkedDirs.add(folder);
          const s = lstatOrNull(join(dir, folder));
          if (s?.isSymbolicLink()) throw new UsageError(`\`${folder}\` in \`${dirArg}\` is a symbolic link; init never writes through links, so replace it with a folder or init elsewhere (nothing was written)`);
          if (s && !s.isDirectory()) throw new UsageError(`\`${folder}\` in \`${dirArg}\` is not a folder but the template needs one there; move it away or init elsewhere (nothing was written)`);
        }
        const s = lstatOrNull(join(dir, target));
        if (s && (s.isDirectory() || (!s.isFile() && !s.isSymbolicLink())))
          throw new UsageError(`\`${target}\` in \`${dirArg}\` is not a regular file but the template has a file there; move it away or init elsewhere (nothing was written)`);
        if (s) {
          kept.push(target);
          continue;
        }
        const bytes = readFileSync(source);
        writes.push({ target, content: BINARY.test(bytes.toString("latin1")) ? bytes : stampText(bytes.toString("utf8"), stamp) });
      }
      // Written files and created folders, undone if a write fails half-way (full disk, permissions).
      const created: string[] = [];
      const mkdirs = (abs: string): void => {
        const first = mkdirSync(abs, { recursive: true });
        if (first) for (let p = abs; p.length >= first.length; p = resolve(p, "..")) created.push(p);
      };
      try {
        mkdirs(dir);
        for (const w of writes) {
          const abs = join(dir, w.target);
          mkdirs(resolve(abs, ".."));
          writeFileSync(abs, w.content, { flag: "wx" });
          created.push(abs);
        }
      } catch (e) {
        for (const p of created.reverse()) {
          try {
            if (lstatSync(p).isDirectory()) rmdirSync(p);
            else unlinkSync(p);
          } catch {
            // already gone, or not ours to remove: leave it
          }
        }
        throw new UsageError(`cannot write the repository in \`${dirArg}\` (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a folder you can write to, nothing was left behind`);
      }
      io.out(`Created a policy repository in ${dirArg} (${writes.length} files, dated for ${today}${org ? `, for ${org}` : ""}${kept.length ? `; kept ${kept.length} existing: ${kept.join(", ")}` : ""}).\n`);
      const installed = lstatOrNull(join(dir, "node_modules", "policyops")) !== null;
      const steps = [
        ...(dirArg === "." ? [] : [`cd ${/^[\w./-]+$/.test(dirArg) ? dirArg : JSON.stringify(dirArg)}`]),
        "git init",
        ...(installed ? [] : [`npm install --save-dev policyops@${VERSION}`]),
        "npx policyops validate",
      ];
      io.out(`Next: ${steps.join(" && ")}\n`);
    });
}
