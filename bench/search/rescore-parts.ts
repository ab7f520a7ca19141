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
import { pairWorkload } from './pair-workload.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const reps = Number(arg('--reps', '9'));
const sim = arg('--similarity', 'cosine') as 'cosine' | 'dot';
// --threads 1: everything on the calling thread, so process CPU is the work itself (less noisy on a busy machine).
const threads = Number(arg('--threads', String(os.availableParallelism())));
const PER = 51;
const { M, N, D, c1, c2, queries, total, rows, starts, counts } = pairWorkload(PER);
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
