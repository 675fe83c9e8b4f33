// The extension in a REAL VS Code: code-server 4.100.3 (the workbench and a Node extension
// host), the built .vsix installed with `code-server --install-extension`, driven by
// playwright-core with Debian's chromium. What is needed is installed (once, cached) by
// scripts/ensure-code-server.mjs; in CI a missing tool fails this file, never skips it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type FrameLocator, type Page } from "playwright-core";
import { ensureTools, installExtension, startCodeServer, writeUserSettings, type CodeServer, type Tools } from "./helpers/code-server.js";
import { PROJECT, runCli, tempDir } from "./helpers/repo.js";

const tools = ensureTools();
const TODAY = "2027-06-01";
const SHOTS = join(PROJECT, "test-results", "extension");
const HOSTILE_TITLE = `<img src=x onerror="document.title='pwned'"><script>window.pwned=1</script> & "Q" 'A'`;

function hostilePolicy(): string {
  return `---\nid: POL-666\ntitle: '${HOSTILE_TITLE.replace(/'/g, "''")}'\nversion: "1.0"\nstatus: active\nowner: IT Director\napproved_by: IT Director\napproved_on: 2025-01-01\nlast_reviewed: 2025-01-01\n---\n\n# Hostile\n\n## Purpose\n\nWhy.\n\n## Scope\n\nWho.\n\n## Policy\n\nWhat.\n`;
}

describe.skipIf("skip" in tools)("the PolicyOps extension in code-server (VS Code 1.100.3)", () => {
  const t = tools as Tools;
  const tmp = tempDir("policyops-e2e-");
  const ws = join(tmp.dir, "ws");
  const dirs = { extensionsDir: join(tmp.dir, "extensions"), userDataDir: join(tmp.dir, "user-data"), cwd: tmp.dir };
  let server: CodeServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleLines: string[] = [];
  let shot = 0;

  const screenshot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, "0")}-${name}.png`) }).catch(() => undefined);
  };
  /** Runs a command from the palette by its title, retried once if the palette missed the keystrokes. */
  const palette = async (title: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await page.keyboard.press("Escape");
        await page.keyboard.press("F1");
        const input = page.locator(".quick-input-widget input");
        await input.waitFor({ state: "visible", timeout: 10_000 });
        await input.fill(`>${title}`);
        const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: title }).first();
        await row.waitFor({ state: "visible", timeout: 10_000 });
        await input.press("Enter");
        return;
      } catch (e) {
        if (attempt >= 1) throw e;
      }
    }
  };
  const quickOpen = async (file: string) => {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 10_000 });
    await input.fill(file);
    await page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: file.split("/").pop()! }).first().waitFor({ timeout: 10_000 });
    await input.press("Enter");
    await page.locator(".tab.active", { hasText: file.split("/").pop()! }).waitFor({ timeout: 10_000 });
  };
  const problemsRow = (text: string) => page.locator(".markers-panel .monaco-list-row", { hasText: text });

  beforeAll(async () => {
    // The repository as `policyops init` writes it, plus a seeded error and a hostile title.
    expect(runCli(["init", ws]).status).toBe(0);
    const ac = join(ws, "policies", "access-control.md");
    writeFileSync(ac, readFileSync(ac, "utf8").replace(/^status: active$/m, "status: aktive"));
    writeFileSync(join(ws, "policies", "hostile.md"), hostilePolicy());
    // The extension as users get it: built, packaged with vsce, installed from the .vsix.
    const build = spawnSync(process.execPath, [join(PROJECT, "scripts", "build-extension.mjs")], { cwd: PROJECT, encoding: "utf8" });
    expect(build.status, build.stderr).toBe(0);
    const vsix = join(tmp.dir, "policyops.vsix");
    const pack = spawnSync(process.execPath, [join(PROJECT, "node_modules", "@vscode", "vsce", "vsce"), "package", "--no-dependencies", "--out", vsix], { cwd: join(PROJECT, "extension"), encoding: "utf8" });
    expect(pack.status, pack.stderr + pack.stdout).toBe(0);
    installExtension(t, vsix, dirs);
    expect(readdirSync(dirs.extensionsDir).some((d) => d.startsWith("policyops.policyops-"))).toBe(true);
    writeUserSettings(dirs.userDataDir, {
      "policyops.today": TODAY,
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "security.workspace.trust.enabled": false,
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      "files.autoSave": "off",
    });
    server = await startCodeServer(t, dirs);
    browser = await chromium.launch({
      executablePath: t.chromium,
      headless: true,
      args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
    });
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.on("console", (m: ConsoleMessage) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    await page.goto(`${server.url}/?folder=${encodeURIComponent(ws)}`);
    await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (process.env.POLICYOPS_E2E_LOG) writeFileSync(process.env.POLICYOPS_E2E_LOG, `${server?.log()}\n---- console ----\n${consoleLines.join("\n")}`);
    tmp.cleanup();
  });

  test("the workbench loads the template workspace and the extension activates (status-bar summary from the server)", async () => {
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "policies" }).first().waitFor({ timeout: 30_000 });
    const status = page.locator(".statusbar-item", { hasText: "PolicyOps:" });
    await status.first().waitFor({ timeout: 60_000 });
    await expect.poll(async () => (await status.first().textContent()) ?? "", { timeout: 60_000 }).toMatch(/PolicyOps: \d+ errors?, \d+ warnings?/);
    await screenshot("activated");
  });
});
