/**
 * Assets (issue 17): the `asset` kind (a batch is one record; purchase, warranty, disposal
 * with NIST SP 800-88 evidence), the nested annotations it needs (`disposal.certificate` is
 * an `x-policyops-path`, `warranty_end` is `x-policyops-after: purchase.date`), the asset/*
 * rules end to end on a real repository, the register (`list asset`) and the calendar.
 */
import { describe, expect, it } from "vitest";
import { load } from "../src/engine/index.js";
import ICAL from "ical.js";
import { cli } from "./helpers/cli.js";
import { runCli, useTempRepos } from "./helpers/repo.js";

const { repo } = useTempRepos("policyops-assets-");
const TODAY = "2026-06-30";

const LAPTOPS = [
  "id: AST-LAPTOPS",
  "name: Staff laptops 2026",
  "owner: Service Desk Manager",
  "type: laptop",
  "quantity: 20",
  "purchase:",
  "  date: 2026-02-16",
  "  order_ref: PO-2026-0142",
  "  cost:",
  "    amount: 27000",
  "    currency: GBP",
  "warranty_end: 2029-02-15",
  "data_classification: confidential",
  "status: in-use",
  "",
].join("\n");

const DISPOSED = [
  "id: AST-OLD",
  "name: Staff laptops 2022",
  "owner: Service Desk Manager",
  "type: laptop",
  "quantity: 20",
  "data_classification: confidential",
  "status: disposed",
  "disposal:",
  "  date: 2026-05-20",
  "  method: destroy",
  "  certificate: evidence/disposal/old.md",
  "  performed_by: SecureShred Ltd",
  "",
].join("\n");

const findingsOf = async (files: Record<string, string>) => (await load(repo(files), { today: TODAY, git: false })).findings();

describe("the asset kind", () => {
  it("a laptop batch in use and a disposed batch with its certificate validate with no finding (the certificate's folder is not reported as ungoverned)", async () => {
    expect(await findingsOf({ "assets/laptops.yaml": LAPTOPS, "assets/old.yaml": DISPOSED, "evidence/disposal/old.md": "# Certificate of destruction\n" })).toEqual([]);
  });

  it("disposal.certificate is a path field at any depth: a missing file is file/missing at the nested value, named disposal.certificate", async () => {
    const found = await findingsOf({ "assets/old.yaml": DISPOSED });
    const f = found.find((x) => x.code === "file/missing");
    expect([f?.line, f?.column, f?.message]).toEqual([11, 16, "`disposal.certificate` names `evidence/disposal/old.md`, which does not exist; commit the file or correct the path (paths are relative to the repository root)."]);
  });

  it("warranty_end before purchase.date is date/order at warranty_end, naming purchase.date", async () => {
    const found = await findingsOf({ "assets/laptops.yaml": LAPTOPS.replace("warranty_end: 2029-02-15", "warranty_end: 2025-02-15") });
    expect(found.map((f) => [f.code, f.line, f.message])).toEqual([["date/order", 12, "`warranty_end` (2025-02-15) is before `purchase.date` (2026-02-16); correct one of the dates."]]);
  });

  it("an unknown status or disposal method is a schema/enum error; an extra key under purchase is schema/additional-properties", async () => {
    const found = await findingsOf({ "assets/laptops.yaml": LAPTOPS.replace("status: in-use", "status: broken").replace("  order_ref:", "  supplier: X\n  order_ref:") });
    expect(found.map((f) => f.code).sort()).toEqual(["schema/additional-properties", "schema/enum"]);
  });

  it("`list asset` shows type, quantity (1 when absent: the schema default), classification and warranty end for each record", () => {
    const root = repo({ "assets/laptops.yaml": LAPTOPS, "assets/server.yaml": "id: AST-SRV\nname: Backup server\nowner: Infrastructure Manager\ntype: server\nstatus: stock\n" });
    const r = runCli(["list", "asset", root, "--format", "json", "--today", TODAY]);
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; status: string; fields: Record<string, string | null> }[];
    expect(rows.map((x) => [x.id, x.status, x.fields])).toEqual([
      ["AST-LAPTOPS", "in-use", { type: "laptop", quantity: "20", data_classification: "confidential", warranty_end: "2029-02-15" }],
      ["AST-SRV", "stock", { type: "server", quantity: "1", data_classification: null, warranty_end: null }],
    ]);
    const table = runCli(["list", "asset", root, "--today", TODAY]);
    expect(table.stdout.split("\n")[0]).toMatch(/^id\s+name\s+status\s+owner\s+type\s+quantity\s+data_classification\s+warranty_end\s+file$/);
  });
});

describe("asset rules on a real repository", () => {
  it("asset/disposal-evidence: a disposed batch without a disposal block is an error at the status value naming the date, method and certificate", async () => {
    const found = await findingsOf({ "assets/old.yaml": DISPOSED.split("disposal:")[0]! });
    expect(found.map((f) => [f.code, f.severity, f.line, f.column, f.message])).toEqual([
      ["asset/disposal-evidence", "error", 7, 9, "Asset `Staff laptops 2022` is `disposed` without `disposal.date`, `disposal.method` and `disposal.certificate`; record the disposal evidence under `disposal`, or keep the status `retired` until the disposal is done."],
    ]);
  });

  it("asset/disposal-evidence: a disposal dated after today is reported at the status value with the disposal date as its related location; retired with a planned date is fine", async () => {
    const files = { "assets/old.yaml": DISPOSED.replace("date: 2026-05-20", "date: 2026-07-10"), "evidence/disposal/old.md": "# Certificate\n" };
    const [f, ...rest] = await findingsOf(files);
    expect(rest).toEqual([]);
    expect([f!.code, f!.line, f!.message]).toEqual(["asset/disposal-evidence", 7, "Asset `Staff laptops 2022` is `disposed` but `disposal.date` (`2026-07-10`) is after today (`2026-06-30`); record the day the disposal was done, or keep the status `retired` until then."]);
    expect(f!.related?.map((r) => [r.file, r.line])).toEqual([["assets/old.yaml", 9]]);
    expect(await findingsOf({ ...files, "assets/old.yaml": files["assets/old.yaml"].replace("status: disposed", "status: retired") })).toEqual([]);
  });

  it("asset/disposal-method: confidential media cleared is an error at disposal.method; an asset without a classification takes its system's (Restricted, any case)", async () => {
    const cleared = DISPOSED.replace("method: destroy", "method: clear");
    const own = await findingsOf({ "assets/old.yaml": cleared, "evidence/disposal/old.md": "# Certificate\n" });
    expect(own.map((f) => [f.code, f.line, f.column, f.message])).toEqual([
      ["asset/disposal-method", 10, 11, "Asset `Staff laptops 2022` held `confidential` data but its disposal method is `clear`; NIST SP 800-88 needs `purge` or `destroy` for such media, so sanitise them again and record the method and certificate."],
    ]);
    const viaSystem = await findingsOf({
      "assets/old.yaml": cleared.replace("data_classification: confidential", "system: SYS-M365"),
      "systems/m365.yaml": "id: SYS-M365\nname: Microsoft 365\nowner: IT\ndata_classification: Restricted\n",
      "evidence/disposal/old.md": "# Certificate\n",
    });
    expect(viaSystem.map((f) => [f.code, f.message, f.related?.[0]?.file])).toEqual([
      ["asset/disposal-method", "Asset `Staff laptops 2022` belongs to system `SYS-M365`, which holds `Restricted` data, but its disposal method is `clear`; NIST SP 800-88 needs `purge` or `destroy` for such media, so sanitise them again and record the method and certificate.", "systems/m365.yaml"],
    ]);
    expect(await findingsOf({ "assets/old.yaml": cleared.replace("confidential", "internal"), "evidence/disposal/old.md": "# Certificate\n" })).toEqual([]);
  });

  it("asset/warranty-expiring: an in-use batch whose warranty ends within licences.horizon_days is an info with the days left; the horizon comes from policyops.yaml", async () => {
    const soon = LAPTOPS.replace("warranty_end: 2029-02-15", "warranty_end: 2026-08-14");
    const found = await findingsOf({ "assets/laptops.yaml": soon });
    expect(found.map((f) => [f.code, f.severity, f.line, f.column, f.message])).toEqual([
      ["asset/warranty-expiring", "info", 12, 15, "Warranty of asset `Staff laptops 2026` ends on `2026-08-14` (in 45 days); extend the cover or plan the replacement before then."],
    ]);
    expect(await findingsOf({ "assets/laptops.yaml": soon, "policyops.yaml": "licences: { horizon_days: 30 }\n" })).toEqual([]);
    expect(await findingsOf({ "assets/laptops.yaml": soon.replace("status: in-use", "status: stock") })).toEqual([]);
  });

  it("asset/serial-count: serials must number the batch's quantity (1 when absent)", async () => {
    const found = await findingsOf({ "assets/laptops.yaml": LAPTOPS.replace("quantity: 20", "quantity: 3\nserials: [PF1, PF2]") });
    expect(found.map((f) => [f.code, f.severity, f.line, f.message])).toEqual([
      ["asset/serial-count", "warning", 6, "Asset `Staff laptops 2026` lists 2 serial numbers but `quantity` is 3; list one serial number per item, or correct `quantity`."],
    ]);
  });
});

describe("policyops calendar: warranty ends of assets in use", () => {
  const parse = (ics: string) => new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v)).map((e) => [e.uid, e.startDate.toString(), e.summary]);
  const files = (end: string) => ({
    "assets/laptops.yaml": LAPTOPS.replace("warranty_end: 2029-02-15", `warranty_end: ${end}`),
    "assets/spares.yaml": LAPTOPS.replace("id: AST-LAPTOPS", "id: AST-SPARES").replace("status: in-use", "status: stock"),
    "assets/old.yaml": DISPOSED + "warranty_end: 2026-12-01\n",
    "evidence/disposal/old.md": "# Certificate\n",
  });

  it("lists each in-use asset's warranty end (stock and disposed ones are left out) with a stable UID AST-…-warranty@policyops, parsed back with ical.js", async () => {
    const r = await cli(["calendar", repo(files("2027-02-15")), "--today", TODAY]);
    expect(r.status, r.stderr).toBe(0);
    expect(parse(r.stdout)).toEqual([["AST-LAPTOPS-warranty@policyops", "2027-02-15", "Warranty ends: Staff laptops 2026 (20 items)"]]);
    const moved = parse((await cli(["calendar", repo(files("2027-03-31")), "--today", TODAY])).stdout);
    expect(moved).toEqual([["AST-LAPTOPS-warranty@policyops", "2027-03-31", "Warranty ends: Staff laptops 2026 (20 items)"]]);
  });

  it("--format json gives the warranty event its categories and description; an ended warranty or an invalid record gives none", async () => {
    const r = await cli(["calendar", repo(files("2027-02-15")), "--format", "json", "--today", TODAY]);
    const events = JSON.parse(r.stdout) as { uid: string; categories: string[]; description: string }[];
    expect(events.map((e) => [e.uid, e.categories])).toEqual([["AST-LAPTOPS-warranty@policyops", ["Asset", "Warranty"]]]);
    expect(events[0]!.description).toContain("Record: assets/laptops.yaml");
    const ended = JSON.parse((await cli(["calendar", repo(files("2026-06-29")), "--format", "json", "--today", TODAY])).stdout);
    expect(ended).toEqual([]);
    const invalid = { ...files("2027-02-15"), "assets/laptops.yaml": files("2027-02-15")["assets/laptops.yaml"].replace("type: laptop", "type: tablet") };
    expect(JSON.parse((await cli(["calendar", repo(invalid), "--format", "json", "--today", TODAY])).stdout)).toEqual([]);
  });
});
