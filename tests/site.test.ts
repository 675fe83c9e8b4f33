import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers/cli.js";
import { policy, PROJECT, useTempRepos, writeRepo } from "./helpers/repo.js";
import { HOSTILE_FILES, siteRepo, TODAY } from "./helpers/site.js";
import { esc } from "../src/site/html.js";

const { dir } = useTempRepos("policyops-site-");
const env = { POLICYOPS_TODAY: TODAY };
const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

async function built(): Promise<{ root: string; out: string; head: string }> {
  const root = dir();
  const { head } = await siteRepo(root);
  const out = join(dir(), "site");
  const r = await cli(["site", root, "--out", out], { env });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return { root, out, head };
}
const read = (p: string) => readFileSync(p, "utf8");

describe("policyops site: what it writes", () => {
  it("writes the dashboard, a page per document, a register per kind (the repository's own too), compliance, reviews, calendar, data and manifest", async () => {
    const { out, head } = await built();
    for (const f of ["index.html", "compliance.html", "reviews.html", "registers.html", "search.html", "calendar.ics", "manifest.json", "policies.html", "sops.html", "licences.html", "workshops.html",
      "documents/POL-001.html", "documents/SOP-001.html", "documents/LIC-001.html", "documents/WKS-001.html", "data/validate.json", "data/licences.json", "data/reviews.json", "data/compliance.json", "data/list-workshop.json", "search/base.js", "assets/minisearch.js"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const index = read(join(out, "index.html"));
    expect(index).toContain(`Built from commit <code>${head}</code>`);
    expect(index).toContain("Renewals in the next 90 days");
    expect(index).toMatch(/<a href="documents\/LIC-001.html">LIC-001<\/a><\/td><td>Acme Backup<\/td><td>2026-08-01<\/td><td>32<\/td>/);
    expect(read(join(out, "workshops.html"))).toContain('<a href="documents/WKS-001.html">WKS-001</a>');
  });

  it("the dashboard's tables: documents by kind and status, findings by severity (validate's summary), coverage (the compliance report's statuses) and overdue reviews", async () => {
    const { out } = await built();
    const index = read(join(out, "index.html"));
    const between = (from: string, to: string) => index.slice(index.indexOf(from), index.indexOf(to));
    // bad-id.md claims `draft` but its id breaks the schema: it counts as invalid, so no draft column.
    const byKind = between("<h2>Documents by kind and status</h2>", "<h2>Findings by severity</h2>");
    expect(byKind.match(/<tr>.*<\/tr>/g)).toEqual([
      "<tr><th>kind</th><th>total</th><th>(none)</th><th>active</th><th>invalid</th></tr>",
      '<tr><td><a href="budgets.html">budget</a></td><td>1</td><td>1</td><td></td><td></td></tr>',
      '<tr><td><a href="licences.html">licence</a></td><td>1</td><td>1</td><td></td><td></td></tr>',
      '<tr><td><a href="policies.html">policy</a></td><td>3</td><td></td><td>2</td><td><span class="st-invalid">1</span></td></tr>',
      '<tr><td><a href="sops.html">sop</a></td><td>1</td><td></td><td>1</td><td></td></tr>',
      '<tr><td><a href="workshops.html">workshop</a></td><td>1</td><td></td><td>1</td><td></td></tr>',
    ]);
    const summary = JSON.parse(read(join(out, "data/validate.json"))).summary;
    expect(summary).toMatchObject({ documents: 7, errors: 1, warnings: 3, infos: 0 });
    const bySeverity = between("<h2>Findings by severity</h2>", "<h2>Coverage per framework</h2>");
    expect(bySeverity.match(/<tr><td>.*<\/tr>/g)).toEqual([
      `<tr><td><span class="sev-error">error</span></td><td>${summary.errors}</td></tr>`,
      `<tr><td><span class="sev-warning">warning</span></td><td>${summary.warnings}</td></tr>`,
      `<tr><td><span class="sev-info">info</span></td><td>${summary.infos}</td></tr>`,
    ]);
    // Coverage from the controls' statuses in compliance.json: POL-001 and SOP-001 each cover one, GV.SC-10 is not applicable.
    const [fw] = JSON.parse(read(join(out, "data/compliance.json"))) as { framework: string; controls: { status: string }[] }[];
    const n = (st: string) => fw!.controls.filter((c) => c.status === st).length;
    expect([n("covered"), n("not-applicable")]).toEqual([2, 1]);
    const pct = Math.round((n("covered") / (fw!.controls.length - n("not-applicable"))) * 1000) / 10;
    expect(between("<h2>Coverage per framework</h2>", "<h2>Renewals in the next 90 days</h2>")).toContain(
      `<tr><td><a href="compliance.html#fw-NIST-CSF-2.0">NIST-CSF-2.0</a></td><td>${pct}%</td><td>2</td><td>${n("stale")}</td><td>${n("draft")}</td><td>${n("missing")}</td><td>1</td></tr>`,
    );
    // No document is overdue as of TODAY; bad-id.md's review state is unknown, so it is listed as invalid.
    const overdue = between("<h2>Overdue reviews</h2>", "</main>");
    expect(overdue.match(/<tr><td>.*<\/tr>/g)).toEqual([
      `<tr><td><a href="documents/doc-${sha("policies/bad-id.md").slice(0, 16)}.html">&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;</a></td><td>Bad id</td><td>IT</td><td></td><td><span class="st-invalid">invalid</span></td></tr>`,
    ]);
  });

  it("manifest.json has the sha256 of every source file, the commit, whether the tree was dirty, the build date and the tool version", async () => {
    const { root, out, head } = await built();
    const m = JSON.parse(read(join(out, "manifest.json")));
    expect(m.commit).toBe(head);
    expect(m.dirty).toBe(false);
    expect(m.tool).toEqual({ name: "policyops", version: JSON.parse(read(join(PROJECT, "package.json"))).version });
    expect(Date.parse(m.built)).not.toBeNaN();
    const files = m.sources.map((s: { file: string }) => s.file);
    expect(files).toContain("policies/backup.md");
    expect(files).toContain("agreements/acme.md");
    expect(files).toContain("README.md");
    expect(files.some((f: string) => f.startsWith(".git"))).toBe(false);
    const backup = m.sources.find((s: { file: string }) => s.file === "policies/backup.md");
    expect(backup.sha256).toBe(sha(readFileSync(join(root, "policies/backup.md"))));
    const page = m.pages.find((p: { file: string }) => p.file === "documents/POL-001.html");
    expect(page.sha256).toBe(sha(readFileSync(join(out, "documents/POL-001.html"))));
    // A dirty tree says so.
    writeFileSync(join(root, "README.md"), "# Changed\n");
    const out2 = join(dir(), "site2");
    expect((await cli(["site", root, "--out", out2], { env })).status).toBe(0);
    expect(JSON.parse(read(join(out2, "manifest.json"))).dirty).toBe(true);
  });

  it("heading ids are the engine's slugs (duplicates numbered as validate checks them) and relative links point at site pages", async () => {
    const { out } = await built();
    const pol = read(join(out, "documents/POL-001.html"));
    expect(pol).toContain('<h2 id="purpose">Purpose</h2>');
    expect(pol).toContain('<h2 id="scope">Scope</h2>');
    expect(pol).toContain('<h2 id="scope-1">Scope</h2>');
    expect(pol).toContain('href="../documents/SOP-001.html#step-two"');
    expect(pol).toMatch(/<td class="align-right">weekly<\/td>/);
    expect(pol).toContain("<s>old rule</s>");
    expect(pol).toContain('class="footnotes"');
    const sop = read(join(out, "documents/SOP-001.html"));
    expect(sop).toContain('<h3 id="step-two">Step two</h3>');
    expect(sop).toContain('href="../documents/POL-001.html#scope-1"');
    // A linked file that is not a document is copied into the site; missing and outside ones are text.
    expect(sop).toContain('href="../files/agreements/acme.md"');
    expect(read(join(out, "files/agreements/acme.md"))).toBe("# Acme agreement\n");
    expect(sop).toContain('<span class="link-unresolved">gone</span>');
    expect(sop).toContain('<span class="link-unresolved">passwd</span>');
    expect(existsSync(join(out, "files", "etc"))).toBe(false);
    // References both ways, and the document's history without e-mail addresses.
    expect(sop).toMatch(/<th>policies<\/th><td><a href="..\/documents\/POL-001.html">POL-001<\/a><\/td>/);
    expect(pol).toMatch(/<ul class="referenced-by"><li><a href="..\/documents\/SOP-001.html">SOP-001<\/a>/);
    expect(pol).toContain("<td>2026-03-01</td><td>Ada Admin</td><td>Initial governance</td>");
    expect(pol).not.toContain("ada@example.org");
  });

  it("shows e-mail addresses in histories only with --emails", async () => {
    const root = dir();
    await siteRepo(root);
    const out = join(dir(), "site");
    expect((await cli(["site", root, "--out", out, "--emails"], { env })).status).toBe(0);
    expect(read(join(out, "documents/POL-001.html"))).toContain("Ada Admin &lt;ada@example.org&gt;");
  });

  it("data/*.json are the CLI's JSON reports, byte for byte, and calendar.ics is the feed of `policyops calendar`", async () => {
    const { root, out } = await built();
    for (const [file, args] of [["licences.json", ["licences", root, "--format", "json"]], ["reviews.json", ["reviews", root, "--format", "json"]], ["compliance.json", ["compliance", root, "--format", "json"]], ["list-workshop.json", ["list", "workshop", root, "--format", "json"]], ["contracts.json", ["contracts", root, "--format", "json"]], ["actions.json", ["actions", root, "--format", "json"]], ["budget.json", ["budget", root, "--format", "json"]], ["calendar.json", ["calendar", root, "--format", "json"]]] as const) {
      expect(read(join(out, "data", file)), file).toBe((await cli([...args], { env })).stdout);
    }
    const validate = await cli(["validate", root, "--format", "json"], { env });
    expect(read(join(out, "data/validate.json"))).toBe(validate.stdout);
    // Not empty reports: the fixture has a budget and dated obligations.
    expect(JSON.parse(read(join(out, "data/budget.json"))).budgets.length).toBeGreaterThan(0);
    expect(JSON.parse(read(join(out, "data/calendar.json"))).some((e: { uid: string }) => e.uid === "LIC-001-expiry@policyops")).toBe(true);
    // registers.html lists every data file.
    for (const f of ["validate", "licences", "contracts", "reviews", "compliance", "actions", "budget", "calendar"]) expect(read(join(out, "registers.html"))).toContain(`<a href="data/${f}.json">${f}.json</a>`);
    const ics = read(join(out, "calendar.ics"));
    expect(ics).toContain("UID:LIC-001-expiry@policyops");
    // The same feed as `policyops calendar` (the build's DTSTAMP aside).
    const stamp = (t: string) => t.replace(/^DTSTAMP:.*$/gm, "DTSTAMP");
    expect(stamp(ics)).toBe(stamp((await cli(["calendar", root], { env })).stdout));
    expect(ics).toContain("BEGIN:VCALENDAR");
  });

  it("hostile documents are escaped and sanitized in the HTML (the browser test proves them inert)", async () => {
    const { out } = await built();
    const hostile = read(join(out, "documents/POL-666.html"));
    const body = hostile.slice(hostile.indexOf("<main>"));
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(body).not.toMatch(/<[^>]*=\s*["']?\s*javascript:/i);
    expect(body).not.toMatch(/<(iframe|object|embed|svg|form|meta|base|link|style)\b/i);
    expect(body).not.toContain("https://example.com/tracker.png");
    expect(body).toContain('<a id="kept-anchor" name="kept-name">');
    expect(body).toContain("&lt;img src=x onerror=alert(&#39;title&#39;)&gt; Hostile &lt;script&gt;");
    // An id that is no file name gets a page named after its path's hash; its title still shows, escaped.
    const facts = JSON.parse(read(join(out, "data/validate.json")));
    const bad = facts.documents.find((d: { file: string }) => d.file === "policies/bad-id.md");
    expect(bad.id).toBe("<script>alert('id')</script>");
    const page = `documents/doc-${sha("policies/bad-id.md").slice(0, 16)}.html`;
    expect(read(join(out, page))).toContain("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;");
  });
});

describe("policyops site: copied repository files", () => {
  it("copies and links only inert files (PDF, PNG; SVG only as an image): HTML, SVG, JS and XML links are text saying why, in raw HTML and in plain Markdown", async () => {
    const root = dir();
    await siteRepo(root); // POL-666's body (raw HTML: the sanitizer's path) links HOSTILE_FILES
    // The same links in a body without raw HTML (the renderer's own path).
    writeRepo(root, { "policies/files.md": policy("POL-667", "", "## Purpose\n\n[terms](../agreements/terms.html#top) [old terms](../agreements/old.htm) [logo](../img/logo.svg) [tool](../tools/run.js) [feed](../agreements/feed.xml) ![logo](../img/logo.svg) [signed](../agreements/signed.pdf#intro) ![chart](../img/chart.png) [SHOUTING](../agreements/TERMS.HTML) [gone](../agreements/none.pdf)\n\n## Scope\n\nx\n\n## Policy\n\ny\n"), "agreements/TERMS.HTML": "<script>alert(1)</script>\n" });
    const out = join(dir(), "site");
    const r = await cli(["site", root, "--out", out], { env });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const files = (JSON.parse(read(join(out, "manifest.json"))).pages as { file: string }[]).map((p) => p.file).filter((f) => f.startsWith("files/")).sort();
    expect(files).toEqual(["files/agreements/acme.md", "files/agreements/signed.pdf", "files/img/chart.png", "files/img/logo.svg"]);
    for (const f of ["agreements/terms.html", "agreements/old.htm", "agreements/TERMS.HTML", "tools/run.js", "agreements/feed.xml"]) expect(existsSync(join(out, "files", f)), f).toBe(false);
    expect(readFileSync(join(out, "files/img/logo.svg"), "utf8")).toBe(HOSTILE_FILES["img/logo.svg"]);
    const why = (ext: string) => `not copied into the site: it copies only files that cannot run in the browser (PDFs, images, text, office files), not .${ext} files`;
    for (const [id, hash] of [["POL-666", ""], ["POL-667", "#intro"]] as const) {
      const html = read(join(out, `documents/${id}.html`));
      const body = html.slice(html.indexOf('<div class="body">'));
      expect(body, id).toContain(`<a href="../files/agreements/signed.pdf${hash}">signed</a>`);
      // The sanitizer closes img as `/>`, the renderer as `>`.
      expect(body, id).toMatch(/<img alt="chart" src="\.\.\/files\/img\/chart\.png" ?\/?>/);
      expect(body, id).toMatch(/<img alt="logo" src="\.\.\/files\/img\/logo\.svg" ?\/?>/);
      expect(body, id).toContain(`<span class="link-unresolved" title="${why("html")}">terms</span>`);
      expect(body, id).toContain(`<span class="link-unresolved" title="${why("htm")}">old terms</span>`);
      expect(body, id).toContain('<span class="link-unresolved" title="not copied into the site: SVG files could run scripts in the browser (they are shown only as images)">logo</span>');
      expect(body, id).toContain(`<span class="link-unresolved" title="${why("js")}">tool</span>`);
      expect(body, id).toContain(`<span class="link-unresolved" title="${why("xml")}">feed</span>`);
      // Only the two inert files are links to copies; nothing points at the others.
      expect(body.match(/href="\.\.\/files\/[^"]*"/g), id).toEqual([`href="../files/agreements/signed.pdf${hash}"`]);
      expect(body, id).not.toMatch(/(terms|old)\.html?|run\.js|feed\.xml/i);
    }
    const plain = read(join(out, "documents/POL-667.html"));
    expect(plain).toContain(`<span class="link-unresolved" title="${why("html")}">SHOUTING</span>`);
    // A missing file is text as before, with no title: it is not a refusal.
    expect(plain).toContain('<span class="link-unresolved">gone</span>');
  });
});

describe("policyops site: where it writes", () => {
  it("refuses the repository root, a governed folder (or a folder inside one), and /", async () => {
    const root = dir();
    await siteRepo(root);
    const cases: [string, string][] = [
      [root, "refusing to write the site into the repository root"],
      [join(root, "policies"), "refusing to write the site into the governed folder `policies/`"],
      [join(root, "sops", "site"), "refusing to write the site into the governed folder `sops/`"],
      [join(root, "kinds"), "refusing to write the site into the governed folder `kinds/`"],
      ["/", "refusing to write the site into `/`"],
    ];
    for (const [out, message] of cases) {
      const r = await cli(["site", root, "--out", out], { env });
      expect(r.status, out).toBe(2);
      expect(r.stderr, out).toContain(message);
    }
    expect(existsSync(join(root, "sops", "site"))).toBe(false);
    expect(existsSync(join(root, "index.html"))).toBe(false);
    const none = await cli(["site", root], { env });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("`site` needs `--out DIR`");
  });

  it("refuses a non-empty folder it did not write, and leaves it as it was", async () => {
    const root = dir();
    await siteRepo(root);
    const out = dir();
    writeFileSync(join(out, "thesis.docx"), "precious");
    const r = await cli(["site", root, "--out", out], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("is not empty and holds no site that policyops wrote");
    expect(read(join(out, "thesis.docx"))).toBe("precious");
    // A forged manifest cannot make it delete outside the folder.
    const victim = join(dir(), "victim.txt");
    writeFileSync(victim, "keep");
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ generator: "policyops site", sources: [], pages: [{ file: victim }, { file: "../victim.txt" }, { file: "thesis.docx/../../victim.txt" }] }));
    expect((await cli(["site", root, "--out", out], { env })).status).toBe(0);
    expect(read(victim)).toBe("keep");
  });

  it("a rebuild deletes only the files the previous build wrote: a removed document's page goes, the user's own file stays", async () => {
    const { root, out } = await built();
    writeFileSync(join(out, "auditor-notes.txt"), "mine");
    mkdirSync(join(out, "documents", "mine"), { recursive: true });
    writeFileSync(join(out, "documents", "mine", "x.txt"), "mine too");
    rmSync(join(root, "workshops/awareness.yaml"));
    const r = await cli(["site", root, "--out", out], { env });
    expect(r.status).toBe(0);
    expect(existsSync(join(out, "documents/WKS-001.html"))).toBe(false);
    expect(existsSync(join(out, "documents/POL-001.html"))).toBe(true);
    expect(read(join(out, "auditor-notes.txt"))).toBe("mine");
    expect(read(join(out, "documents", "mine", "x.txt"))).toBe("mine too");
  });

  it("a rebuild deletes a listed file only while it has the size and sha256 the manifest records: another file stays (refused, not overwritten, where the build writes), its own is replaced", async () => {
    const root = dir();
    await siteRepo(root);
    const manifest = (out: string, pages: { file: string; sha256: string; size: number }[]) => writeFileSync(join(out, "manifest.json"), JSON.stringify({ generator: "policyops site", sources: [], pages }));
    // The user's thesis, listed with its size but another hash: it stays, and the site is built beside it.
    const beside = dir();
    writeFileSync(join(beside, "thesis.docx"), "precious");
    manifest(beside, [{ file: "thesis.docx", sha256: sha("precious!"), size: 8 }]);
    const r = await cli(["site", root, "--out", beside], { env });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(read(join(beside, "thesis.docx"))).toBe("precious");
    expect(existsSync(join(beside, "documents/POL-001.html"))).toBe(true);
    // Where the build writes: the user's page, listed with another size, stays and the build refuses to overwrite it.
    const at = dir();
    mkdirSync(join(at, "documents"));
    writeFileSync(join(at, "documents/POL-001.html"), "auditor's notes");
    manifest(at, [{ file: "documents/POL-001.html", sha256: sha("auditor's notes"), size: 99 }]);
    const refused = await cli(["site", root, "--out", at], { env });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("refusing to overwrite `documents/POL-001.html` in the site folder: policyops did not write it");
    expect(read(join(at, "documents/POL-001.html"))).toBe("auditor's notes");
    // Listed with its own size and hash, the file is what that build wrote: replaced by this one's page.
    const ours = dir();
    mkdirSync(join(ours, "documents"));
    writeFileSync(join(ours, "documents/POL-001.html"), "an older page");
    manifest(ours, [{ file: "documents/POL-001.html", sha256: sha("an older page"), size: 13 }]);
    expect((await cli(["site", root, "--out", ours], { env })).status).toBe(0);
    expect(read(join(ours, "documents/POL-001.html"))).toBe(read(join(beside, "documents/POL-001.html")));
  });

  // POLICYOPS_WORKERS=3: the pages are written on the site's write thread; 1: through libuv's pool on the main thread.
  it.each(["1", "3"])("a rebuild that meets a file it did not write at one of its paths refuses to overwrite it, removes what it wrote, and leaves that file and a symbolic link's target as they were (POLICYOPS_WORKERS=%s)", async (workers) => {
    const { root, out } = await built();
    // The auditor's own page where the next build writes a document's page, and a link where it writes another.
    writeFileSync(join(out, "documents", "WKS-002.html"), "auditor's page");
    const target = join(dir(), "target.txt");
    writeFileSync(target, "elsewhere");
    symlinkSync(target, join(out, "documents", "WKS-003.html"));
    writeFileSync(join(root, "workshops/second.yaml"), "id: WKS-002\ntitle: Second\nowner: CISO\nstatus: active\n");
    writeFileSync(join(root, "workshops/third.yaml"), "id: WKS-003\ntitle: Third\nowner: CISO\nstatus: active\n");
    const r = await cli(["site", root, "--out", out], { env: { ...env, POLICYOPS_WORKERS: workers } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite `documents\/WKS-00[23]\.html` in the site folder: policyops did not write it; move it away and build again/);
    expect(read(join(out, "documents", "WKS-002.html"))).toBe("auditor's page");
    expect(read(target)).toBe("elsewhere");
    expect(lstatSync(join(out, "documents", "WKS-003.html")).isSymbolicLink()).toBe(true);
    // Nothing of the failed build is left: no page, no manifest.
    expect(existsSync(join(out, "documents", "POL-001.html"))).toBe(false);
    expect(existsSync(join(out, "index.html"))).toBe(false);
    expect(existsSync(join(out, "manifest.json"))).toBe(false);
  });

  it("the site may live inside the repository (not a governed folder), and is not a source of itself", async () => {
    const root = dir();
    await siteRepo(root);
    const out = join(root, "_site");
    expect((await cli(["site", root, "--out", out], { env })).status).toBe(0);
    expect((await cli(["site", root, "--out", out], { env })).status).toBe(0);
    const m = JSON.parse(read(join(out, "manifest.json")));
    expect(m.sources.some((s: { file: string }) => s.file.startsWith("_site"))).toBe(false);
    // Its own untracked files do not make the tree dirty.
    expect(m.dirty).toBe(false);
    expect((await cli(["verify-site", out, root], { env })).status).toBe(0);
  });
});

describe("policyops verify-site", () => {
  it("exit 0 when every hash matches", async () => {
    const { root, out } = await built();
    const r = await cli(["verify-site", out, root], { env });
    expect(r.stdout).toMatch(/^Site .* matches: \d+ source files and \d+ site files have the hashes in its manifest/);
    expect(r.status).toBe(0);
  });

  it("catches an edited source file, a removed and an added one: exit 1, one line each", async () => {
    const { root, out } = await built();
    writeFileSync(join(root, "policies/backup.md"), read(join(root, "policies/backup.md")).replace("quarterly", "never"));
    rmSync(join(root, "agreements/acme.md"));
    writeFileSync(join(root, "policies/new.md"), "x");
    const r = await cli(["verify-site", out, root], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("source `policies/backup.md` changed since the site was built (sha256 `");
    expect(r.stdout).toContain("source `agreements/acme.md` is in the site's manifest but not in the repository");
    expect(r.stdout).toContain("source `policies/new.md` is in the repository but not in the site's manifest");
    expect(r.stdout).toContain("3 differences between");
  });

  it("catches an edited page of the site and a file added to it", async () => {
    const { root, out } = await built();
    writeFileSync(join(out, "documents/POL-001.html"), read(join(out, "documents/POL-001.html")).replace("quarterly", "never"));
    writeFileSync(join(out, "documents/FAKE.html"), "<p>forged</p>");
    const r = await cli(["verify-site", out, root], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("site file `documents/POL-001.html` was edited after the build");
    expect(r.stdout).toContain("site file `documents/FAKE.html` was not written by the build");
  });

  it("--rebuild builds the site again as of the manifest and finds it identical; a page altered with its hash in the manifest passes the hash check but not the rebuild", async () => {
    const { root, out, head } = await built();
    const ok = await cli(["verify-site", out, root, "--rebuild"], { env });
    expect(ok.stdout).toContain(`and a rebuild from commit ${head} gives the same files`);
    expect(ok.status).toBe(0);
    // The forger edits a page and rewrites its hash and size in the manifest, and lists a page of their own.
    const page = join(out, "documents/POL-001.html");
    writeFileSync(page, read(page).replace("quarterly", "never"));
    writeFileSync(join(out, "documents/FAKE.html"), "<p>forged</p>");
    const manifest = JSON.parse(read(join(out, "manifest.json")));
    const entry = manifest.pages.find((p: { file: string }) => p.file === "documents/POL-001.html");
    entry.sha256 = sha(read(page));
    entry.size = Buffer.byteLength(read(page));
    manifest.pages.push({ file: "documents/FAKE.html", sha256: sha("<p>forged</p>"), size: 13 });
    writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
    expect((await cli(["verify-site", out, root], { env })).status).toBe(0);
    const r = await cli(["verify-site", out, root, "--rebuild"], { env });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`site file \`documents/POL-001.html\` is not what policyops ${manifest.tool.version} builds from commit \`${head.slice(0, 12)}\` (sha256 \`${entry.sha256}\` in the manifest, \``);
    expect(r.stdout).toContain("site file `documents/FAKE.html` is listed in the manifest, but what policyops");
    expect(r.stdout).toContain("2 differences between");
  });

  it("--rebuild needs the commit and the policyops version the site was built from, and keeps the build's --emails", async () => {
    const root = dir();
    await siteRepo(root);
    const out = join(root, "_site"); // inside the repository: not a source of itself in the rebuild either
    expect((await cli(["site", root, "--out", out, "--emails"], { env })).status).toBe(0);
    expect(read(join(out, "documents/POL-001.html"))).toMatch(/&lt;[^&]+@[^&]+&gt;/);
    expect((await cli(["verify-site", out, root, "--rebuild"], { env })).status).toBe(0);
    const manifest = JSON.parse(read(join(out, "manifest.json")));
    expect(manifest.emails).toBe(true);
    // Another version's site: the rebuild could not be compared byte for byte.
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ ...manifest, tool: { name: "policyops", version: "0.0.1" } }, null, 2));
    const v = await cli(["verify-site", out, root, "--rebuild"], { env });
    expect(v.status).toBe(2);
    expect(v.stderr).toContain("the site was built by policyops 0.0.1 and this is");
    writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2));
    // Another commit with the same files: the rebuild would show that commit's history.
    const { simpleGit } = await import("simple-git");
    await simpleGit({ baseDir: root }).raw(["commit", "--allow-empty", "-q", "-m", "nothing changed"]);
    const c = await cli(["verify-site", out, root, "--rebuild"], { env });
    expect(c.status).toBe(1);
    expect(c.stdout).toContain(`the site was built from commit \`${manifest.commit}\` and the repository is at \``);
  });

  it("a folder without a manifest is a usage error", async () => {
    const r = await cli(["verify-site", dir(), dir()], { env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no `manifest.json` in `.*`; give the folder `policyops site --out` wrote/);
  });
});

describe("site search shards", () => {
  it("splits large shards by one more character, and every term sits in the shard with the longest key that prefixes it (what the page loads)", async () => {
    const { shardEntries, termUnits, SHARD_BYTES } = await import("../src/site/search.js");
    const big = { 1: Object.fromEntries(Array.from({ length: 400 }, (_, i) => [String(i), 1])) };
    const terms = ["co", "c", "control", "controls", "compliance", "continuity", "contract", "cost", "é", "éclair", "zebra", ...Array.from({ length: 200 }, (_, i) => `con${i}x`)];
    const shards = shardEntries(terms.map((t) => [t, big]));
    const keys = [...shards.keys()];
    expect(keys).toContain("co");
    expect(keys.some((k) => k.startsWith("con"))).toBe(true);
    expect(keys).toContain("_e9_c");
    for (const [key, entries] of shards) {
      for (const [term] of entries) {
        const enc = termUnits(term).join("");
        const longest = keys.filter((k) => enc.startsWith(k)).sort((a, b) => b.length - a.length)[0];
        expect(longest, term).toBe(key);
      }
      if (entries.length > 1) expect(JSON.stringify(entries).length, key).toBeLessThan(SHARD_BYTES * 1.2);
    }
    expect(new Set([...shards.values()].flat().map((e) => e[0]))).toEqual(new Set(terms));
  });
});

describe("site render threads", () => {
  it("bodies rendered on worker threads (POLICYOPS_WORKERS=3) give the same pages, search files, copied files and calendar as on one thread, in the same order", async () => {
    const root = dir();
    await siteRepo(root);
    // Enough bodies that every thread gets several batches, each linking to the next.
    const extra: Record<string, string> = {};
    for (let i = 0; i < 40; i++) extra[`policies/p${i}.md`] = `---\nid: POL-${100 + i}\ntitle: Policy ${i}\nversion: "1.0"\nstatus: active\nowner: IT\n---\n\n## Purpose\n\nWord${i} and [next](p${i + 1}.md#scope), [agreement](../agreements/acme.md).\n\n## Scope\n\nx\n\n## Policy\n\ny\n`;
    writeRepo(root, extra);
    const one = join(dir(), "one");
    const many = join(dir(), "many");
    expect((await cli(["site", root, "--out", one], { env: { ...env, POLICYOPS_WORKERS: "1" } })).status).toBe(0);
    const r = await cli(["site", root, "--out", many], { env: { ...env, POLICYOPS_WORKERS: "3" } });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // Every file but the two that print the build's time; in `many` written by the write thread.
    const pages = (out: string) => (JSON.parse(read(join(out, "manifest.json"))).pages as { file: string; sha256: string; size: number }[]).filter((p) => p.file !== "index.html" && p.file !== "calendar.ics");
    expect(pages(many)).toEqual(pages(one));
    expect(pages(one).length).toBeGreaterThan(80);
    expect(pages(one).some((p) => p.file === "search/base.js") && pages(one).some((p) => p.file === "data/validate.json")).toBe(true);
    // And the manifest's hashes and sizes are those of the bytes on disk.
    for (const p of pages(many)) {
      const bytes = readFileSync(join(many, p.file));
      expect([p.file, createHash("sha256").update(bytes).digest("hex"), bytes.byteLength]).toEqual([p.file, p.sha256, p.size]);
    }
    // The calendar, written by the index thread in `many`: the same events (DTSTAMP is the build's time).
    const calendar = (out: string) => read(join(out, "calendar.ics")).replace(/^DTSTAMP:.*\r\n/gm, "");
    expect(calendar(many)).toBe(calendar(one));
    expect(calendar(one)).toMatch(/BEGIN:VEVENT\r\nUID:[^\r]+@policyops\r\n/);
    expect(read(join(many, "documents/POL-105.html"))).toContain('<a href="../documents/POL-106.html#scope">next</a>');
    expect(read(join(many, "documents/POL-105.html"))).toContain('<a href="../files/agreements/acme.md">agreement</a>');
  });
});

describe("site document bodies", () => {
  it("the body from the line after the front matter is the text's lines from there joined by \\n, for \\n, \\r\\n and lone \\r texts, past the end, and at line 1", async () => {
    const { bodyText } = await import("../src/site/body.js");
    const texts = ["---\nid: A\n---\n# Title\n\nText\n", "---\r\nid: A\r\n---\r\n# Title\r\n\r\nText\r\n", "a\rb\nc\r\nd", "", "\n\n", "one line", "x\n"];
    const lines = [0, 1, 2, 3, 4, 5, 6, 9];
    for (const text of texts) for (const line of lines) expect(bodyText(text, line), JSON.stringify([text, line])).toBe(text.split(/\r?\n/).slice(Math.max(0, line - 1)).join("\n"));
    expect(bodyText("---\nid: A\n---\n# Title\n", 4)).toBe("# Title\n");
    expect(bodyText("---\r\nid: A\r\n---\r\n# Title\r\n", 4)).toBe("# Title\n");
  });
});

describe("site search index", () => {
  it("splitting distinct words on spaces builds the same index files as minisearch's own tokenizer and lower-casing", async () => {
    const { SearchIndexer } = await import("../src/site/search.js");
    const docs = [
      { ref: "documents/POL-001.html", id: "POL-001", title: "Backup Policy: «Restore» & test", kind: "policy", url: "documents/POL-001.html", text: "Backups are tested quarterly. Backups, restores; C++ and $5 — naïve Ünïcode\u00a0words\u2028here ÉCLAIR e-mail x@y.z 3.14" },
      { ref: "documents/SOP-001.html", id: "SOP-001", title: "Offboarding", kind: "sop", url: "documents/SOP-001.html", text: "  leading spaces, trailing punctuation!!! (parenthesised) [bracketed] {braced} «quoted» “curly” — dashes – and/or slashes\ttabs\nnewlines " },
      { ref: "documents/LIC-001.html", id: "LIC-001", title: "Acme", kind: "licence", url: "documents/LIC-001.html", text: "" },
    ];
    const ours = new SearchIndexer();
    const theirs = new SearchIndexer({ defaultTokenizer: true });
    for (const d of docs) {
      ours.add(d);
      theirs.add(d);
    }
    const files = [...ours.files()];
    expect(files).toEqual([...theirs.files()]);
    const all = files.map(([, text]) => text).join("\n");
    for (const term of ['"backups"', '"naïve"', '"ünïcode"', '"éclair"', '"quarterly"', '"parenthesised"']) expect(all).toContain(term);
  });
});

describe("site actions page", () => {
  it("actions.html lists what `policyops actions` lists: the open items of the actions lists of kinds with the actions trait (a repository's own kind here), overdue first, overdue marked; data/actions.json is its JSON", async () => {
    const root = writeRepo(dir(), {
      "kinds/improvement.schema.json": JSON.stringify({
        $schema: "https://json-schema.org/draft/2020-12/schema",
        type: "object",
        "x-policyops": { kind: "improvement", folder: "improvements", format: "yaml", traits: ["actions"] },
        required: ["id", "title", "owner"],
        properties: { id: { type: "string" }, kind: { type: "string" }, title: { type: "string" }, owner: { type: "string" }, actions: { type: "array" } },
        additionalProperties: false,
      }),
      "improvements/a.yaml": "id: IMP-001\ntitle: Patch faster\nowner: CISO\nactions:\n  - { description: Automate patching, owner: Ops, due: 2026-09-01, status: open }\n  - { description: \"<b>Report</b> monthly\", owner: CISO, due: 2026-01-15, status: open }\n",
    });
    const out = join(dir(), "site");
    expect((await cli(["site", root, "--out", out], { env })).status).toBe(0);
    const html = read(join(out, "actions.html"));
    // The built-in kinds with the trait (audit, risk…) are named too: derived from the kinds, never listed by name.
    expect(html).toMatch(/Every open item of the <code>actions<\/code> and <code>findings<\/code> lists of [^.]*<code>improvement<\/code>/);
    // The same rows as `policyops actions --format json`.
    expect(read(join(out, "data/actions.json"))).toBe((await cli(["actions", root, "--format", "json"], { env })).stdout);
    const first = html.indexOf("&lt;b&gt;Report&lt;/b&gt; monthly");
    const second = html.indexOf("Automate patching");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(html).toContain('<span class="st-overdue">2026-01-15</span>');
    expect(html).toContain('<a href="documents/IMP-001.html">IMP-001</a>');
  });
});

describe("site dashboard: renewals", () => {
  it("\"Renewals in the next 90 days\" lists contracts beside licences, soonest first, each marked licence or contract; data/contracts.json is the CLI's contracts JSON", async () => {
    const root = writeRepo(dir(), {
      "vendors/acme.yaml": "id: VEN-ACME\nname: Acme Ltd\nowner: IT Procurement\n",
      "licences/backup.yaml": "id: LIC-001\nproduct: Acme Backup\nowner: IT\ntype: subscription\nexpiry_date: 2026-09-15\n",
      "contracts/support.yaml": "id: CON-001\ntitle: Acme support\nowner: IT\nvendor: VEN-ACME\ntype: support\nstart_date: 2025-08-15\nend_date: 2026-08-14\nrenewal: manual\nnotice_days: 30\n",
      "contracts/later.yaml": "id: CON-002\ntitle: Acme consultancy\nowner: IT\nvendor: VEN-ACME\ntype: consultancy\nstart_date: 2026-01-01\nend_date: 2027-06-30\n",
    });
    const out = join(dir(), "site");
    expect((await cli(["site", root, "--out", out], { env })).status).toBe(0);
    const index = read(join(out, "index.html"));
    const section = index.slice(index.indexOf("Renewals in the next 90 days"), index.indexOf("Overdue reviews"));
    expect(section).toMatch(/<a href="documents\/CON-001.html">CON-001<\/a><\/td><td>Acme support<\/td><td>2026-08-14<\/td><td>45<\/td><td><span class="st-expiring">expiring<\/span><\/td><td>contract<\/td>/);
    expect(section).toMatch(/<a href="documents\/LIC-001.html">LIC-001<\/a><\/td><td>Acme Backup<\/td><td>2026-09-15<\/td><td>77<\/td>.*<td>licence<\/td>/);
    expect(section.indexOf("CON-001")).toBeLessThan(section.indexOf("LIC-001"));
    expect(section).not.toContain("CON-002");
    const cliContracts = JSON.parse((await cli(["contracts", root, "--format", "json"], { env })).stdout);
    expect(JSON.parse(read(join(out, "data/contracts.json")))).toEqual(cliContracts);
  });
});

describe("site markdown without raw HTML", () => {
  /** Bodies with every construct markdown-it writes itself: the fast path must emit what sanitize-html would keep. */
  const BODIES = [
    "## Purpose\n\nPlain *text* with **strong**, `code`, ~~struck~~, \"quotes\" & 'apostrophes' < > and &copy; &#x3C;script&#x3E;.\n\n## Scope\n\nLine one  \nline two.\n",
    "| left | right | centre | none |\n|:--|--:|:-:|---|\n| a | b | c | d |\n",
    "Text[^1] and an inline note^[inline *note*].\n\n[^1]: The footnote [with a link](other.md#part).\n",
    "```js\nalert(1)\n```\n\n```c++\nx\n```\n\n```\"><script>alert(1)</script>\nx\n```\n\n```é\nx\n```\n\n```foo bar\nx\n```\n\n    indented code <b>\n",
    "[http](http://example.com/a?b=1&c=2) [HTTPS](HTTPS://example.com) [mail](mailto:a@example.com) [tel](tel:+123) [ftp](ftp://example.com/x) [proto](//evil.example/x) [anchor](#scope) [titled](other.md \"a \\\"title\\\"\")",
    "[relative](../sops/offboard.md#step-two) [missing](missing.md) [amp](a&b.md) [js](javascript:alert(1)) [js2](javascript&#58;alert(1)) [js3](<javascript:alert(1)>) [vb](vbscript:x) [data](data:text/html;base64,PHNjcmlwdD4=)",
    "<https://example.com/auto> <mailto:b@example.com> <tel:123> www.example.org and c@example.com and https://example.net/x.",
    "![local](img/a.png \"t\") ![missing](missing.png) ![remote](https://example.com/t.png) ![data](data:image/png;base64,iVBORw0KGgo=) ![proto](//evil.example/t.png) [![nested](img/b.png)](other.md)",
    "3. three\n4. four\n\n- a\n  - b\n\n> quoted **text**\n\n---\n\n# Heading 1\n\n### Heading *three*\n",
    "- [ ] open\n- [x] done <b>bold</b>\n- [x] link [x]\n\n[x]: http://a.example\n",
  ];
  const resolve = (href: string, image: boolean) => (href.includes("missing") ? null : `../documents/${href}${image ? "?img" : ""}`);
  const norm = (s: string) => s.replace(/&quot;/g, '"').replace(/ \/>/g, ">");

  it("task list items are GFM's: the marker only at the start of a list item's first paragraph, before links are parsed; shown as ☑ and ☐", async () => {
    const { renderMarkdown } = await import("../src/site/markdown.js");
    const { micromark } = await import("micromark");
    const { gfm, gfmHtml } = await import("micromark-extension-gfm");
    const inputs = ["- [ ] open\n- [x] done\n- [X] Done\n", "- [ ]\n", "- [x]\n  next line\n", "- [x]foo\n", "- [ ]  two spaces\n", "1. [x] ordered\n", "- para\n\n  [x] not first\n", "- > [x] quoted\n", "- [x] a\n\n  b\n", "[x] not in list\n", "- [x]\tTab\n", "- [y] no\n", "-  [x] indented\n", "* [x]\n* [ ] b\n", "- [x] link [x]\n\n[x]: http://a.example\n", "- [ ] \n", "- [ ] *emphasis* and `code`\n"];
    const oracle = (s: string) => micromark(s, { extensions: [gfm()], htmlExtensions: [gfmHtml()] }).replace(/<input type="checkbox" disabled="" checked="" \/>/g, "☑").replace(/<input type="checkbox" disabled="" \/>/g, "☐");
    const ours = (s: string) => renderMarkdown(s, () => [], (h) => h).html.replace(/<span class="task-done">☑<\/span>/g, "☑").replace(/<span class="task-open">☐<\/span>/g, "☐").replace(/ class="task-list-item"/g, "").replace(/ rel="noopener noreferrer"/g, "");
    for (const s of inputs) expect(ours(s).trim(), JSON.stringify(s)).toBe(oracle(s).trim());
    // Marked for the stylesheet, and inert: no form element reaches the page.
    const html = renderMarkdown("- [x] done\n- [ ] open\n", () => [], (h) => h).html;
    expect(html).toBe('<ul>\n<li class="task-list-item"><span class="task-done">☑</span> done</li>\n<li class="task-list-item"><span class="task-open">☐</span> open</li>\n</ul>\n');
  });

  it("renders each construct as sanitize-html would leave it (links, images, tables, code classes, footnotes), and the sanitizer would change nothing", async () => {
    const { renderMarkdown, sanitizeBody } = await import("../src/site/markdown.js");
    for (const body of BODIES) {
      const fast = renderMarkdown(body, () => ["purpose", "scope"], resolve).html;
      const sanitized = renderMarkdown(body, () => ["purpose", "scope"], resolve, { sanitizeAll: true }).html;
      expect(norm(fast), body).toBe(norm(sanitized));
      expect(norm(sanitizeBody(fast, (href) => href)), body).toBe(norm(fast));
    }
    const links = renderMarkdown(BODIES[4]! + "\n\n" + BODIES[5]!, () => [], resolve).html;
    expect(links).toContain('<a href="http://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">http</a>');
    expect(links).toContain("<a>tel</a>");
    expect(links).toContain("<a>proto</a>");
    expect(links).toContain('<a href="#scope">anchor</a>');
    expect(links).toContain('<a href="../documents/../sops/offboard.md#step-two">relative</a>');
    expect(links).toContain('<span class="link-unresolved">missing</span>');
    expect(links).not.toMatch(/(href|src)="\s*(javascript|vbscript|data):/i);
    const code = renderMarkdown(BODIES[3]!, () => [], resolve).html;
    expect(code).toContain('<code class="language-js">');
    expect(code).not.toMatch(/language-(c\+\+|&quot;|é)/);
    expect(code).toContain('<code class="language-foo">');
    expect(code).not.toContain("<script");
    const images = renderMarkdown(BODIES[7]!, () => [], resolve).html;
    expect(images).toContain('<img alt="local" title="t" src="../documents/img/a.png?img">');
    expect(images).not.toMatch(/src="[^"]*(example\.com|evil\.example|data:)/);
    expect(renderMarkdown(BODIES[1]!, () => [], resolve).html).toContain('<td class="align-right">b</td>');
  });

  it("bare URLs are links as GFM makes them, and bare domains are not", async () => {
    const { renderMarkdown } = await import("../src/site/markdown.js");
    const { micromark } = await import("micromark");
    const { gfm, gfmHtml } = await import("micromark-extension-gfm");
    // The same link written two ways (`http://www.點看.com`: punycode or percent-encoded host) is one href.
    const hrefs = (html: string) => [...new Set([...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)].map((m) => new URL(m[1]!.replace(/&amp;/g, "&"), "relative:/").href))];
    const gfmHrefs = (body: string) => hrefs(micromark(body, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] }));
    // Input, and the hrefs GFM gives it. Not here: a literal inside an unclosed `[`, which
    // micromark's HTML leaves as text but remark-gfm's mdast (and the site) link.
    const CASES: [string, string[]][] = [
      ["see example.com, example.org/a and 192.168.0.1", []],
      ["policy.md, docs/policy.md and README.md", []],
      ["ftp://x.example and //x.example and mailto:", []],
      ["www.example.com/a", ["http://www.example.com/a"]],
      ["xwww.example.com and -www.example.com and `code`www.example.com", []],
      ["(www.example.com) *www.example.org* WWW.EXAMPLE.NET.", ["http://www.example.com/", "http://www.example.org/", "http://www.example.net/"]],
      ["www.a.b_c.example and https://a_b.example.com", ["https://a_b.example.com/"]],
      ["https://example.com/x. and https://example.com/a_(b) (https://example.com/c)", ["https://example.com/x", "https://example.com/a_(b)", "https://example.com/c"]],
      ["https://example.com/?a=1&b=2&amp; and https://example.com/_e_ and https://example.com/q\"r", ["https://example.com/?a=1&b=2", "https://example.com/_e", "https://example.com/q%22r"]],
      ["1https://one.example and xhttps://x.example", ["https://one.example/"]],
      ["mail a@b.example, a+b@c.example. or CORP\\j.doe@corp.example", ["mailto:a@b.example", "mailto:a+b@c.example", "mailto:j.doe@corp.example"]],
      ["a@b.c- and a@b and a/b@c.example", []],
      ["[a](b.md)www.example.com and [c](d.md) www.example.org", ["b.md", "d.md", "http://www.example.org/"]],
      ["# See www.example.com\n\n| a | b |\n|---|---|\n| https://example.com/t | x@y.example |\n", ["http://www.example.com/", "https://example.com/t", "mailto:x@y.example"]],
      ["www.點看.com", ["http://www.xn--c1yn36f.com/"]],
    ];
    for (const [body, expected] of CASES) {
      const resolved = expected.map((h) => new URL(h, "relative:/").href);
      expect(gfmHrefs(body), `GFM: ${body}`).toEqual(resolved);
      expect(hrefs(renderMarkdown(body, () => ["see-wwwexamplecom"], (href) => href).html), body).toEqual(resolved);
    }
  });

  it("a body with raw HTML still goes through sanitize-html: the hostile fixture keeps no script, handler or javascript: URL", async () => {
    const { renderMarkdown } = await import("../src/site/markdown.js");
    const { HOSTILE_BODY } = await import("./helpers/site.js");
    const html = renderMarkdown(HOSTILE_BODY, () => ["purpose", "scope", "policy"], resolve).html;
    expect(html).not.toMatch(/<script|<iframe|<svg|<form|<[^>]*\son[a-z]+=|<[^>]*=\s*["']?\s*javascript:/i);
    expect(html).toContain('<a id="kept-anchor" name="kept-name">an HTML anchor validate counts</a>');
    expect(html).toContain('<h2 id="purpose">Purpose</h2>');
  });
});

describe("site: records that do not validate are never shown as valid (SPEC §2)", () => {
  /**
   * A repository with one record of each way not to validate: a SOP whose front matter breaks its
   * schema (listed, marked), a policy without an id and a licence that does not parse (neither can
   * be listed), beside valid, overdue and draft ones.
   */
  async function invalidSite(): Promise<{ out: string; root: string }> {
    const root = writeRepo(dir(), {
      "policies/good.md": policy("POL-001", 'controls: ["NIST-CSF-2.0:PR.DS-11"]\n'),
      "policies/stale.md": policy("POL-002").replace(/last_reviewed: .*/, "last_reviewed: 2025-01-10").replace(/approved_on: .*/, "approved_on: 2025-01-10"),
      "policies/draft.md": policy("POL-003").replace("status: active", "status: draft"),
      "policies/no-id.md": policy("POL-004").replace("id: POL-004\n", ""),
      "sops/offboard.md": `---\nid: SOP-001\ntitle: Offboarding\nversion: "1.0"\nstatus: active\nowner: IT Director\napproved_by: IT Director\napproved_on: 2026-03-01\nlast_reviewed: not-a-date\npolicies: [POL-001]\ncontrols: ["NIST-CSF-2.0:PR.AA-01"]\n---\n\n# Offboarding\n\n## Purpose\n\nx\n\n## Scope\n\ny\n\n## Procedure\n\nz\n`,
      "licences/ok.yaml": "id: LIC-001\nproduct: Acme Backup\ntype: subscription\nowner: IT\nexpiry_date: 2027-08-01\n",
      "licences/broken.yaml": "id: LIC-002\nproduct: [unclosed\n",
    });
    const out = join(dir(), "site");
    const r = await cli(["site", root, "--out", out], { env });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return { out, root };
  }
  const pageOf = (out: string, file: string): string => read(join(out, `documents/doc-${sha(file).slice(0, 16)}.html`));
  const printHeader = (html: string) => html.match(/<div class="print-header">(.*)<\/div>/)![1]!;

  it("a document page says it does not validate under its title and in its print header (before its approval and status), linking its findings; a valid one says nothing", async () => {
    const { out } = await invalidSite();
    const sop = read(join(out, "documents/SOP-001.html"));
    const marker = 'Does not validate: 1 error, see <a href="#policyops-findings">Findings</a>';
    expect(sop).toContain(`</h1>\n<p class="invalid-banner st-invalid">${marker}. Its values below may be wrong or missing.</p>`);
    expect(printHeader(sop)).toMatch(new RegExp(`^<strong>SOP-001</strong> · Offboarding · <strong class="st-invalid">${marker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}</strong> · version 1.0 · approved by IT Director on 2026-03-01 · status active · `));
    expect(sop).toContain('<h2 id="policyops-findings">Findings</h2>');
    expect(sop).toContain("<code>schema/format</code>");
    // The records no register lists have pages that say so too: no id, and YAML that does not parse.
    expect(printHeader(pageOf(out, "policies/no-id.md"))).toContain('<strong class="st-invalid">Does not validate: 1 error, see');
    // (The id of YAML that does not parse is still read for its page's name.)
    expect(read(join(out, "documents/LIC-002.html"))).toContain('<p class="invalid-banner st-invalid">Does not validate: 1 error, see');
    for (const valid of ["POL-001", "POL-002", "LIC-001"]) {
      const html = read(join(out, `documents/${valid}.html`));
      expect(html, valid).not.toContain("Does not validate");
      expect(html, valid).not.toContain("st-invalid");
    }
  });

  it("the dashboard counts records that do not validate as invalid, not under the status they claim, and says so", async () => {
    const { out } = await invalidSite();
    const index = read(join(out, "index.html"));
    const section = index.slice(index.indexOf("<h2>Documents by kind and status</h2>"), index.indexOf("<h2>Findings by severity</h2>"));
    expect(section).toContain("<tr><th>kind</th><th>total</th><th>(none)</th><th>active</th><th>draft</th><th>invalid</th></tr>");
    expect(section).toContain('<tr><td><a href="licences.html">licence</a></td><td>2</td><td>1</td><td></td><td></td><td><span class="st-invalid">1</span></td></tr>');
    expect(section).toContain('<tr><td><a href="policies.html">policy</a></td><td>4</td><td></td><td>2</td><td>1</td><td><span class="st-invalid">1</span></td></tr>');
    expect(section).toContain('<tr><td><a href="sops.html">sop</a></td><td>1</td><td></td><td></td><td></td><td><span class="st-invalid">1</span></td></tr>');
    expect(section).toContain("3 documents do not validate: counted as <span class=\"st-invalid\">invalid</span>, not under the status they claim.");
  });

  it("a register page says how many of its records do not validate, names those it cannot list, and points at validate.json; registers.html counts them", async () => {
    const { out, root } = await invalidSite();
    const policies = read(join(out, "policies.html"));
    const noId = `documents/doc-${sha("policies/no-id.md").slice(0, 16)}.html`;
    expect(policies).toContain("4 documents in <code>policies/</code>, 3 listed below.");
    expect(policies).toContain(`<p class="invalid-note sev-error">1 policy record does not validate and is marked <code>invalid</code>, so totals are incomplete; run <code>policyops validate</code> and fix it. It is not in the table below: it does not parse or has no id (<a href="${noId}">policies/no-id.md</a>). Its findings: <a href="data/validate.json">validate.json</a>.</p>`);
    const licences = read(join(out, "licences.html"));
    expect(licences).toContain('It is not in the table below: it does not parse or has no id (<a href="documents/LIC-002.html">licences/broken.yaml</a>).');
    // A record it can list is listed, marked, and the note does not call it missing.
    const sops = read(join(out, "sops.html"));
    expect(sops).toContain('<p class="invalid-note sev-error">1 sop record does not validate and is marked <code>invalid</code>, so totals are incomplete; run <code>policyops validate</code> and fix it. Its findings: <a href="data/validate.json">validate.json</a>.</p>');
    expect(sops).toContain('<code>sops/offboard.md</code> <span class="sev-error">invalid</span>');
    // The same note as `policyops list` prints.
    const listNote = (await cli(["list", "policy", root], { env })).stdout.split("\n").find((l) => l.includes("does not validate"))!;
    expect(policies).toContain(esc(listNote).replace(/`([^`]*)`/g, "<code>$1</code>"));
    const registers = read(join(out, "registers.html"));
    expect(registers).toContain("<th>kind</th><th>folder</th><th>documents</th><th>invalid</th><th>declared</th>");
    expect(registers).toContain('<tr><td><a href="policies.html">policy</a></td><td>policies</td><td>4</td><td><span class="st-invalid">1</span></td><td>built in</td></tr>');
    expect(registers).toContain('<tr><td><a href="manuals.html">manual</a></td><td>manuals</td><td>0</td><td></td><td>built in</td></tr>');
  });

  it("the statement of applicability marks a document that does not validate where it lists it (it covers nothing)", async () => {
    const { out } = await invalidSite();
    const compliance = read(join(out, "compliance.html"));
    const soa = compliance.slice(compliance.indexOf("<h3>Statement of applicability</h3>"));
    expect(soa).toMatch(/<tr><td>PR\.AA-01<\/td><td>[^<]*<\/td><td><span class="st-missing">missing<\/span><\/td><td><a href="documents\/SOP-001.html">SOP-001<\/a> <span class="st-invalid">\(invalid: covers nothing\)<\/span><\/td>/);
    expect(soa).toMatch(/<tr><td>PR\.DS-11<\/td><td>[^<]*<\/td><td><span class="st-covered">covered<\/span><\/td><td><a href="documents\/POL-001.html">POL-001<\/a><\/td>/);
  });

  it("\"Overdue reviews\" lists the documents that do not validate as invalid beside the overdue ones, and counts those it cannot list", async () => {
    const { out } = await invalidSite();
    const index = read(join(out, "index.html"));
    const section = index.slice(index.indexOf("<h2>Overdue reviews</h2>"), index.indexOf("</main>"));
    expect(section).toContain('<tr><td><a href="documents/SOP-001.html">SOP-001</a></td><td>Offboarding</td><td>IT Director</td><td></td><td><span class="st-invalid">invalid</span></td></tr>');
    expect(section).toContain('<tr><td><a href="documents/POL-002.html">POL-002</a></td><td>Policy POL-002</td><td>IT Director</td><td>2026-01-10</td><td><span class="st-overdue">overdue</span></td></tr>');
    expect(section).not.toContain("POL-001");
    expect(section).not.toContain("POL-003");
    expect(section).toContain("Documents marked <span class=\"st-invalid\">invalid</span> do not validate: their review state is unknown until they are fixed. The review state of 1 more document is unknown: it does not parse or has no id, so it is not listed; see <a href=\"data/validate.json\">validate.json</a>.");
  });
});
