import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realPathOf } from "../src/engine/io/safe-path.js";
import { readOnceHost } from "../src/engine/io/read-once-host.js";
import { nodeHost } from "../src/engine/io/node-host.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("realPathOf on missing paths (existsSync first: a broken link's target throws nothing)", () => {
  it("resolves what exists, the deepest existing ancestor of what does not, dangling symlinks by their target, and refuses loops", () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), "policyops-realpath-")));
    mkdirSync(join(dir, "real/sub"), { recursive: true });
    writeFileSync(join(dir, "real/sub/a.md"), "x");
    writeFileSync(join(dir, "file"), "x");
    symlinkSync(join(dir, "real"), join(dir, "alias"));
    symlinkSync("/nonexistent/deeper", join(dir, "dangling"));
    symlinkSync("loop2", join(dir, "loop1"));
    symlinkSync("loop1", join(dir, "loop2"));
    expect(realPathOf(join(dir, "alias/sub/a.md"))).toEqual({ real: join(dir, "real/sub/a.md"), exists: true });
    expect(realPathOf(join(dir, "alias/sub/missing/deeper/b.md"))).toEqual({ real: join(dir, "real/sub/missing/deeper/b.md"), exists: false });
    expect(realPathOf(join(dir, "dangling/x.md"))).toEqual({ real: "/nonexistent/deeper/x.md", exists: false });
    expect(realPathOf(join(dir, "file/under-a-file.md"))).toEqual({ real: join(dir, "file/under-a-file.md"), exists: false });
    expect(() => realPathOf(join(dir, "loop1"))).toThrow(expect.objectContaining({ code: "ELOOP" }));
    expect(() => realPathOf(join(dir, "loop1/x.md"))).toThrow(expect.objectContaining({ code: "ELOOP" }));
  });
});

describe("readOnceHost (the site reads each file once: parse, manifest hash and render)", () => {
  it("answers a second read of a path from memory, applies a smaller cap to what it kept, and asks again after a failed read", () => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), "policyops-readonce-")));
    const file = join(dir, "a.md");
    writeFileSync(file, "0123456789");
    const reads: string[] = [];
    const host = readOnceHost({ ...nodeHost, readFile: (p, cap) => (reads.push(p), nodeHost.readFile(p, cap)) });
    expect(Buffer.from(host.readFile(file)).toString()).toBe("0123456789");
    writeFileSync(file, "changed on disk");
    expect(Buffer.from(host.readFile(file)).toString()).toBe("0123456789"); // one snapshot for the whole build
    expect(reads).toEqual([file]);
    expect(() => host.readFile(file, 4)).toThrow(expect.objectContaining({ code: "EFBIG", message: "is larger than 1 KB" }));
    const missing = join(dir, "later.md");
    expect(() => host.readFile(missing)).toThrow(expect.objectContaining({ code: "ENOENT" }));
    writeFileSync(missing, "now here");
    expect(Buffer.from(host.readFile(missing)).toString()).toBe("now here");
    expect(reads).toEqual([file, missing, missing]);
    expect(host.disk).toBe(true);
    expect(readOnceHost({ ...nodeHost, disk: undefined }).disk).toBeUndefined();
  });
});
