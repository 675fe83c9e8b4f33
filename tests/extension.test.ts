// The VS Code extension without VS Code: its manifest, its packaged .vsix and the dashboard's
// HTML. The same extension runs in a real VS Code in tests/extension-e2e.test.ts.
import { describe, expect, test } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { activationEvents } from "../scripts/build-extension.mjs";
import { dashboardCsp, dashboardHtml, escapeHtml, type DashboardData } from "../extension/src/html.js";
import yauzl from "yauzl";
import { PROJECT, tempDir } from "./helpers/repo.js";

/** Every entry of a zip (.vsix) with its bytes, read with yauzl. */
function unzip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(out));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

const manifest = JSON.parse(readFileSync(join(PROJECT, "extension", "package.json"), "utf8"));
const HOSTILE = `<img src=x onerror="alert(1)"><script>alert(2)</script> & 'q' \`t\``;

describe("extension manifest", () => {
  test("activation events come from every kind's folder in schemas/, plus policyops.yaml and kinds/*.schema.json (no hand-written kind list)", () => {
    expect(manifest.activationEvents).toEqual(activationEvents());
    expect(manifest.activationEvents).toContain("workspaceContains:policyops.yaml");
    expect(manifest.activationEvents).toContain("workspaceContains:kinds/*.schema.json");
    for (const f of readdirSync(join(PROJECT, "schemas")).filter((f) => f.endsWith(".schema.json"))) {
      const meta = JSON.parse(readFileSync(join(PROJECT, "schemas", f), "utf8"))["x-policyops"];
      if (meta?.folder) expect(manifest.activationEvents.some((e: string) => e.startsWith(`workspaceContains:${meta.folder}/**/*.`)), `${f}: ${meta.folder}`).toBe(true);
    }
    expect(manifest.activationEvents.some((e: string) => e === "*" || e === "onStartupFinished")).toBe(false);
  });

  test("untrusted workspaces are supported; views, commands, settings and walkthrough are contributed", () => {
    expect(manifest.capabilities.untrustedWorkspaces).toEqual({ supported: true });
    expect(manifest.contributes.views.policyops.map((v: { name: string }) => v.name)).toEqual(["Renewals", "Reviews", "Compliance", "Registers"]);
    expect(manifest.contributes.commands.map((c: { category: string; title: string }) => `${c.category}: ${c.title}`)).toEqual(
      expect.arrayContaining(["PolicyOps: Validate workspace", "PolicyOps: New document", "PolicyOps: Open dashboard", "PolicyOps: Export renewals calendar", "PolicyOps: Mark reviewed"]),
    );
    expect(Object.keys(manifest.contributes.configuration.properties)).toEqual(["policyops.today", "policyops.severities"]);
    expect(manifest.contributes.configuration.properties["policyops.severities"].additionalProperties.enum).toEqual(["error", "warning", "info", "off"]);
    const steps = manifest.contributes.walkthroughs[0].steps as { media: { markdown: string } }[];
    expect(steps.length).toBeGreaterThanOrEqual(3);
    for (const s of steps) expect(readFileSync(join(PROJECT, "extension", s.media.markdown), "utf8")).toMatch(/^# /);
    expect(manifest.engines.vscode).toBe("^1.100.0");
  });
});

describe("extension .vsix", () => {
  test("`npm run package`'s vsce step makes a .vsix with the manifest, client and server bundles, schemas and catalogues, and no node_modules or sources", async () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT, "package.json"), "utf8"));
    expect(pkg.scripts.package).toContain("vsce package --no-dependencies");
    expect(pkg.devDependencies["@vscode/vsce"]).toBe("3.9.2");
    // extension/dist is built by `npm run build` (scripts/build-extension.mjs), like dist/.
    expect(existsSync(join(PROJECT, "extension", "dist", "extension.js")), "run `npm run build` first").toBe(true);
    const t = tempDir("policyops-vsix-");
    try {
      const vsix = join(t.dir, "policyops.vsix");
      // No network: --no-dependencies, and the test runs without a registry.
      const r = spawnSync(process.execPath, [join(PROJECT, "node_modules", "@vscode", "vsce", "vsce"), "package", "--no-dependencies", "--out", vsix], { cwd: join(PROJECT, "extension"), encoding: "utf8", env: { ...process.env, npm_config_offline: "true" } });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const entries = await unzip(vsix);
      const list = [...entries.keys()];
      expect(list).toEqual(
        expect.arrayContaining([
          "extension.vsixmanifest",
          "extension/package.json",
          "extension/readme.md",
          "extension/LICENSE.txt",
          "extension/dist/extension.js",
          "extension/dist/server/lsp.js",
          "extension/dist/server/parse-worker.js",
          "extension/dist/server/package.json",
          "extension/dist/schemas/policy.schema.json",
          "extension/dist/catalogs/nist-csf-2.0.json",
          "extension/media/dashboard.js",
          "extension/media/dashboard.css",
        ]),
      );
      expect(list.filter((f) => f.includes("node_modules/") || f.includes("/src/") || f.endsWith(".ts") || f.endsWith(".map"))).toEqual([]);
      const packed = JSON.parse(entries.get("extension/package.json")!.toString("utf8"));
      expect(packed.activationEvents).toEqual(activationEvents());
      // The server module is ESM beside a CommonJS client.
      expect(JSON.parse(entries.get("extension/dist/server/package.json")!.toString("utf8")).type).toBe("module");
    } finally {
      t.cleanup();
    }
  }, 120_000);
});

describe("dashboard HTML", () => {
  const page = { nonce: "bm9uY2U=", cspSource: "https://file+.vscode-resource.vscode-cdn.net", styleUri: "https://x/dashboard.css", scriptUri: "https://x/dashboard.js" };
  const data: DashboardData = {
    summary: { documents: 2, errors: 1, warnings: 1, infos: 0, overdueReviews: 1, renewalsDue: 1, today: "2027-06-01" },
    compliance: [{ framework: "NIST-CSF-2.0", coverage: 0.5, controls: [{ id: "GV.OC-01", title: HOSTILE, status: "covered", documents: ["POL-1"] }, { id: "GV.OC-02", title: "x", status: "missing", documents: [] }] }],
    licences: [{ id: "LIC-1", product: HOSTILE, vendor: null, type: null, expiry_date: "2027-07-01", days_left: 30, status: "renewal-due", seats: null, assigned: null, over_allocated: false, annual_cost: null, one_off_cost: null, file: `licences/"x".yaml` }],
    contracts: [{ id: "CON-1", title: `Support ${HOSTILE}`, vendor: null, type: "support", end_date: "2027-06-11", days_left: 10, status: "renewal-due", renewal: "manual" as const, deadline: null, days_to_deadline: null, notice_days: 30, annual_cost: null, one_off_cost: null, sla: null, file: "contracts/support.yaml" }],
    reviews: [{ id: "POL-1", kind: "policy", title: HOSTILE, file: "policies/a.md", owner: HOSTILE, status: "active", last_reviewed: "2025-01-01", next_review: "2026-01-01", days_until: -516, state: "overdue" }],
    validate: { version: 1, today: "2027-06-01", summary: { documents: 2, errors: 1, warnings: 1, infos: 0 }, documents: [], findings: [{ code: "schema/enum", severity: "error" as const, message: HOSTILE, file: "policies/a.md" }, { code: "review/overdue", severity: "warning" as const, message: "m", file: "policies/a.md" }] },
  };

  test("escapeHtml escapes the HTML specials and the backtick", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;");
  });

  test("a hostile title, product and owner are rendered as text: no element, attribute or script comes from document values", () => {
    const html = dashboardHtml(data, page);
    expect(html).not.toContain("<img");
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt; &amp; &#39;q&#39; &#96;t&#96;");
    expect(html).toContain(`data-file="licences/&quot;x&quot;.yaml"`);
    expect(html).toContain("516 days overdue");
    expect(html).toContain("30 days left");
    // The renewals timeline has contracts beside licences, soonest first, each saying which it is.
    const timeline = html.slice(html.indexOf('<section id="renewals">'), html.indexOf("</section>", html.indexOf('<section id="renewals">')));
    expect(timeline).toContain('data-file="contracts/support.yaml"');
    expect(timeline.indexOf("contracts/support.yaml")).toBeLessThan(timeline.indexOf("licences/&quot;x&quot;.yaml"));
    expect(timeline).toMatch(/<title>Support &lt;img[^<]*\(contract CON-1\): renewal-due, 10 days left, ends 2027-06-11<\/title>/);
    expect(timeline).toContain('<span class="muted">licence</span>');
    expect(html).toContain("50%");
    expect(html).not.toMatch(/style="/); // the CSP allows no inline styles
  });

  test("the CSP allows nothing by default, the extension's own style, and only the nonce'd script", () => {
    const csp = dashboardCsp(page);
    expect(csp).toBe(`default-src 'none'; style-src ${page.cspSource}; img-src ${page.cspSource}; font-src ${page.cspSource}; script-src 'nonce-bm9uY2U='; base-uri 'none'; form-action 'none'`);
    const html = dashboardHtml(data, page);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`);
    expect(html).toContain(`<script nonce="bm9uY2U=" src="https://x/dashboard.js"></script>`);
    // Nothing remote: the only URLs are the webview's own resource URIs.
    expect(html.split(page.cspSource).join("").split("https://x/").join("")).not.toMatch(/https?:|\/\//i);
  });
});
