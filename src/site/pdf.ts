import { spawn } from "node:child_process";
import { accessSync, constants, mkdirSync, readFileSync, rmSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../engine/index.js";

export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Chromium's flags for a quiet, offline, headless print. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--no-default-browser-check", "--disable-extensions"];

export function checkChromium(path: string): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new UsageError(`no Chromium at \`${path}\` for \`--pdf\`; install it (Debian: \`apt-get install chromium\`) or pass \`--chromium PATH\``);
  }
}

function printOne(chromium: string, html: string, pdf: string, profile: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--no-pdf-header-footer", `--print-to-pdf=${pdf}`, pathToFileURL(html).href], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => void (err = (err + d.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", (e) => (clearTimeout(timer), reject(e)));
    child.on("close", (code) => {
      clearTimeout(timer);
      code === 0 ? resolvePromise() : reject(new Error(`chromium exited with ${code} printing \`${basename(html)}\`: ${err.trim().split("\n").pop() ?? ""}`));
    });
  });
}

/**
 * `--pdf`: prints every document page to `pdf/<id>.pdf` with the local Chromium
 * (`--print-to-pdf`, the site's print stylesheet and header); no pandoc, no LaTeX. Returns
 * the PDFs as site-relative path → bytes; the caller writes them through the site writer.
 */
export async function printPdfs(chromium: string, siteDir: string, pages: readonly string[], parallel = 2): Promise<Map<string, Uint8Array>> {
  checkChromium(chromium);
  const work = mkdtempSync(join(tmpdir(), "policyops-pdf-"));
  const out = new Map<string, Uint8Array>();
  try {
    const queue = [...pages];
    const worker = async (n: number) => {
      const profile = join(work, `profile-${n}`);
      mkdirSync(profile);
      for (let rel = queue.shift(); rel !== undefined; rel = queue.shift()) {
        const name = basename(rel).replace(/\.html$/, ".pdf");
        const pdf = join(work, name);
        await printOne(chromium, join(siteDir, rel), pdf, profile);
        out.set(`pdf/${name}`, readFileSync(pdf));
        rmSync(pdf, { force: true });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, pages.length)) }, (_, i) => worker(i)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
