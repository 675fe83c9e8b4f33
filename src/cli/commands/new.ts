import { Argument, Command } from "commander";
import { join, resolve } from "node:path";
import { Document } from "yaml";
import { addMonths, formatDay, load, parseDay, resolveToday, UsageError, type Kind, type Workspace } from "../../engine/index.js";
import { cwdOf, todayFrom, type CliIO } from "../io.js";
import { createFileAtomically, lstatOrNull, requireFolder, requireWritableFolderInside } from "../write-file.js";
import { withDateAndConfig } from "../options.js";

const NEW_KINDS = ["policy", "sop", "manual", "licence", "vendor", "system"] as const;
type NewKind = (typeof NEW_KINDS)[number];
const PREFIX: Record<NewKind, string> = { policy: "POL", sop: "SOP", manual: "MAN", licence: "LIC", vendor: "VEN", system: "SYS" };

/** The next free `PREFIX-NNN` id: one above the highest numbered one, as wide as the widest. */
export function nextId(ws: Workspace, prefix: string): string {
  let max = 0;
  let width = 3;
  const pattern = new RegExp(`^${prefix}-(\\d+)$`);
  for (const d of ws.documents()) {
    const m = d.id ? pattern.exec(d.id) : null;
    if (m) {
      max = Math.max(max, Number(m[1]));
      width = Math.max(width, m[1]!.length);
    }
  }
  return `${prefix}-${String(max + 1).padStart(width, "0")}`;
}

export const slugify = (title: string): string =>
  title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "document";

/** Front matter / record fields for a fresh document: a draft that validates as it is. */
function fields(kind: NewKind, id: string, title: string, owner: string, today: string, ws: Workspace, system?: string): Record<string, unknown> {
  const cycle = ws.config.reviews.default_cycle_months;
  switch (kind) {
    case "policy":
      return { id, title, version: "0.1", status: "draft", owner, review_cycle_months: cycle, controls: [], tags: [] };
    case "sop":
      return { id, title, version: "0.1", status: "draft", owner, review_cycle_months: cycle, policies: [], systems: [], controls: [], audience: "it-staff" };
    case "manual":
      return { id, title, version: "0.1", status: "draft", owner, system, audience: "administrators" };
    case "licence": {
      const start = parseDay(today)!;
      return { id, product: title, type: "subscription", owner, seats: 0, assigned: 0, start_date: today, expiry_date: formatDay(addMonths(start, 12)), renewal_notice_days: ws.config.licences.default_notice_days, auto_renew: false };
    }
    case "vendor":
      return { id, name: title, owner, risk: "medium", contacts: [] };
    case "system":
      return { id, name: title, owner, criticality: "medium", licences: [], manuals: [], sops: [] };
  }
}

function body(kind: NewKind, title: string, ws: Workspace): string {
  const sections = ws.config.sections[kind as "policy" | "sop" | "manual"] ?? [];
  const hints: Record<string, string> = {
    purpose: "Why this document exists and what it protects.",
    scope: "Who and what it applies to: people, systems, locations.",
    policy: "The numbered statements people must follow.",
    procedure: "1. The first step, with who does it.\n2. The next step.",
  };
  const parts = [`# ${title}`, ""];
  for (const s of sections.length ? sections : ["Overview"]) parts.push(`## ${s}`, "", hints[s.toLowerCase()] ?? "TODO", "");
  return parts.join("\n");
}

export function newCommand(io: CliIO): Command {
  return withDateAndConfig(new Command("new"), "creation date (YYYY-MM-DD); default POLICYOPS_TODAY or the real date")
    .description("Create a document from the template with the next free id (never overwrites).")
    .addArgument(new Argument("<kind>", "kind of document").choices(NEW_KINDS))
    .argument("[root]", "policy repository", ".")
    .requiredOption("--title <title>", "title (or product/name for licence, vendor, system)")
    .option("--owner <owner>", "owner role or person", "IT Director")
    .option("--system <id>", "for a manual: the system it documents (default: the first system)")
    .action(async (kind: NewKind, rootArg: string, flags: { title: string; owner: string; system?: string; today?: string; config?: string }) => {
      const title = flags.title.trim();
      if (!title) throw new UsageError("--title must not be empty");
      const root = resolve(cwdOf(io), rootArg);
      requireFolder(root, rootArg);
      const ws = await load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd: cwdOf(io), git: false });
      const today = resolveToday(todayFrom(io, flags.today));
      let system = flags.system;
      if (kind === "manual" && !system) {
        system = ws.documents().find((d) => d.kind === "system" && d.id)?.id ?? undefined;
        if (!system) throw new UsageError("a manual documents a system: pass --system <id> (the repository has no system yet)");
      }
      const id = nextId(ws, PREFIX[kind]);
      const values = fields(kind, id, title, flags.owner, today, ws, system);
      const yaml = new Document(values).toString({ lineWidth: 0 });
      const isMarkdown = kind === "policy" || kind === "sop" || kind === "manual";
      const content = isMarkdown ? `---\n${yaml}---\n\n${body(kind, title, ws)}` : yaml;
      const folder = ws.config.paths[kind as Kind];
      requireWritableFolderInside(root, folder);
      const base = slugify(title);
      const ext = isMarkdown ? ".md" : ".yaml";
      let file = `${folder}/${base}${ext}`;
      // lstat, not exists: a dangling link or a pipe with that name is taken too.
      for (let n = 2; lstatOrNull(join(root, file)); n++) file = `${folder}/${base}-${n}${ext}`;
      // The draft must validate where it goes (a manual's --system must exist, an owner must
      // not be empty …): check it in the repository before anything is written.
      ws.add(file, content);
      const problems = ws.findingsFor(file).filter((f) => f.severity === "error");
      if (problems.length > 0) {
        const p = problems[0]!;
        throw new UsageError(`the new ${kind} would not validate (${p.code} at line ${p.line}: ${p.message.replace(/\.$/, "")}); change the options, nothing was written`);
      }
      try {
        createFileAtomically(join(root, file), content);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new UsageError(`${file} appeared while writing; nothing was overwritten, run the command again`);
        throw e;
      }
      io.out(`Created ${file} (${id}).\n`);
    });
}
