// What a correct validator must report on a generated corpus, under SPEC §2's renewal model.
//
// gen-corpus.mjs (../shared/tools, not ours to edit) labels a licence's date defect as if
// `auto_renew` did not matter, but writes `auto_renew: true` on about half of them. An
// auto-renewing licence never expires: its expected codes are those of the model
// (licence/renewed past the recorded date; licence/cancel-by or licence/expiring by the days
// to the cancellation deadline), worked out from the file's own `expiry_date` and
// `renewal_notice_days` with the default 90-day horizon, through the engine's exported
// `renewal`. tests/helpers/corpus-renewal.ts re-exports it for the corpus tests, so
// the benchmark's "findings vs expected" and the test suite agree.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ENGINE = fileURLToPath(new URL("../dist/engine.js", import.meta.url));
const DATE_CODES = new Set(["licence/expired", "licence/renewal-due", "licence/expiring"]);
const STATUS_CODE = { expired: "licence/expired", "renewal-due": "licence/renewal-due", "cancel-by": "licence/cancel-by", expiring: "licence/expiring" };

/** The generator's expected findings with the renewal model applied to auto-renewing licences. */
export async function applyRenewalModel(root, today, expected) {
  const { parseDay, renewal, renewalStatus } = await import(ENGINE);
  const out = [];
  for (const e of expected) {
    if (!DATE_CODES.has(e.code)) {
      out.push(e);
      continue;
    }
    const text = readFileSync(join(root, e.file), "utf8");
    if (!/^auto_renew: true$/m.test(text)) {
      out.push(e);
      continue;
    }
    const end = parseDay(/^expiry_date: (\S+)$/m.exec(text)?.[1]);
    const notice = Number(/^renewal_notice_days: (\d+)$/m.exec(text)?.[1] ?? 60);
    const r = renewal({ end, autoRenew: true, renewalTermMonths: 12, noticeDays: notice }, parseDay(today));
    if (r.renewals > 0) out.push({ ...e, code: "licence/renewed" });
    const code = STATUS_CODE[renewalStatus(r, 90)];
    if (code) out.push({ ...e, code });
  }
  return out;
}

/**
 * The generator predates the assurance records (issue 18): its repositories have systems with
 * `criticality: high | critical` and no DR tests, so SPEC §2's `continuity/test-overdue`
 * applies to each of them at its `criticality` line, and gen-corpus does not list it. This
 * adds exactly those, worked out from the files' own text; a corpus with a `dr-tests/` folder
 * would need the test dates too, so it is refused rather than guessed.
 */
export function applyContinuityModel(root, expected) {
  if (existsSync(join(root, "dr-tests"))) throw new Error(`${root} has dr-tests/: applyContinuityModel only models repositories without DR tests`);
  const out = [...expected];
  const folder = join(root, "systems");
  if (!existsSync(folder)) return out;
  for (const name of readdirSync(folder).sort()) {
    if (!/\.ya?ml$/.test(name)) continue;
    const lines = readFileSync(join(folder, name), "utf8").split("\n");
    const at = lines.findIndex((l) => /^criticality: (high|critical)\s*$/.test(l));
    if (at >= 0) out.push({ code: "continuity/test-overdue", file: `systems/${name}`, line: at + 1 });
  }
  return out;
}

/** Every SPEC model the generator does not know, applied to its expected findings. */
export async function applySpecModels(root, today, expected) {
  return applyContinuityModel(root, await applyRenewalModel(root, today, expected));
}
