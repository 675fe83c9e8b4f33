import { writeFileSync, openSync, ftruncateSync, closeSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { load, type Finding } from "../src/engine/index.js";
import { policy, tempDir, writeRepo } from "./helpers/repo.js";

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
async function findingsOf(files: Record<string, string | Uint8Array>, today = "2026-06-30"): Promise<Finding[]> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  writeRepo(t.dir, files);
  return (await load(t.dir, { today })).findings();
}
const brief = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line}:${f.column} ${f.code}`);
const LIC = "id: LIC-001\nproduct: Office\ntype: perpetual\nowner: IT\n";

describe("hostile and odd input", () => {
  it("a YAML alias bomb stops at a budget with a positioned parse/yaml finding", async () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    const started = Date.now();
    const fs = await findingsOf({ "licences/bomb.yaml": LIC + bomb.join("\n") + "\n" });
    expect(Date.now() - started).toBeLessThan(20_000);
    const f = fs.find((x) => x.code === "parse/yaml")!;
    expect(f.message).toMatch(/alias bomb/);
    expect(f.line).toBeGreaterThan(4);
  });

  it("a 50 MB file is not read: file/too-large", async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    writeRepo(t.dir, { "policies/ok.md": policy("POL-001") });
    const fd = openSync(join(t.dir, "policies/huge.md"), "w");
    ftruncateSync(fd, 50 * 1024 * 1024);
    closeSync(fd);
    const fs = (await load(t.dir, { today: "2026-06-30" })).findings();
    expect(brief(fs)).toEqual(["policies/huge.md:1:1 file/too-large"]);
    // Its size, told though the file is never read (nor stat'ed but for this message).
    expect(fs[0]!.message).toContain("The file is 50.0 MB, over the 5 MB limit");
  });

  it("deeply nested YAML gives a finding, not a stack overflow", async () => {
    const deep = `${LIC}x-deep: ${"[".repeat(20000)}${"]".repeat(20000)}\n`;
    const fs = await findingsOf({ "licences/deep.yaml": deep });
    expect(fs.map((f) => f.code)).toEqual(["parse/yaml"]);
  });

  it("binary content, NUL bytes and invalid UTF-8 are parse/encoding findings", async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const invalid = Buffer.concat([Buffer.from(policy("POL-002").replace("title: Policy POL-002", "title: Caf")), Buffer.from([0xe9, 0x0a])]);
    const fs = await findingsOf({ "policies/image.md": png, "policies/latin1.md": invalid, "policies/ok.md": policy("POL-001") });
    expect(brief(fs.filter((f) => f.code === "parse/encoding"))).toEqual(["policies/image.md:1:1 parse/encoding", "policies/latin1.md:25:1 parse/encoding"]);
  });

  it("a BOM and CRLF line endings change no finding and no column", async () => {
    const text = policy("POL-001", "review_cycle_months: 99\n");
    const lf = await findingsOf({ "policies/a.md": text });
    const crlfBom = await findingsOf({ "policies/a.md": "\uFEFF" + text.replace(/\n/g, "\r\n") });
    expect(lf.length).toBe(1);
    expect(crlfBom.map(({ message, ...rest }) => rest)).toEqual(lf.map(({ message, ...rest }) => rest));
  });

  it("UTF-16 with a BOM is read", async () => {
    const text = "\uFEFF" + LIC;
    const utf16 = Buffer.from(text, "utf16le");
    expect(await findingsOf({ "licences/a.yaml": utf16 })).toEqual([]);
  });

  it("10,000 findings in one file are all reported, in order", async () => {
    const refs = Array.from({ length: 10_000 }, (_, i) => `  - SYS-${String(i).padStart(5, "0")}`).join("\n");
    const fs = await findingsOf({ "licences/a.yaml": `${LIC}systems:\n${refs}\n` });
    expect(fs).toHaveLength(10_000);
    expect(fs.every((f) => f.code === "ref/unknown")).toBe(true);
    expect(fs[9_999]!.line).toBe(10_005);
  });

  it("ids with unicode look-alikes fail the id pattern", async () => {
    const fs = await findingsOf({ "policies/a.md": policy("POL-0O1").replace("POL-0O1", "POL-0\u041e1") });
    expect(fs.map((f) => f.code)).toContain("schema/pattern");
  });

  it("front matter without a closing --- is parse/front-matter at line 1", async () => {
    const fs = await findingsOf({ "policies/a.md": "---\nid: POL-001\ntitle: x\n\n# Heading\n" });
    expect(brief(fs)).toEqual(["policies/a.md:1:1 parse/front-matter"]);
  });

  it("a front matter never closed, or below a heading or blank line, still lends its id: no ref/unknown cascades into the SOPs naming it", async () => {
    const sop = (id: string, policies: string) => `---\nid: ${id}\ntitle: S\nversion: "1.0"\nstatus: draft\nowner: IT\npolicies: [${policies}]\n---\n\n## Purpose\n\nx\n\n## Scope\n\nx\n\n## Procedure\n\nx\n`;
    const fs = await findingsOf({
      "policies/unclosed.md": "---\nid: POL-001\ntitle: Access\nowner: IT\n\n# Access\n\nScope: everyone.\n",
      "policies/heading.md": "# Backup policy\n\n---\nid: POL-002\ntitle: Backup\n---\n\n## Purpose\n",
      "policies/alias-bomb.md": "---\nid: POL-003\n" + ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n") + "\n---\n",
      "sops/s.md": sop("SOP-001", "POL-001, POL-002, POL-003"),
    });
    expect(fs.filter((f) => f.code === "ref/unknown")).toEqual([]);
    expect(fs.map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.docId} ${f.message}`)).toEqual([
      "policies/alias-bomb.md:3:26 parse/yaml POL-003 The YAML expands to more than 100,000 values (an alias bomb?); remove the aliases.",
      "policies/heading.md:1:1 parse/front-matter POL-002 The front matter starts on line 3, not line 1, so it is not read; move its `---` block to the very top of the file, above any heading or blank line.",
      "policies/unclosed.md:1:1 parse/front-matter POL-001 The front matter opened by `---` on line 1 is never closed; add a `---` line after its last field.",
    ]);
  });

  it("empty files, list front matter and scalar records give schema findings, not crashes", async () => {
    const fs = await findingsOf({ "policies/empty.md": "", "policies/list.md": "---\n- a\n- b\n---\n", "licences/scalar.yaml": "just text\n", "licences/empty.yaml": "" });
    expect(brief(fs)).toEqual([
      "licences/empty.yaml:1:1 schema/required",
      "licences/empty.yaml:1:1 schema/required",
      "licences/empty.yaml:1:1 schema/required",
      "licences/empty.yaml:1:1 schema/required",
      "licences/scalar.yaml:1:1 schema/type",
      "policies/empty.md:1:1 parse/front-matter",
      "policies/list.md:2:1 schema/type",
      // the body is empty, so the required sections are truly missing
      "policies/list.md:5:1 sections/missing",
      "policies/list.md:5:1 sections/missing",
      "policies/list.md:5:1 sections/missing",
    ]);
  });

  it("judges scalars as written: version 1.10 stays 1.10, version 1 must be quoted", async () => {
    const ok = await findingsOf({ "policies/a.md": policy("POL-001").replace('version: "1.0"', "version: 1.10") });
    expect(ok).toEqual([]);
    const bad = await findingsOf({ "policies/a.md": policy("POL-001").replace('version: "1.0"', "version: 1") });
    expect(bad.map((f) => [f.code, f.message])).toEqual([["schema/pattern", expect.stringContaining("quote it")]]);
  });

  it("duplicate keys and __proto__ keys are findings, and pollute nothing", async () => {
    const fs = await findingsOf({ "licences/a.yaml": `${LIC}owner: Someone else\n`, "licences/b.yaml": LIC.replace("LIC-001", "LIC-002") + "__proto__:\n  polluted: true\n" });
    expect(brief(fs)).toEqual(["licences/a.yaml:5:1 parse/yaml", "licences/b.yaml:5:1 schema/additional-properties"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("YAML and schema messages say what is wrong, then what to do", () => {
  const messages = async (files: Record<string, string>) => (await findingsOf(files)).map((f) => `${f.file}:${f.line}:${f.column} ${f.code} ${f.message}`);

  it("a duplicate key names the key and the line of its first occurrence", async () => {
    expect(await messages({ "licences/a.yaml": `${LIC}owner: Someone else\n` })).toEqual([
      "licences/a.yaml:5:1 parse/yaml The key `owner` appears twice in the same mapping (first on line 4); remove one of them or merge their values.",
    ]);
    // nested, in front matter: the line is the file's line
    const nested = policy("POL-001", "x-team:\n  lead: A\n  lead: B\n");
    expect(await messages({ "policies/a.md": nested })).toEqual([
      "policies/a.md:12:3 parse/yaml The key `lead` appears twice in the same mapping (first on line 11); remove one of them or merge their values.",
    ]);
  });

  it("a field indented under a field that has a value is explained as bad indentation, not 'Nested mappings are not allowed in compact mappings'", async () => {
    const fs = await messages({ "licences/a.yaml": "id: LIC-001\nproduct: Office\n  type: perpetual\nowner: IT\n" });
    expect(fs).toEqual([
      "licences/a.yaml:2:10 parse/yaml Bad indentation: the line after `product:` (line 2) is indented further, so YAML reads it as nested inside that value; indent every field of a mapping to the same column (or leave `product:` without a value if the lines below belong to it).",
    ]);
    // The same yaml error for an unquoted `: ` in a value says to quote it.
    expect(await messages({ "policies/a.md": policy("POL-001").replace("title: Policy POL-001", "title: Access: all staff") })).toEqual([
      'policies/a.md:3:8 parse/yaml The value of `title` contains `: `, which YAML reads as a nested mapping; put the value in quotes, e.g. `title: "Access: all staff"`.',
    ]);
  });

  it("!!timestamp and !!binary values are named as such, not 'got mapping'", async () => {
    expect(await messages({ "licences/a.yaml": LIC.replace("product: Office", "product: !!timestamp 2026-01-01"), "licences/b.yaml": LIC.replace("LIC-001", "LIC-002").replace("product: Office", "product: !!binary aGVsbG8=") })).toEqual([
      "licences/a.yaml:2:22 schema/type `product` must be a string; got a `!!timestamp` value `2026-01-01T00:00:00.000Z`; remove the `!!timestamp` tag (quote the value if it is text).",
      "licences/b.yaml:2:19 schema/type `product` must be a string; got `!!binary` data `5 bytes`; remove the `!!binary` tag (quote the value if it is text).",
    ]);
  });

  it(".inf, .nan and 1e309 are shown as YAML writes them, not as 'got number `null`'", async () => {
    const fs = await messages({ "licences/a.yaml": `${LIC}seats: .inf\n`, "licences/b.yaml": `${LIC.replace("LIC-001", "LIC-002")}seats: .nan\n`, "licences/c.yaml": `${LIC.replace("LIC-001", "LIC-003")}seats: 1e309\n` });
    expect(fs).toEqual([
      "licences/a.yaml:5:8 schema/type `seats` must be an integer; got an infinite number `.inf`; write a finite number (`.inf`, `.nan` and numbers too large to hold, such as `1e309`, are not).",
      "licences/b.yaml:5:8 schema/type `seats` must be an integer; got not-a-number `.nan`; write a finite number (`.inf`, `.nan` and numbers too large to hold, such as `1e309`, are not).",
      "licences/c.yaml:5:8 schema/type `seats` must be an integer; got an infinite number `.inf`; write a finite number (`.inf`, `.nan` and numbers too large to hold, such as `1e309`, are not).",
    ]);
    expect(fs.join("\n")).not.toContain("`null`");
  });

  it("a key `1:` is shown as `1`, not `[1]`; a merge key `<<` says merge keys are not supported", async () => {
    expect(await messages({ "licences/a.yaml": `${LIC}1: one\n`, "licences/b.yaml": `${LIC.replace("LIC-001", "LIC-002")}x-base: &b {seats: 1}\n<<: *b\n` })).toEqual([
      "licences/a.yaml:5:1 schema/additional-properties Unknown field `1`; remove it, correct its spelling, or prefix it with `x-` to keep your own data.",
      "licences/b.yaml:6:1 schema/additional-properties YAML merge keys (`<<`) are not supported; write the fields out in full instead of merging an alias.",
    ]);
  });

  it("a framework's id and control-id pattern errors are not told to look like `POL-001`", async () => {
    const fw = "id: iso-27001\ntitle: ISO\nowner: IT\ncontrols:\n  - { id: A 5, title: x }\n";
    const fs = await messages({ "frameworks/iso.yaml": fw });
    expect(fs).toEqual([
      "frameworks/iso.yaml:1:5 schema/pattern `id` value `iso-27001` is not valid; use upper-case letters and digits in hyphen-joined parts (dots allowed after the first), e.g. `ISO27001-2022` or `NIST-CSF-2.0`.",
      "frameworks/iso.yaml:5:11 schema/pattern `controls[0].id` value `A 5` is not valid; remove the spaces.",
    ]);
    expect(fs.join("\n")).not.toContain("POL-001");
  });

  it("20,000-deep nesting says how deep YAML may nest, not 'Maximum call stack size exceeded'", async () => {
    const fs = await messages({ "licences/deep.yaml": `${LIC}x-deep: ${"[".repeat(20000)}${"]".repeat(20000)}\n` });
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatch(/^licences\/deep\.yaml:5:\d+ parse\/yaml The YAML nests deeper than 100 levels; flatten it\.$/);
    const block = Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
    const fs2 = await messages({ "licences/block.yaml": `${LIC}x-deep:\n ${block.replace(/\n/g, "\n ")} 1\n` });
    expect(fs2.join("\n")).not.toMatch(/call stack/i);
  });

  it("kind/mismatch names the folder the declared kind lives in (`licences/`), not 'the `licence` folder'", async () => {
    const fs = await messages({ "vendors/m365.yaml": "id: VEN-001\nname: Microsoft\nowner: IT\nkind: licence\n" });
    expect(fs).toEqual(["vendors/m365.yaml:4:7 kind/mismatch `kind` says `licence` but files under `vendors/` are `vendor` documents; correct `kind` or move the file to `licences/`."]);
  });
});
