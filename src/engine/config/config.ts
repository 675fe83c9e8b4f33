import type { Kind, Range, SeveritySetting } from "../model/types.js";
import { kinds, type KindRegistry } from "../model/kinds.js";

/** `policyops.yaml` with every default filled in (SPEC §1). */
export interface Config {
  version: 1;
  paths: Record<Kind, string>;
  licences: { horizon_days: number; default_notice_days: number; reminders: number[] };
  reviews: { default_cycle_months: number; due_soon_days: number };
  /** High and critical systems need a passing DR test this often (continuity/test-overdue). */
  continuity: { test_interval_months: number };
  /** The highest residual risk score accepted without a recorded acceptance (risk/above-appetite). */
  risks: { appetite: number };
  /** Failed, backed-out and emergency changes are closed by a review within this many days. */
  changes: { review_within_days: number };
  /** Required `## ` headings per Markdown kind (the kinds' schemas give the defaults). */
  sections: Record<Kind, string[]>;
  frameworks: string[];
  /** Folders whose Markdown and YAML files are not governance documents (no `folder/ungoverned`). */
  ignore: string[];
  not_applicable: { control: string; reason: string }[];
  rules: Record<string, SeveritySetting>;
  /** Repo-relative path of the config file it came from, or null for pure defaults. */
  source: string | null;
  /**
   * Where the entries that name frameworks and controls are written in `source`, by index
   * (`frameworks[i]`, `not_applicable[i].control`), so unknown ones are findings there.
   */
  entries?: { frameworks: (Range | null)[]; not_applicable: (Range | null)[] };
}

/** Each kind's folder, from its schema's `x-policyops.folder`. */
export const defaultPaths = (registry: KindRegistry = kinds()): Record<Kind, string> => Object.fromEntries(registry.defs.map((d) => [d.kind, d.folder]));

/** Each Markdown kind's required sections, from its schema's `x-policyops.sections`. */
export const defaultSections = (registry: KindRegistry = kinds()): Record<Kind, string[]> =>
  Object.fromEntries(registry.defs.filter((d) => d.format === "markdown").map((d) => [d.kind, [...d.sections]]));

export function defaultConfig(registry: KindRegistry = kinds()): Config {
  return {
    version: 1,
    paths: defaultPaths(registry),
    licences: { horizon_days: 90, default_notice_days: 60, reminders: [90, 30, 7] },
    reviews: { default_cycle_months: 12, due_soon_days: 30 },
    continuity: { test_interval_months: 12 },
    risks: { appetite: 8 },
    changes: { review_within_days: 30 },
    sections: defaultSections(registry),
    frameworks: ["NIST-CSF-2.0"],
    ignore: [],
    not_applicable: [],
    rules: {},
    source: null,
  };
}

/** Merges validated `policyops.yaml` values over the defaults. */
export function configFrom(values: Record<string, unknown>, source: string | null): Config {
  const d = defaultConfig();
  const v = values as Partial<Omit<Config, "source">>;
  const paths = { ...d.paths, ...(v.paths ?? {}) };
  for (const k of Object.keys(paths)) paths[k] = normaliseFolder(paths[k]!);
  return {
    version: 1,
    paths,
    licences: { ...d.licences, ...(v.licences ?? {}) },
    reviews: { ...d.reviews, ...(v.reviews ?? {}) },
    continuity: { ...d.continuity, ...(v.continuity ?? {}) },
    risks: { ...d.risks, ...(v.risks ?? {}) },
    changes: { ...d.changes, ...(v.changes ?? {}) },
    sections: { ...d.sections, ...(v.sections ?? {}) },
    frameworks: v.frameworks ?? d.frameworks,
    ignore: (v.ignore ?? []).map(normaliseFolder),
    not_applicable: v.not_applicable ?? [],
    rules: v.rules ?? {},
    source,
  };
}

const normaliseFolder = (p: string): string => p.replace(/\\/g, "/").replace(/^\.\/+/, "").replace(/\/+$/, "");
