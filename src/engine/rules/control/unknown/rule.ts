import type { Config } from "../../../config/config.js";
import { defineRule, type Report, type RuleContext } from "../../rule.js";
import { closest } from "../../../model/suggestions.js";
import { kindDef, kinds } from "../../../model/kinds.js";

const didYouMean = (near: string | undefined): string => (near ? ` (did you mean \`${near}\`?)` : "");

const rule = defineRule({
  meta: {
    code: "control/unknown",
    severity: "error",
    description: "Require every control reference to name a framework and control from a known catalogue.",
    appliesTo: { trait: "controls" },
    messages: {
      unknownFramework: "Framework `{framework}` is not known; use a built-in one (`NIST-CSF-2.0`) or add `{folder}/{framework}.yaml`.",
      control: "Control `{control}` is not in `{framework}`{hint}; use an id from the catalogue.",
      configFramework: "`frameworks` lists `{framework}`, which is not a known framework{hint}; correct it, add `{folder}/{framework}.yaml`, or remove the entry.",
      configNotApplicableFramework: "`not_applicable` names `{ref}`, but framework `{framework}` is not known{hint}; correct the framework or remove the entry.",
      configNotApplicableControl: "`not_applicable` names control `{control}`, which is not in `{framework}`{hint}; use an id from the catalogue or remove the entry.",
    },
  },
  check({ doc, repo, config, report }) {
    for (const [pointer, controls] of controlLists(doc.values)) checkList(pointer, controls, repo, catalogueFolder(config), report);
  },
});
export default rule;

/**
 * Every `controls` list of a document: the top-level one, and those of the items of a
 * top-level list (an audit's `findings[].controls`), each with its pointer.
 */
function controlLists(values: Record<string, unknown>): [string, unknown[]][] {
  const out: [string, unknown[]][] = [];
  if (Array.isArray(values.controls)) out.push(["/controls", values.controls]);
  for (const [field, list] of Object.entries(values)) {
    if (!Array.isArray(list)) continue;
    list.forEach((item, i) => {
      const controls = item && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>).controls : undefined;
      if (Array.isArray(controls)) out.push([`/${field}/${i}/controls`, controls]);
    });
  }
  return out;
}

/**
 * Where a new catalogue goes: the folder of the kind with the `catalogue` trait, as this
 * repository's config places it (built in: `frameworks/`), so the advice follows `paths:`.
 */
function catalogueFolder(config: Config): string {
  const kind = kinds().select({ trait: "catalogue" })[0];
  return kind === undefined ? "the catalogue folder" : (config.paths[kind] ?? kindDef(kind)!.folder);
}

function checkList(pointer: string, controls: unknown[], repo: RuleContext["repo"], folder: string, report: RuleContext<keyof typeof rule.meta.messages>["report"]): void {
  controls.forEach((ref, i) => {
    if (typeof ref !== "string") return;
    const colon = ref.indexOf(":");
    if (colon <= 0 || colon === ref.length - 1) return; // malformed: schema/pattern says so
    const framework = ref.slice(0, colon);
    const control = ref.slice(colon + 1);
    const known = repo.framework(framework);
    if (!known) report({ messageId: "unknownFramework", at: `${pointer}/${i}`, data: { framework, folder } });
    else if (!known.has(control)) {
      const near = closest(control, known);
      report({ messageId: "control", at: `${pointer}/${i}`, data: { framework, control, hint: near ? ` (did you mean \`${near}\`?)` : "" } });
    }
  });
}

/** What the config check needs to know about catalogues. */
export interface CatalogueLookup {
  /** The controls of a framework, or undefined if no catalogue declares it. */
  framework(id: string): ReadonlySet<string> | undefined;
  /** Every known framework id (for "did you mean"). */
  frameworkIds(): Iterable<string>;
}

/**
 * SPEC §1: entries of `policyops.yaml` that name frameworks or controls (`frameworks`,
 * `not_applicable`) are checked like document fields. An unknown one is reported at the
 * entry in the config file, never silently ignored (a typo in `not_applicable` would
 * otherwise quietly lower coverage).
 */
export function checkConfigEntries(config: Config, lookup: CatalogueLookup, report: (r: Report & { at: Exclude<Report["at"], string> }) => void): void {
  const entries = config.entries;
  if (!entries) return;
  config.frameworks.forEach((framework, i) => {
    const at = entries.frameworks[i];
    if (!at || lookup.framework(framework)) return;
    report({ messageId: "configFramework", at, data: { framework, folder: catalogueFolder(config), hint: didYouMean(closest(framework, lookup.frameworkIds())) } });
  });
  config.not_applicable.forEach((entry, i) => {
    const at = entries.not_applicable[i];
    const ref = entry.control;
    const colon = ref.indexOf(":");
    if (!at || colon <= 0 || colon === ref.length - 1) return; // the config schema refuses these
    const framework = ref.slice(0, colon);
    const control = ref.slice(colon + 1);
    const known = lookup.framework(framework);
    if (!known) report({ messageId: "configNotApplicableFramework", at, data: { ref, framework, hint: didYouMean(closest(framework, lookup.frameworkIds())) } });
    else if (!known.has(control)) report({ messageId: "configNotApplicableControl", at, data: { framework, control, hint: didYouMean(closest(control, known)) } });
  });
}
