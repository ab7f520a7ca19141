// Exact top-k search vs numpy/OpenBLAS on the same shapes, plain JS loops, and HNSW build/query/recall.
// Run: node bin/run-ts.js bench/search/run.ts [--quick]   (prints JSON on stdout, progress on stderr)
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ExactSearch } from '../../src/search/exact.js';
import { HnswSearch } from '../../src/search/hnsw.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import type { Matrix } from '../../src/core/matrix.js';

const quick = process.argv.includes('--quick');
const log = (s: string) => process.stderr.write(s + '\n');

function randn(rows: number, dim: number, seed: number): Matrix {
  let a = seed >>> 0;
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < data.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    data[i] = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  }
  return { rows, dim, data };
}

/** Clustered data (centres + noise): the case where graph indexes are usually tested. */
function clustered(rows: number, dim: number, clusters: number, seed: number): Matrix {
  const centres = randn(clusters, dim, seed);
  const noise = randn(rows, dim, seed + 1);
  const data = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const c = (i * 7919) % clusters;
    for (let d = 0; d < dim; d++) data[i * dim + d] = centres.data[c * dim + d] + 0.35 * noise.data[i * dim + d];
  }
  return { rows, dim, data };
}

async function best<T>(reps: number, f: () => Promise<T>): Promise<number> {
  await f();
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await f();
    b = Math.min(b, (performance.now() - t) / 1000);
  }
  return b;
}

const [M, D, N, K, REPS] = quick ? [200, 1024, 20_000, 100, 2] : [1000, 1024, 100_000, 100, 3];
const flops = 2 * M * D * N;
const out: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, shape: { M, D, N, K } };

log(`numpy ${M}x${D}x${N} top-${K} ...`);
try {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  out.numpy = JSON.parse(execFileSync('/usr/bin/python3', ['bench/search/numpy_search.py', String(M), String(D), String(N), String(K), String(REPS)], { env, encoding: 'utf8' }));
} catch (e) {
  out.numpy = { error: String((e as Error).message).slice(0, 200) };
}

const q = randn(M, D, 1);
const c = randn(N, D, 2);
const ids = Array.from({ length: N }, (_, i) => `doc${i}`);
const exact = new ExactSearch();
for (const similarity of ['dot', 'cosine'] as const) {
  log(`onnx exact ${similarity} ...`);
  const s = await best(REPS, () => exact.search(q, matrixCorpus(ids, c), K, { similarity }));
  out[`exact_onnx_${similarity}`] = { seconds: s, gflops: flops / s / 1e9 };
}
log('onnx exact dot, fp16 storage ...');
const c16 = matrixCorpus(ids, c, { storage: 'float16' });
const s16 = await best(REPS, () => exact.search(q, c16, K, { similarity: 'dot' }));
out.exact_onnx_dot_fp16 = { seconds: s16, gflops: flops / s16 / 1e9 };
await exact.close();

// JS loops on a small slice, as a rate.
log('js loops (small slice) ...');
const jsM = 20;
const jsN = quick ? 2000 : 5000;
const js = new ExactSearch({ engine: 'js' });
const sJs = await best(1, () => js.search({ rows: jsM, dim: D, data: q.data.subarray(0, jsM * D) }, matrixCorpus(ids.slice(0, jsN), { rows: jsN, dim: D, data: c.data.subarray(0, jsN * D) }), K, { similarity: 'dot' }));
out.exact_js_dot = { shape: { M: jsM, N: jsN }, seconds: sJs, gflops: (2 * jsM * D * jsN) / sJs / 1e9 };

// HNSW on clustered vectors.
const [hN, hD, hQ] = quick ? [10_000, 128, 200] : [50_000, 256, 500];
log(`hnsw ${hN}x${hD}, ${hQ} queries ...`);
const hc = clustered(hN, hD, 200, 5);
const hq = clustered(hQ, hD, 200, 5 + 100);
const hIds = Array.from({ length: hN }, (_, i) => `d${i}`);
for (const efSearch of [64, 200]) {
  const h = new HnswSearch({ M: 16, efConstruction: 200, efSearch, recallSample: hQ });
  const corpus = matrixCorpus(hIds, hc);
  const r = await h.search(hq, corpus, 10, { similarity: 'cosine' });
  out[`hnsw_ef${efSearch}`] = r.meta;
}
const te = new ExactSearch();
const tex = await best(1, () => te.search(hq, matrixCorpus(hIds, hc), 10, { similarity: 'cosine' }));
await te.close();
out.hnsw_exact_baseline_seconds = tex;
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
