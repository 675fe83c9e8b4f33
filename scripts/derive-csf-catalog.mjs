#!/usr/bin/env node
// Derives the built-in NIST CSF 2.0 catalogue (src/engine/domain/frameworks/catalogs/nist-csf-2.0.json) from
// NIST's OSCAL catalogue. Source: usnistgov/oscal-content, NIST_CSF_v2.0_catalog (public
// domain, CC0), as OSCAL JSON in src/engine/domain/frameworks/catalogs/source/ (see the README there).
// Each of the 106 live subcategories is titled with its official statement; withdrawn
// CSF 1.1 entries are skipped.
//
//   npm run build && node scripts/derive-csf-catalog.mjs [path/to/catalog.oscal.json]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { controlsFromOscal } from "../dist/engine.js";

const src = process.argv[2] ?? fileURLToPath(new URL("../src/engine/domain/frameworks/catalogs/source/nist-csf-2.0-catalog.oscal.json", import.meta.url));
const oscal = JSON.parse(readFileSync(src, "utf8"));
const controls = controlsFromOscal(oscal);
if (controls.length !== 106) throw new Error(`expected 106 CSF 2.0 subcategories, got ${controls.length}`);
const out = {
  id: "NIST-CSF-2.0",
  title: "NIST Cybersecurity Framework 2.0",
  version: "2.0",
  source: "NIST CSF 2.0 OSCAL catalogue (usnistgov/oscal-content, public domain), derived by scripts/derive-csf-catalog.mjs",
  controls,
};
const target = fileURLToPath(new URL("../src/engine/domain/frameworks/catalogs/nist-csf-2.0.json", import.meta.url));
writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
console.log(`wrote ${controls.length} controls to ${target}`);
