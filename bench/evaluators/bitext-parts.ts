// Where bitext's time goes (issue 21): the GEMM scan (src/search/top1-blas.ts, as bitext runs it) against its
// parts and against other ways of running the same products on the same inputs, interleaved round by round in
// one process, wall and CPU seconds (all threads) per variant:
//   scan            scanTop1 as shipped (query blocks × corpus tiles of ≤ 4 Mi scores, at least one job per
//                   stream, one 1-thread SGEMM per core in flight, the main thread taking the norms and folding
//                   finished tiles)
//   scan-before     the tiling before 2026-12-06 21:30 UTC: tiles of ≤ 1 Mi scores, at least two jobs per stream
//   scan-16Mi       tiles of ≤ 16 Mi scores, at least one job per stream
//   gemm-halves     the bare products only: two 1-thread SGEMMs (half the queries each) in flight at once
//   gemm-2threads   the bare products as one SGEMM on OpenBLAS's own 2 threads (numpy's way), called synchronously
//   norms           the main thread's row lengths of both sides alone (row-squares.ts)
// Run: node bin/run-ts.js bench/evaluators/bitext-parts.ts [--shape 2500,2500,1024] [--rounds 15]  (JSON on stdout)
import os from 'node:os';
import { createRequire } from 'node:module';
import { scanTop1 } from '../../src/search/top1-blas.js';
import { loadCblas } from '../../src/search/blas/cblas.js';
import { rowSquares } from '../../src/util/row-squares.js';
import { mulberry32 } from '../../src/util/mulberry32.js';

const arg = (name: string) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const [n, n2, dim] = (arg('--shape') ?? '2500,2500,1024').split(',').map(Number);
const rounds = Number(arg('--rounds') ?? 15);
const rnd = mulberry32(3);
const a = { rows: n, dim, data: Float32Array.from({ length: n * dim }, () => rnd() - 0.5) };
const b = { rows: n2, dim, data: Float32Array.from({ length: n2 * dim }, (_, i) => (i < n * dim ? a.data[i] : rnd() - 0.5) + (rnd() - 0.5) * 0.5) };
const blas = loadCblas();
// OpenBLAS's thread count is process-wide: set to 2 for gemm-2threads only, back to the 1 the scan runs with.
const setThreads = createRequire(import.meta.url)('koffi').load(blas.library).func('void openblas_set_num_threads(int n)');
const c = new Float32Array(n * n2);
const h = Math.floor(n / 2);
const variants: Record<string, () => unknown> = {
  scan: () => scanTop1(a, b, 'cosine'),
  'scan-before': () => scanTop1(a, b, 'cosine', { tileFloats: 1 << 20, jobsPerStream: 2 }),
  'scan-16Mi': () => scanTop1(a, b, 'cosine', { tileFloats: 1 << 24 }),
  'gemm-halves': () =>
    Promise.all([
      blas.sgemmABt(h, n2, dim, a.data.subarray(0, h * dim), b.data, c.subarray(0, h * n2)),
      blas.sgemmABt(n - h, n2, dim, a.data.subarray(h * dim), b.data, c.subarray(h * n2)),
    ]),
  'gemm-2threads': () => {
    setThreads(2);
    blas.sgemmABtSync!(n, n2, dim, a.data, b.data, c);
    setThreads(1);
  },
  norms: () => {
    let s = 0;
    for (const m of [a, b]) for (let r = 0; r < m.rows; r++) s += rowSquares(m.data, r * dim, dim);
    return s;
  },
};
const got: Record<string, { wall: number[]; cpu: number[] }> = {};
const loads: number[] = [];
for (let r = 0; r < rounds; r++) {
  const names = Object.keys(variants);
  // The order rotates each round, so no variant always follows the same one.
  for (let i = 0; i < names.length; i++) {
    const name = names[(r + i) % names.length];
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await variants[name]();
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    (got[name] ??= { wall: [], cpu: [] }).wall.push(wall);
    got[name].cpu.push((cpu.user + cpu.system) / 1e6);
  }
  loads.push(os.loadavg()[0]);
}
const med = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
const steady = (x: number[]) => med(x.slice(1));
const results = Object.fromEntries(
  Object.entries(got).map(([k, v]) => [k, { wall_s: steady(v.wall), cpu_s: steady(v.cpu), wall_vs_scan: steady(v.wall) / steady(got.scan.wall), cpu_vs_scan: steady(v.cpu) / steady(got.scan.cpu), wall_rounds_s: v.wall, cpu_rounds_s: v.cpu }]),
);
process.stdout.write(JSON.stringify({ machine: `${os.cpus()[0]?.model} x ${os.availableParallelism()}`, node: process.version, blas: blas.description, date: new Date().toISOString(), shape: `${n} x ${n2} x ${dim}`, rounds, steady: 'median of rounds 2..', load_avg_1m: loads, results }, null, 2) + '\n');
