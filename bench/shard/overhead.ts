// The shards' total work against one process (issue 19: overhead <= 5 %), end to end through runEvaluation and
// mergeShards on a synthetic BEIR task. Each configuration runs one process over the task, then its n shards one
// after another in this process (their sum = the machine time a cluster spends), then merge; overhead =
// (shards' sum + merge) / single - 1. The scores must
// equal the single process's. "Fixed seconds a shard" = (shards' sum - single) / (n - 1): what each extra shard
// costs beyond its share of the work, merge included (loading the task: every shard scans every corpus row for the ids and
// the chunk boundaries, by id alone since docs/BENCHMARKS.md part F, and reads its chunks' rows back; embedding the
// queries; its search's start-up). Process start-up (Node, modules) is not in it:
// the shards run in this process.
// Embedders: `hash` (vectors from a text hash: embedding is free, fixed costs dominate, the worst case) and
// `delay:MS` (the same vectors after MS ms a text, a model's cost; bench/shard/synthetic.ts). No cache: every
// shard embeds the queries itself (a real `--shard` run shares them through its cache).
// --cache: as real runs do (the CLI caches by default, and `--shard` requires a cache), every run embeds through an
// embedding cache in a fresh folder per round: one for the single process, one shared by that round's shards (so
// the queries are embedded once, by the first shard, and read back by the others and by merge).
// Run: node bin/run-ts.js bench/shard/overhead.ts [--quick] [--rounds N] [--cache] [--config docs,shards,chunkRows,embedder ...]
// (JSON on stdout; progress on stderr). Rounds interleave single and sharded; medians.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEvaluation } from '../../src/run/runner.js';
import { mergeShards } from '../../src/shard/merge.js';
import { resolveTasks } from '../../src/registry/index.js';
import { parsePythonJson } from '../../src/output/python-json.js';
import { DEFAULT_CHUNK_ROWS } from '../../src/shard/select-tasks.js';
import type { Embedder } from '../../src/core/embedder.js';
import { EmbeddingCache } from '../../src/cache/embedding-cache.js';
import { DelayedEmbedder, SyntheticEmbedder, syntheticTask } from './synthetic.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const rounds = Number(opt('--rounds', '1'));
const withCache = args.includes('--cache');
const M = Number(opt('--queries', quick ? '50' : '200'));
const D = 256;

interface Config {
  docs: number;
  shards: number;
  chunkRows: number;
  embedder: string;
}
const DEFAULTS: Config[] = quick
  ? [
      { docs: 20_000, shards: 2, chunkRows: 10_000, embedder: 'hash' },
      { docs: 4_000, shards: 2, chunkRows: 2_000, embedder: 'delay:0.5' },
    ]
  : [
      // The default chunk size (500,000 rows), two chunks: the smallest corpus the default splits.
      { docs: 2 * DEFAULT_CHUNK_ROWS, shards: 2, chunkRows: DEFAULT_CHUNK_ROWS, embedder: 'hash' },
      { docs: 200_000, shards: 4, chunkRows: 50_000, embedder: 'hash' },
      { docs: 40_000, shards: 4, chunkRows: 10_000, embedder: 'delay:1' },
      { docs: 40_000, shards: 4, chunkRows: 10_000, embedder: 'delay:0.2' },
    ];
const configs: Config[] = args.flatMap((a, i) => (args[i - 1] === '--config' ? [a] : [])).map((s) => {
  const [docs, shards, chunkRows, embedder] = s.split(',');
  return { docs: Number(docs), shards: Number(shards), chunkRows: Number(chunkRows), embedder };
});

function embedderOf(spec: string): Embedder {
  if (spec === 'hash') return new SyntheticEmbedder(D);
  const m = /^delay:([\d.]+)$/.exec(spec);
  if (!m) throw new Error(`embedder ${spec}: hash or delay:MS`);
  return new DelayedEmbedder(Number(m[1]), D);
}

const log = (s: string) => process.stderr.write(s + '\n');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed<T>(f: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, value };
}

async function measure(c: Config, scratch: string) {
  const taskFile = syntheticTask(scratch, c.docs, M);
  const tasks = () => resolveTasks([taskFile]);
  const readMain = (out: string) =>
    JSON.stringify((parsePythonJson(readFileSync(path.join(out, 'bench__synthetic', 'r1', 'BenchShardRetrieval.json'), 'utf8')) as { scores: unknown }).scores);
  const single = { wall: [] as number[], cpu: [] as number[] };
  const sharded = { wall: [] as number[], cpu: [] as number[], each: [] as number[][] };
  const merge = { wall: [] as number[], cpu: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const out = path.join(scratch, `single-${round}`);
    // A fresh cache folder per run (single) and per round (shards + merge): nothing is reused across rounds.
    const cached = (e: Embedder, dir: string) => (withCache ? new EmbeddingCache(path.join(scratch, dir)).wrap(e) : e);
    const s = await timed(() => runEvaluation({ tasks: tasks(), embedder: cached(embedderOf(c.embedder), `cache-single-${round}`), outputDir: out }));
    if (s.value.outcomes.some((o) => o.status === 'failed')) throw new Error(JSON.stringify(s.value.outcomes));
    single.wall.push(s.wall);
    single.cpu.push(s.cpu);
    const sout = path.join(scratch, `sharded-${round}`);
    const each: number[] = [];
    let cpu = 0;
    for (let i = 0; i < c.shards; i++) {
      const t = await timed(() => runEvaluation({ tasks: tasks(), embedder: cached(embedderOf(c.embedder), `cache-sharded-${round}`), outputDir: sout, shard: { index: i, count: c.shards, chunkRows: c.chunkRows } }));
      each.push(t.wall);
      cpu += t.cpu;
    }
    sharded.wall.push(each.reduce((a, b) => a + b, 0));
    sharded.cpu.push(cpu);
    sharded.each.push(each);
    const m = await timed(() => mergeShards({ tasks: tasks(), embedder: cached(embedderOf(c.embedder), `cache-sharded-${round}`), outputDir: sout, count: c.shards }));
    if (m.value.outcomes.some((o) => o.status === 'failed')) throw new Error(JSON.stringify(m.value.outcomes));
    merge.wall.push(m.wall);
    merge.cpu.push(m.cpu);
    if (readMain(sout) !== readMain(out)) throw new Error(`sharded scores differ from the single process (${JSON.stringify(c)})`);
    rmSync(out, { recursive: true, force: true });
    rmSync(sout, { recursive: true, force: true });
    for (const dir of [`cache-single-${round}`, `cache-sharded-${round}`]) rmSync(path.join(scratch, dir), { recursive: true, force: true });
    log(
      `${JSON.stringify(c)} round ${round + 1}: single ${s.wall.toFixed(2)} s; shards ${each.map((w) => w.toFixed(2)).join(' + ')} = ${sharded.wall.at(-1)!.toFixed(2)} s; merge ${m.wall.toFixed(2)} s`,
    );
  }
  const sw = median(single.wall);
  const hw = median(sharded.wall);
  return {
    ...c,
    chunks: Math.ceil(c.docs / c.chunkRows),
    queries: M,
    single: { wall: sw, cpu: median(single.cpu) },
    shardsTotal: { wall: hw, cpu: median(sharded.cpu), each: sharded.each[sharded.wall.indexOf(hw)] },
    merge: { wall: median(merge.wall), cpu: median(merge.cpu) },
    // The figure: the sharded run's total work (shards + merge) over one process's (wall = machine time;
    // the delay embedder's wait is the GPU's time, so wall, not CPU, is the work). The shards alone leave out
    // the metrics and result files, which merge computes and the single process computes too.
    overhead: (hw + median(merge.wall)) / sw - 1,
    overheadShardsOnly: hw / sw - 1,
    fixedSecondsPerExtraShard: (hw + median(merge.wall) - sw) / (c.shards - 1),
    meets5pct: (hw + median(merge.wall)) / sw - 1 <= 0.05,
  };
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'bench-shard-overhead-'));
try {
  const loadBefore = os.loadavg()[0];
  // Warm-up (untimed): the first run in a process pays for module loading, JIT and the search engine's start.
  await measure({ docs: 2_000, shards: 2, chunkRows: 1_000, embedder: 'hash' }, scratch);
  const results = [];
  for (const c of configs.length ? configs : DEFAULTS) results.push(await measure(c, scratch));
  process.stdout.write(JSON.stringify({ machine: `${os.cpus().length} x ${os.cpus()[0]?.model}`, loadavg: [loadBefore, os.loadavg()[0]], dim: D, rounds, cache: withCache, results }, null, 2) + '\n');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
