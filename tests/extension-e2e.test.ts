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
  let renewal: { id: string; product: string; days_left: number | null; status: string };
  let overdueFile: string;
  let overdueCount: number;
  let shot = 0;

  const screenshot = async (name: string) => {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${String(++shot).padStart(2, "0")}-${name}.png`) }).catch(() => undefined);
  };
  /** Types into the quick input (F1) and accepts the row showing `rowText`; retried once if the widget missed the keystrokes. */
  const quickInput = async (text: string, rowText: string) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await page.keyboard.press("Escape");
        await page.keyboard.press("F1");
        const input = page.locator(".quick-input-widget input");
        await input.waitFor({ state: "visible", timeout: 10_000 });
        await input.fill(text, { timeout: 10_000 });
        await page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: rowText }).first().waitFor({ state: "visible", timeout: 10_000 });
        await input.press("Enter");
        return;
      } catch (e) {
        if (attempt >= 1) throw e;
      }
    }
  };
  /** Runs a command from the palette by its title. */
  const palette = (title: string) => quickInput(`>${title}`, title);
  /** Opens a workspace file by its path (Quick Open). */
  const quickOpen = async (file: string) => {
    const name = file.split("/").pop()!;
    await quickInput(file, name);
    await page.locator(".tab.active", { hasText: name }).waitFor({ timeout: 10_000 });
  };
  const problemsRow = (text: string) => page.locator(".markers-panel .monaco-list-row", { hasText: text });

  beforeAll(async () => {
    rmSync(SHOTS, { recursive: true, force: true });
    // The repository as `policyops init` writes it, plus a seeded error and a hostile title.
    expect(runCli(["init", ws]).status).toBe(0);
    const ac = join(ws, "policies", "access-control.md");
    writeFileSync(ac, readFileSync(ac, "utf8").replace(/^status: active$/m, "status: aktive"));
    writeFileSync(join(ws, "policies", "hostile.md"), hostilePolicy());
    // What the CLI says about the same repository on the same day: the views must agree.
    const licences = JSON.parse(runCli(["licences", ws, "--today", TODAY, "--format", "json"]).stdout) as { id: string; product: string; days_left: number | null; status: string }[];
    renewal = licences.find((l) => l.days_left !== null && l.status !== "ok")!;
    const validation = JSON.parse(runCli(["validate", ws, "--today", TODAY, "--format", "json"]).stdout) as { findings: { file: string; code: string }[] };
    const codesOf = (file: string) => validation.findings.filter((f) => f.file === file).map((f) => f.code);
    overdueFile = [...new Set(validation.findings.map((f) => f.file))].find((f) => f.startsWith("policies/") && codesOf(f).join() === "review/overdue")!;
    overdueCount = validation.findings.filter((f) => f.code === "review/overdue").length;
    expect(renewal, "the template has a licence due for renewal on the test day").toBeDefined();
    expect(overdueFile, "the template has a policy whose only finding is review/overdue").toBeDefined();
    // The extension as users get it: built, packaged with vsce, installed from the .vsix.
    // extension/dist comes from `npm run build` (as dist/ does for the CLI tests): never rebuilt
    // here, where another test file may be packaging it at the same time.
    expect(existsSync(join(PROJECT, "extension", "dist", "extension.js")), "run `npm run build` first").toBe(true);
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

  test("a seeded error (`status: aktive`) appears in the Problems panel with its rule code and message", async () => {
    await palette("Focus on Problems View");
    const row = problemsRow("aktive").first();
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.textContent()) ?? "";
    expect(text).toContain("`status` must be one of");
    expect(text).toContain("schema/enum");
    await screenshot("problems");
  });

  test("the Renewals view lists a licence due for renewal with its days left, as the CLI computes them", async () => {
    await palette("View: Show PolicyOps");
    const sidebar = page.locator('[id="workbench.view.extension.policyops"]');
    await sidebar.locator(".pane-header", { hasText: "Renewals" }).first().waitFor({ timeout: 30_000 });
    const row = sidebar.locator(".monaco-list-row", { hasText: renewal.product }).first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain(`${renewal.days_left} days left`);
    await expect.poll(async () => (await sidebar.locator(".monaco-list-row", { hasText: renewal.status }).count()) > 0, { timeout: 10_000 }).toBe(true);
    // The other views answer too: coverage per framework, every kind's register.
    await sidebar.locator(".monaco-list-row", { hasText: /NIST-CSF-2\.0.*% covered/ }).first().waitFor({ timeout: 15_000 });
    await sidebar.locator(".monaco-list-row", { hasText: /licence\s*\d+ in licences\// }).first().waitFor({ timeout: 15_000 });
    await screenshot("renewals");
  });

  test("\"PolicyOps: New document\" from the command palette creates the file (kind quick pick, title prompt) and opens it", async () => {
    const before = new Set(readdirSync(join(ws, "policies")));
    await palette("PolicyOps: New document");
    const input = page.locator(".quick-input-widget input");
    await page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: "sop" }).first().waitFor({ timeout: 30_000 });
    await input.fill("policy");
    await page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: "policies/" }).first().waitFor({ timeout: 10_000 });
    await input.press("Enter");
    await page.locator(".quick-input-widget .quick-input-message, .quick-input-widget", { hasText: "Title of the new document" }).first().waitFor({ timeout: 10_000 });
    await input.fill("Remote Access Policy");
    await input.press("Enter");
    let created: string | undefined;
    // The file appears (CreateFile), then holds the server's text once the command saves it.
    await expect
      .poll(() => (created = readdirSync(join(ws, "policies")).find((f) => !before.has(f) && readFileSync(join(ws, "policies", f), "utf8").length > 0)), { timeout: 30_000 })
      .toBeDefined();
    const text = readFileSync(join(ws, "policies", created!), "utf8");
    expect(text).toMatch(/^---\n/);
    expect(text).toContain("Remote Access Policy");
    await page.locator(".tab", { hasText: created! }).first().waitFor({ timeout: 10_000 });
    await screenshot("new-document");
  });

  test("a quick fix (mark reviewed today) is applied and its review/overdue diagnostic disappears", async () => {
    await quickOpen(overdueFile);
    const status = page.locator(".statusbar-item", { hasText: "PolicyOps:" }).first();
    await expect.poll(async () => (await status.textContent()) ?? "", { timeout: 30_000 }).toContain(`${overdueCount} overdue`);
    await page.locator(".monaco-editor .view-lines").first().click();
    await page.keyboard.press("Control+Home");
    await page.keyboard.press("F8"); // next problem: the review/overdue warning
    await page.locator(".marker-widget, .peekview-widget", { hasText: "review/overdue" }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+.");
    const fix = page.locator(".action-widget .monaco-list-row.action", { hasText: /reviewed/i }).first();
    await fix.waitFor({ timeout: 15_000 });
    await screenshot("quick-fix-menu");
    // The menu is driven by the keyboard (a pointer block covers it until the mouse moves).
    const focused = page.locator(".action-widget .monaco-list-row.focused");
    for (let i = 0; i < 10 && !/reviewed/i.test((await focused.getAttribute("aria-label").catch(() => "")) ?? ""); i++) await page.keyboard.press("ArrowDown");
    expect(await focused.getAttribute("aria-label")).toMatch(/reviewed/i);
    await page.keyboard.press("Enter");
    await page.locator(".monaco-editor .view-lines", { hasText: `last_reviewed: ${TODAY}` }).first().waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await status.textContent()) ?? "", { timeout: 30_000 }).toContain(`${overdueCount - 1} overdue`);
    await palette("Focus on Problems View");
    const filter = page.locator(".markers-panel-action-filter input, .viewpane-filter input").first();
    await filter.fill(overdueFile.split("/").pop()!);
    await expect.poll(async () => problemsRow("review/overdue").count(), { timeout: 15_000 }).toBe(0);
    await filter.fill("");
    await screenshot("quick-fix-applied");
  });

  test("\"PolicyOps: Export renewals calendar\" writes the server's iCalendar through the save dialog", async () => {
    const target = join(ws, "renewals.ics");
    await palette("PolicyOps: Export renewals calendar");
    // code-server's save dialog is the simple one: a quick input holding the path.
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(async () => input.inputValue(), { timeout: 10_000 }).toContain("renewals.ics");
    await input.fill(target);
    await input.press("Enter");
    await expect.poll(() => existsSync(target) && readFileSync(target, "utf8"), { timeout: 20_000 }).toMatch(/^BEGIN:VCALENDAR/);
    expect(readFileSync(target, "utf8")).toContain(renewal.product.slice(0, 20));
  });

  test("the dashboard renders under its CSP: no violation in the console, the hostile title shown as text", async () => {
    const cspBefore = consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l)).length;
    await palette("PolicyOps: Open dashboard");
    const frame: FrameLocator = page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
    await frame.locator("h1", { hasText: "PolicyOps dashboard" }).waitFor({ timeout: 30_000 });
    await frame.locator("#coverage meter").first().waitFor({ timeout: 10_000 });
    await frame.locator("#renewals svg.timeline").waitFor({ timeout: 10_000 });
    const hostile = frame.locator("#reviews td.title", { hasText: "onerror" });
    await hostile.waitFor({ timeout: 10_000 });
    expect(await hostile.textContent()).toBe(HOSTILE_TITLE);
    expect(await frame.locator("img").count()).toBe(0);
    // VS Code injects its own host script; ours is the one with the nonce; the title's is nowhere.
    expect(await frame.locator("script[nonce]").count()).toBe(1);
    expect(await frame.locator("script", { hasText: "pwned" }).count()).toBe(0);
    const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]+'/);
    await screenshot("dashboard");
    const violations = consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l)).slice(cspBefore);
    expect(violations).toEqual([]);
  });
});
