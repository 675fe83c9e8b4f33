// Editor-sized edits (issue 14): a copy of policies-template with one policy grown to ~100 KB
// (sections, each with a link to its own heading), edited N times through Workspace.update +
// findingsFor (each edit adds a paragraph with a misspelt anchor; restored unmeasured). A warm-up
// round of N edits, then N measured. Usage: npm run build && node bench/editor-update.mjs [N]
// (PROJECT=<checkout> to time another build). Prints wall and CPU p50/p95 in ms.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const PROJECT = process.env.PROJECT ?? join(new URL(".", import.meta.url).pathname, "..");
const { load } = await import(join(PROJECT, "dist", "engine.js"));
const dir = mkdtempSync(join(tmpdir(), "perf-"));
cpSync(join(PROJECT, "policies-template"), dir, { recursive: true });
const pols = readdirSync(join(dir, "policies")).filter((f) => f.endsWith(".md")).sort();
const file = `policies/${pols[0]}`;
const original = readFileSync(join(dir, file), "utf8");
let extra = "";
for (let i = 0; extra.length < 100 * 1024; i++) extra += `\n## Control area ${i}\n\nSee [area ${i}](#control-area-${i}) and [the scope](#scope); *emphasis* and \`code\` here.\n`;
const big = original + extra;
writeFileSync(join(dir, file), big);
const ws = await load(dir, { today: "2026-06-30", git: false });
const N = Number(process.argv[2] ?? 50);
const cpu = [], wall = [];
let nf = 0;
for (let round = 0; round < 2; round++) for (let i = 0; i < N; i++) {
  const edited = big.replace("## Control area 7\n", `## Control area 7\n\nEdit ${i}, see [the notes](#notes-${i}).\n`);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  ws.update(file, edited);
  nf = ws.findingsFor(file).length;
  const c = process.cpuUsage(c0);
  if (round === 1) { wall.push(performance.now() - t0); cpu.push((c.user + c.system) / 1000); }
  ws.update(file, big);
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
console.log(`${Buffer.byteLength(big)} bytes, ${N} edits, findings ${nf}: wall p50 ${pct(wall,50).toFixed(1)} p95 ${pct(wall,95).toFixed(1)} ms; CPU p50 ${pct(cpu,50).toFixed(1)} p95 ${pct(cpu,95).toFixed(1)} ms`);
rmSync(dir, { recursive: true, force: true });
