// The rescoring step alone, the way exact search runs it at k = 100 on the shape (1,000 queries x two
// 50,000 x 1,024 float32 chunks, ~51 candidates per query in each, random rows): the first chunk copied into the
// scorer, the second either copied too ("copy") or read in place ("stream", CanonicalScorer.streamTail), then one
// scoreBatch. Variants interleaved rep by rep; wall and process CPU (all threads), minimum and median.
// Run: node bin/run-ts.js bench/search/rescore-parts.ts [--reps 9] [--similarity cosine|dot] [--threads N]  (JSON on stdout)
import os from 'node:os';
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
const scorer = new CanonicalScorer(threads);
const out = new Float32Array(total);
const loadStart = os.loadavg();

async function run(variant: 'copy' | 'stream') {
  const t = performance.now();
  const c0 = process.cpuUsage();
  scorer.setChunk(c1, D, sim, true, false);
  if (variant === 'copy') scorer.appendResident(c2, false);
  else scorer.streamTail(c2, false);
  const tk = performance.now();
  await scorer.scoreBatch(queries, M, rows, starts, counts, out);
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t) / 1000, kernel: (performance.now() - tk) / 1000, cpu: (c.user + c.system) / 1e6, digest: out.reduce((a, x) => a + x, 0) };
}

const variants = ['copy', 'stream'] as const;
const got: Record<string, { wall: number; kernel: number; cpu: number }[]> = { copy: [], stream: [] };
await run('copy'); // first touch of the scorer's memory, workers started
for (let i = 0; i < reps; i++) {
  const digests = new Set<number>();
  for (const v of i % 2 ? [...variants].reverse() : variants) {
    const x = await run(v);
    digests.add(x.digest);
    got[v].push(x);
  }
  if (digests.size !== 1) throw new Error('variants gave different scores');
}
await scorer.close();
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)] };
};
const summary = Object.fromEntries(
  variants.map((v) => [v, { wall_s: stat(got[v].map((x) => x.wall)), kernel_s: stat(got[v].map((x) => x.kernel)), cpu_s: stat(got[v].map((x) => x.cpu)), reps: got[v] }]),
);
for (const v of variants) process.stderr.write(`${v}: wall ${JSON.stringify(summary[v].wall_s)} cpu ${JSON.stringify(summary[v].cpu_s)} kernel ${JSON.stringify(summary[v].kernel_s)}\n`);
process.stdout.write(JSON.stringify({ date: new Date().toISOString(), similarity: sim, threads, shape: { M, N: 2 * N, D, candidates_per_query: 2 * PER }, load_average: { start: loadStart, end: os.loadavg() }, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, ...summary }, null, 2) + '\n');
