import { Argument, Command } from "commander";
import { join, resolve } from "node:path";
import { Document } from "yaml";
import { draft, kinds, load, resolveToday, UsageError, type Workspace } from "../../engine/index.js";
import { cwdOf, todayFrom, type CliIO } from "../io.js";
import { createFileAtomically, lstatOrNull, requireFolder, requireWritableFolderInside } from "../write-file.js";
import { withDateAndConfig } from "../options.js";

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

export function draftBody(kind: string, title: string, ws: Workspace): string {
  const sections = ws.config.sections[kind] ?? [];
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
    .addArgument(new Argument("<kind>", "kind of document: a built-in kind or one of the repository's own (kinds/*.schema.json)"))
    .argument("[root]", "policy repository", ".")
    .requiredOption("--title <title>", "title (the kind's title field: product or name for records that have no title)")
    .option("--owner <owner>", "owner role or person", "IT Director")
    .option("--system <id>", "for a kind that requires a `system` reference: the system it documents (default: the first system)")
    .action(async (kind: string, rootArg: string, flags: { title: string; owner: string; system?: string; today?: string; config?: string }) => {
      const title = flags.title.trim();
      if (!title) throw new UsageError("--title must not be empty");
      const root = resolve(cwdOf(io), rootArg);
      requireFolder(root, rootArg);
      const ws = await load(root, { today: todayFrom(io, flags.today), config: flags.config, cwd: cwdOf(io), git: false });
      const today = resolveToday(todayFrom(io, flags.today));
      const def = kinds().get(kind);
      if (!def) throw new UsageError(`unknown kind \`${kind}\`; use one of ${kinds().defs.filter((d) => d.idPrefix).map((d) => `\`${d.kind}\``).join(", ")}, or declare it in \`kinds/${kind}.schema.json\``);
      if (!def.idPrefix) throw new UsageError(`kind \`${kind}\` has no \`idPrefix\` in its schema's \`x-policyops\` block, so \`new\` cannot number it${def.traits.includes("catalogue") ? `; use \`policyops import-catalog\` for ${def.folder}` : "; add one to " + def.source}`);
      const id = nextId(ws, def.idPrefix);
      const values = draft(def, { id, title, owner: flags.owner, today, documents: ws.documents(), refs: { system: flags.system } });
      const yaml = new Document(values).toString({ lineWidth: 0 });
      const isMarkdown = def.format === "markdown";
      const content = isMarkdown ? `---\n${yaml}---\n\n${draftBody(kind, title, ws)}` : yaml;
      const folder = ws.config.paths[kind]!;
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
