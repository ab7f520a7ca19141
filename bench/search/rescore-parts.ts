// The rescoring step alone, the way exact search runs it at k = 100 on the shape (1,000 queries x two
// 50,000 x 1,024 float32 chunks, ~51 candidates per query in each, random rows): the first chunk copied into the
// scorer, the second either copied too ("copy") or read in place ("stream", CanonicalScorer.streamTail), then one
// scoreBatch. Variants interleaved rep by rep; wall and process CPU (all threads), minimum and median.
// --compare <older src/search/canonical/scorer.ts> adds the same two variants on that code ("copy_before",
// "stream_before", e.g. from `git archive <commit> src | tar -x -C .scratch/before`), interleaved, same bits required.
// Run: node bin/run-ts.js bench/search/rescore-parts.ts [--reps 9] [--similarity cosine|dot] [--threads N] [--compare path]  (JSON on stdout)
import os from 'node:os';
import path from 'node:path';
import { CanonicalScorer } from '../../src/search/canonical/scorer.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const reps = Number(arg('--reps', '9'));
const sim = arg('--similarity', 'cosine') as 'cosine' | 'dot';
// --threads 1: everything on the calling thread, so process CPU is the work itself (less noisy on a busy machine).
const threads = Number(arg('--threads', String(os.availableParallelism())));
const [M, N, D, PER] = [1000, 50_000, 1024, 51];
const r = mulberry32(5);
const chunk = () => Float32Array.from({ length: N * D }, () => r() * 2 - 1);
const c1 = chunk();
const c2 = chunk();
const queries = Float32Array.from({ length: M * D }, () => r() * 2 - 1);
const total = M * 2 * PER;
const rows = new Int32Array(total);
const starts = new Int32Array(M);
const counts = new Int32Array(M).fill(2 * PER);
for (let i = 0; i < M; i++) {
  starts[i] = i * 2 * PER;
  for (let c = 0; c < PER; c++) {
    rows[starts[i] + c] = Math.floor(r() * N);
    rows[starts[i] + PER + c] = N + Math.floor(r() * N);
  }
}
const comparePath = arg('--compare', '');
const scorers: Record<string, CanonicalScorer> = { '': new CanonicalScorer(threads) };
if (comparePath) {
  const Before = (await import(path.resolve(comparePath))).CanonicalScorer as typeof CanonicalScorer;
  scorers._before = new Before(threads);
}
const out = new Float32Array(total);
const loadStart = os.loadavg();

type Variant = 'copy' | 'stream' | 'copy_before' | 'stream_before';
async function run(variant: Variant) {
  const scorer = scorers[variant.endsWith('_before') ? '_before' : ''];
  const t = performance.now();
  const c0 = process.cpuUsage();
  scorer.setChunk(c1, D, sim, true, false);
  if (variant.startsWith('copy')) scorer.appendResident(c2, false);
  else scorer.streamTail(c2, false);
  const tk = performance.now();
  const ck = process.cpuUsage();
  await scorer.scoreBatch(queries, M, rows, starts, counts, out);
  const c = process.cpuUsage(c0);
  const k = process.cpuUsage(ck);
  return {
    wall: (performance.now() - t) / 1000,
    kernel: (performance.now() - tk) / 1000,
    cpu: (c.user + c.system) / 1e6,
    // process CPU of scoreBatch alone (the copy of a "copy" variant's second chunk excluded)
    score_cpu: (k.user + k.system) / 1e6,
    bits: Buffer.from(out.buffer).toString('base64'),
  };
}

const variants: Variant[] = comparePath ? ['copy', 'stream', 'copy_before', 'stream_before'] : ['copy', 'stream'];
const got: Record<string, { wall: number; kernel: number; cpu: number; score_cpu: number }[]> = Object.fromEntries(variants.map((v) => [v, []]));
for (const v of variants) await run(v); // first touch of each scorer's memory, workers started
for (let i = 0; i < reps; i++) {
  const bits = new Set<string>();
  for (const v of i % 2 ? [...variants].reverse() : variants) {
    const { bits: b, ...x } = await run(v);
    bits.add(b);
    got[v].push(x);
  }
  if (bits.size !== 1) throw new Error('variants gave different scores');
}
for (const s of Object.values(scorers)) await s.close();
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};
const summary = Object.fromEntries(
  variants.map((v) => [v, { wall_s: stat(got[v].map((x) => x.wall)), kernel_s: stat(got[v].map((x) => x.kernel)), score_cpu_s: stat(got[v].map((x) => x.score_cpu)), cpu_s: stat(got[v].map((x) => x.cpu)), reps: got[v] }]),
);
for (const v of variants) process.stderr.write(`${v}: wall ${JSON.stringify(summary[v].wall_s)} cpu ${JSON.stringify(summary[v].cpu_s)} kernel ${JSON.stringify(summary[v].kernel_s)} score-cpu ${JSON.stringify(summary[v].score_cpu_s)}\n`);
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), similarity: sim, threads, compare: comparePath || undefined, shape: { M, N: 2 * N, D, candidates_per_query: 2 * PER }, load_average: { start: loadStart, end: os.loadavg() }, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, ...summary }, null, 2) + '\n');
