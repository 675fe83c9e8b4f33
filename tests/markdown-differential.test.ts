/**
 * The differential test (bench/differential.mjs) on short synthetic pages: each reproduces a
 * construct class of the real repositories it was run on (nodejs/nodejs.org,
 * gohugoio/hugoDocs, MicrosoftDocs/office-docs-powershell; bench/real-world.md), since nothing
 * of them may be committed. A whole file goes through the engine's parseFile (as a manual,
 * positions eager) and through the mdast oracle (remark-parse + remark-gfm +
 * remark-frontmatter, github-slugger: tests/helpers/markdown-oracle.ts), and their headings,
 * links, definitions and HTML anchors must agree. "Known engine differences" are today's
 * engine's deviations from the oracle, written as `it.fails` with the oracle's answer: when
 * the engine is fixed (issue 14 replaces its tokenizer) they fail, and become plain `it`.
 */
import { describe, expect, it } from "vitest";
import { parseFile } from "../src/engine/index.js";
import { diffFacts, engineFacts, oracleFacts } from "./helpers/markdown-oracle.js";

/** As bench/differential.mjs compares a file. */
function compare(page: string) {
  const bytes = Buffer.from(page, "utf8");
  const engine = engineFacts(parseFile("docs/page.md", "manual", bytes, { positions: "eager" }).facts);
  const oracle = oracleFacts(new TextDecoder("utf-8").decode(bytes), { frontmatter: true });
  return { engine, oracle, differences: diffFacts(engine, oracle) };
}

/** nodejs.org blog and release notes: long link lists, linked images, `<a id>` anchors, reference links. */
const NODEJS_BLOG = `---
date: '2016-09-23T16:00:00.000Z'
category: vulnerability
title: September 2016 Security Releases
layout: blog-post
author: Rod Vagg
---

# September 2016 Security Releases

Node.js v6.7.0 (Current), v4.6.0 (LTS "Argon") and v0.12.16 are now available.

<a id="CVE-2016-6304"></a>

## OCSP Status Request extension unbounded memory growth (CVE-2016-6304)

See [below](#original_post), the [changelog][changelog] and [the API](/api/crypto/#crypto_class_certificate).
[![Flame graph](https://example.org/flame.svg)](https://example.org/flame.svg) &mdash; [v6.7.0](https://nodejs.org/dist/v6.7.0/)

- **crypto**: fix \`Hash#copy\` ([#1234](https://github.com/nodejs/node/pull/1234))
- **deps**: upgrade to V8 5.1 — *see* [the notes](../blog/release/v6.0.0.md)

<a name="original_post"></a>

## Original post

| Platform | Download |
| --- | --- |
| Windows 64-bit | [node-v6.7.0-x64.msi](https://nodejs.org/dist/v6.7.0/node-v6.7.0-x64.msi) |
| macOS | [node-v6.7.0.pkg](https://nodejs.org/dist/v6.7.0/node-v6.7.0.pkg) |

### Original post

Shasums (GPG signed): https://nodejs.org/dist/v6.7.0/SHASUMS256.txt.asc and www.nodejs.org/en/.

[changelog]: https://github.com/nodejs/node/blob/v6.7.0/CHANGELOG.md
`;

/** hugoDocs content: shortcodes, glossary links `[term](g)`, code fences, Hugo headings with code. */
const HUGO_PAGE = `---
title: Render hooks
description: Use render hooks to override the rendering of Markdown to HTML.
categories: []
keywords: []
weight: 10
aliases: [/templates/render-hooks/]
---

{{% glossary-term "render hook" %}}

## Link render hooks {#links}

Use a [render hook](g) in \`layouts/_markup/render-link.html\`, see [\`urls.Parse\`](/functions/urls/parse/) and
{{< newtemplatesystem >}} [the example]({{% eturl markdown %}}#example).

\`\`\`go-html-template {file="layouts/_markup/render-link.html"}
<a href="{{ .Destination | safeURL }}">[not](a-link.md)</a>
\`\`\`

{{< code-toggle file=hugo >}}
[markup.goldmark.renderHooks.link]
useEmbedded = 'auto'
{{< /code-toggle >}}

### Heading with \`code\` and *emphasis* and a [link](#links)

Term
: Definition with [a link](../functions/_index.md#step-2).

> [!note]
> Callouts are blockquotes on GitHub.
`;

/** office-docs-powershell (platyPS): cmdlet pages, repeated `### -Parameter` headings, yaml fences, `<Type>` in code. */
const CMDLET_PAGE = `---
applicable: Exchange Online, Exchange Online Protection
external help file: Microsoft.Exchange.TransportMailflow-Help.xml
Locale: en-US
Module Name: ExchangePowerShell
online version: https://learn.microsoft.com/powershell/module/exchangepowershell/set-throttlingpolicy
schema: 2.0.0
title: Set-ThrottlingPolicy
---

# Set-ThrottlingPolicy

## SYNOPSIS
This cmdlet is available only in on-premises Exchange.

For information about the parameter sets in the Syntax section below, see [Exchange cmdlet syntax](https://learn.microsoft.com/powershell/exchange/exchange-cmdlet-syntax).

## SYNTAX

### Identity
\`\`\`
Set-ThrottlingPolicy [-Identity] <ThrottlingPolicyIdParameter>
 [-AnonymousCutoffBalance <Unlimited>] [-Confirm] [<CommonParameters>]
\`\`\`

## DESCRIPTION
You need to be assigned permissions before you can run this cmdlet. See [Find the permissions](https://learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions).

> [!NOTE]
> Use the *ThrottlingPolicyScope* parameter; values are \`Regular\`, \`Organization\` and \`Global\`.

## PARAMETERS

### -Identity
The Identity parameter specifies the name of the policy. You can use any value that uniquely identifies it:

- Name
- Distinguished name (DN)

\`\`\`yaml
Type: ThrottlingPolicyIdParameter
Parameter Sets: (All)
Aliases:

Required: True
Position: 1
\`\`\`

### -Confirm
The Confirm switch specifies whether to show or hide the confirmation prompt.

- Destructive cmdlets (for example, Remove-\\* cmdlets) have a built-in pause.

### CommonParameters
This cmdlet supports the common parameters: -Debug, -ErrorAction. For more information, see [about_CommonParameters](https://go.microsoft.com/fwlink/?LinkID=113216).

## INPUTS

###  

## OUTPUTS

###  

## NOTES

## RELATED LINKS

[Online Version](https://learn.microsoft.com/powershell/module/exchangepowershell/set-throttlingpolicy)
`;

describe("real page shapes: the engine's Markdown facts agree with the mdast oracle", () => {
  it.each([
    ["a nodejs.org security-release post (HTML anchors, linked images, tables, reference links, literal autolinks)", NODEJS_BLOG, { headings: 4, links: 10, htmlAnchors: 2 }],
    ["a hugoDocs page (shortcodes, glossary links, attribute headings, code fences with HTML, callouts)", HUGO_PAGE, { headings: 2, links: 4, htmlAnchors: 0 }],
    ["an office-docs-powershell cmdlet page (repeated parameter headings, empty ### headings, yaml fences, `<Type>` in code)", CMDLET_PAGE, { headings: 15, links: 4, htmlAnchors: 0 }],
  ])("%s", (_name, page, counts) => {
    const { engine, differences } = compare(page);
    expect(differences).toEqual([]);
    expect({ headings: engine.headings.length, links: engine.links.length, htmlAnchors: engine.htmlAnchors.length }).toEqual(counts);
  });

  it("a Hugo destination with spaces (`[x]({{% eturl y %}}#z)`) is no link, in both", () => {
    const { engine } = compare(HUGO_PAGE);
    expect(engine.links.map((l) => l.url)).toEqual(["g", "/functions/urls/parse/", "#links", "../functions/_index.md#step-2"]);
  });

  it("the same pages with Windows line endings and a UTF-8 BOM give the same facts at the same positions", () => {
    for (const page of [NODEJS_BLOG, HUGO_PAGE, CMDLET_PAGE]) {
      const crlf = compare("\uFEFF" + page.replace(/\n/g, "\r\n"));
      expect(crlf.differences).toEqual([]);
      expect(crlf.engine).toEqual(compare(page).engine);
    }
  });

  it("platyPS's empty `###  ` headings get the anchors `` and `-1`, parameter headings keep their leading `-`, as the oracle gives them", () => {
    const { engine } = compare(CMDLET_PAGE);
    expect(engine.headings.map((h) => h.slug)).toEqual(["set-throttlingpolicy", "synopsis", "syntax", "identity", "description", "parameters", "-identity", "-confirm", "commonparameters", "inputs", "", "outputs", "-1", "notes", "related-links"]);
    expect(engine.headings.find((h) => h.range.line === 34)).toMatchObject({ depth: 3, text: "-Identity", slug: "-identity" });
  });

  it("a linked image `[![alt](a.svg)](b)`: whatever order the engine lists the image and the link in (micromark: image first; mdast: link first), compared in source order they agree", () => {
    const page = "[![Flame graph](flame.svg)](flame.html)\n";
    const { engine, oracle, differences } = compare(page);
    expect(oracle.links.map((l) => `${l.kind} ${l.url}`)).toEqual(["link flame.html", "image flame.svg"]);
    expect(engine.links.map((l) => `${l.kind} ${l.url}`).sort()).toEqual(["image flame.svg", "link flame.html"]);
    expect(differences).toEqual([]);
  });

  it("GFM literal autolinks that remark-gfm finds only after decoding (`a\\_b@c.com`, `x&amp;www.b.com`) have no position: the oracle skips them, as it skips every autolink", () => {
    const page = "Write to a\\_b@c.com or see x&amp;www.b.com and a&#64;b.com, not [a link](c.md).\n";
    const { oracle, differences } = compare(page);
    expect(oracle.links).toEqual([{ url: "c.md", kind: "link", range: { line: 1, column: 65, endLine: 1, endColumn: 79 } }]);
    expect(differences).toEqual([]);
  });

  it("a difference is reported with its class and both sides (the comparison itself can fail)", () => {
    const engine = { headings: [{ depth: 2, text: "A", slug: "a", range: { line: 1, column: 1, endLine: 1, endColumn: 5 } }], links: [], htmlAnchors: ["x"] };
    const oracle = { headings: [{ depth: 2, text: "A", slug: "a-1", range: { line: 1, column: 1, endLine: 1, endColumn: 5 } }], links: [{ url: "b.md", kind: "link", range: { line: 3, column: 1, endLine: 3, endColumn: 10 } }], htmlAnchors: ["x"] };
    expect(diffFacts(engine, oracle)).toEqual([
      { class: "headings.slug", detail: 'engine h2 "A" #a @1:1-1:5 ≠ oracle h2 "A" #a-1 @1:1-1:5' },
      { class: "links.missing-in-engine", detail: 'oracle has link "b.md" @3:1-3:10, engine does not' },
    ]);
  });
});

describe("known engine differences (today's engine; the oracle's answer is asserted, so these pass once fixed)", () => {
  it.fails("a CRLF soft break in a heading's text becomes `\\n` (anchors unaffected)", () => {
    const page = "Title\n=====\n\nTwo\r\nlines\n---\n";
    const { engine, differences } = compare(page);
    expect(engine.headings.map((h) => h.slug)).toEqual(["title", "twolines"]);
    expect(engine.headings.map((h) => h.text)).toEqual(["Title", "Two\r\nlines"]);
    expect(differences).toEqual([]);
  });

  it("links, images and definitions with an empty destination (`[a]()`, `[a](<>)`, `![i]()`, `[d]: <>`) are links to \"\" as in mdast (fixed by the markdown-it reader; no finding depends on them)", () => {
    const page = "[a]() and [b](<>) and ![c]()\n\n[d]: <>\n";
    const { engine, differences } = compare(page);
    expect(engine.links.map((l) => `${l.kind} ${JSON.stringify(l.url)} ${l.range.line}:${l.range.column}`)).toEqual(['link "" 1:1', 'link "" 1:11', 'image "" 1:23', 'definition "" 3:1']);
    expect(differences).toEqual([]);
  });
});
