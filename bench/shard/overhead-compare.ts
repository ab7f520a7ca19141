// Collects interleaved before/after runs of bench/shard/overhead.ts (one JSON file per run and round, written by a
// driver that alternates an older copy of the code and this one round by round) into one file with per-round
// figures and medians: overhead in wall and CPU, and the sharded total's CPU after / before per round.
// Run: node bin/run-ts.js bench/shard/overhead-compare.ts DIR > bench/shard/overhead-results-3.json
// (DIR holds <name>-<before|after>-<round>.json or <name>-<before|after>.json files and the driver's log.txt).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

interface Result {
  docs: number;
  shards: number;
  chunkRows: number;
  embedder: string;
  single: { wall: number; cpu: number };
  shardsTotal: { wall: number; cpu: number; each: number[] };
  merge: { wall: number; cpu: number };
}
interface Run {
  loadavg: [number, number];
  results: Result[];
}

const dir = process.argv[2];
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const runs: { file: string; side: string; round: number; run: Run }[] = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const m = /^(.*)-(before|after)(?:-(\d+))?\.json$/.exec(f);
  const text = readFileSync(path.join(dir, f), 'utf8');
  if (!m || !text.trim()) continue; // a run still in progress writes its JSON at the end
  runs.push({ file: f, side: m[2], round: Number(m[3] ?? 1), run: JSON.parse(text) as Run });
}
const key = (r: Result) => `${r.docs},${r.shards},${r.chunkRows},${r.embedder}`;
const configs = [...new Set(runs.flatMap((x) => x.run.results.map(key)))];
const out = configs.map((k) => {
  const per = (side: string) =>
    runs
      .filter((x) => x.side === side)
      .flatMap((x) =>
        x.run.results
          .filter((r) => key(r) === k)
          .map((r) => ({
            round: x.round,
            loadavg: x.run.loadavg.map(r3),
            single: r.single,
            shards: { wall: r.shardsTotal.wall, cpu: r.shardsTotal.cpu },
            merge: r.merge,
            overheadWall: r3((r.shardsTotal.wall + r.merge.wall) / r.single.wall - 1),
            overheadCpu: r3((r.shardsTotal.cpu + r.merge.cpu) / r.single.cpu - 1),
          })),
      );
  const summary = (rows: ReturnType<typeof per>) =>
    rows.length
      ? {
          rounds: rows.length,
          singleCpu: r3(median(rows.map((r) => r.single.cpu))),
          singleWall: r3(median(rows.map((r) => r.single.wall))),
          shardsCpu: r3(median(rows.map((r) => r.shards.cpu))),
          shardsWall: r3(median(rows.map((r) => r.shards.wall))),
          mergeCpu: r3(median(rows.map((r) => r.merge.cpu))),
          overheadCpu: r3(median(rows.map((r) => r.overheadCpu))),
          overheadWall: r3(median(rows.map((r) => r.overheadWall))),
        }
      : null;
  const before = per('before');
  const after = per('after');
  // Paired by round: the same round ran both sides back to back.
  const paired = after.flatMap((a) => before.filter((b) => b.round === a.round).map((b) => a.shards.cpu / b.shards.cpu));
  const fixedCpu = (rows: typeof after, n: number) => (rows.length ? r3(median(rows.map((r) => (r.shards.cpu + r.merge.cpu - r.single.cpu) / (n - 1)))) : null);
  const n = Number(k.split(',')[1]);
  return {
    config: k,
    before: summary(before),
    after: summary(after),
    shardsCpuAfterOverBefore: paired.length ? r3(median(paired)) : null,
    fixedCpuSecondsPerExtraShard: { before: fixedCpu(before, n), after: fixedCpu(after, n) },
    rounds: { before, after },
  };
});
const log = path.join(dir, 'log.txt');
process.stdout.write(JSON.stringify({ log: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [], results: out }, null, 2) + '\n');
