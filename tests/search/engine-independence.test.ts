import { describe, test, expect, afterEach } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ExactSearch } from '../../src/search/exact.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { rowNormBoundOf } from '../../src/search/row-norm-bound.js';
import type { CorpusProvider } from '../../src/search/types.js';
import { BlasEngine } from '../../src/search/blas/blas-engine.js';
import { loadCblas, type Cblas } from '../../src/search/blas/cblas.js';
import { canonicalScore, engineErrorBound } from '../../src/search/canonical/canonical.js';
import { halfToFloat, toHalf } from '../../src/search/vectors.js';
import type { Matrix } from '../../src/core/matrix.js';
import { canonicalTopK, nearTieData } from './near-ties.js';
import { nativeIsas } from '../../src/search/canonical/native-kernel.js';
import { floatMatrix } from './helpers.js';

type Order = 'forward' | 'reverse' | 'pairwise' | 'lanes8' | 'fma';

/**
 * CBLAS stand-ins that sum float32 products in different orders, as different BLAS kernels do: their scores
 * differ in the last bits, which is what used to change rankings between machines.
 */
function orderedCblas(order: Order): Cblas {
  const f = Math.fround;
  const dot = (a: Float32Array, ao: number, b: Float32Array, bo: number, k: number): number => {
    if (order === 'forward' || order === 'fma') {
      let s = 0;
      for (let d = 0; d < k; d++) s = order === 'fma' ? f(s + a[ao + d] * b[bo + d]) : f(s + f(a[ao + d] * b[bo + d]));
      return s;
    }
    if (order === 'reverse') {
      let s = 0;
      for (let d = k - 1; d >= 0; d--) s = f(s + f(a[ao + d] * b[bo + d]));
      return s;
    }
    if (order === 'lanes8') {
      const lanes = new Float32Array(8);
      for (let d = 0; d < k; d++) lanes[d % 8] = f(lanes[d % 8] + f(a[ao + d] * b[bo + d]));
      let s = 0;
      for (const l of lanes) s = f(s + l);
      return s;
    }
    const rec = (lo: number, hi: number): number => (hi - lo === 1 ? f(a[ao + lo] * b[bo + lo]) : f(rec(lo, (lo + hi) >> 1) + rec((lo + hi) >> 1, hi)));
    return k ? rec(0, k) : 0;
  };
  return {
    library: `fake-${order}`,
    description: `fake CBLAS (${order})`,
    perCallThreads: true,
    async sgemmABt(m, n, k, a, b, c) {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = dot(a, i * k, b, j * k, k);
    },
  };
}

const ORDERS: Order[] = ['forward', 'reverse', 'pairwise', 'lanes8', 'fma'];
let system: Cblas | undefined;
try {
  system = loadCblas();
} catch {
  system = undefined;
}
const widened = (m: Matrix): Matrix => ({ ...m, data: Float32Array.from(toHalf(m.data), halfToFloat) });
const plain = (r: { ids: string[][]; scores: ArrayLike<number>[] }) => ({ ids: r.ids, scores: r.scores.map((s) => Array.from(s)) });

describe('exact search gives one ranking and one set of scores whatever computes the candidates', () => {
  const { q, c, ids } = nearTieData();
  const K = 50;

  test('the near-tie data is sensitive: summation orders change raw scores and raw top-k rankings', async () => {
    const raw: Float32Array[] = [];
    for (const order of ORDERS) {
      const e = new BlasEngine(orderedCblas(order), 2);
      await e.setChunk(c.data, c.rows, c.dim, 'cosine');
      raw.push(await e.scores(q.data, q.rows));
    }
    const differing = (a: Float32Array, b: Float32Array) => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);
    expect(differing(raw[0], raw[1])).toBeGreaterThan(1000);
    expect(differing(raw[0], raw[3])).toBeGreaterThan(1000);
    // Top-50 by raw scores (ties by column) differs between orders for some query: ranking by the engine's own
    // scores, as exact search did before rescoring, would make the run depend on the BLAS kernel.
    const topRaw = (s: Float32Array, i: number) =>
      Array.from({ length: c.rows }, (_, j) => j)
        .sort((a, b) => s[i * c.rows + b] - s[i * c.rows + a] || a - b)
        .slice(0, K)
        .join();
    const changed = Array.from({ length: q.rows }, (_, i) => topRaw(raw[0], i) !== topRaw(raw[3], i) || topRaw(raw[0], i) !== topRaw(raw[1], i));
    expect(changed.filter(Boolean).length).toBeGreaterThan(0);
  });

  for (const similarity of ['cosine', 'dot'] as const) {
    for (const storage of ['float32', 'float16'] as const) {
      test(`${similarity}, ${storage} storage: every engine, summation order, chunking and query batch gives the canonical top-${K}`, async () => {
        const ref = canonicalTopK(q, storage === 'float16' ? widened(c) : c, ids, K, similarity);
        const engines: [string, () => ExactSearch][] = [
          ['js', () => new ExactSearch({ engine: 'js' })],
          ['onnx', () => new ExactSearch({ engine: 'onnx', queryBatch: 5 })],
          ...ORDERS.map((o): [string, () => ExactSearch] => [`blas ${o}`, () => new ExactSearch({ engine: new BlasEngine(orderedCblas(o), 2), queryBatch: 7 })]),
          ...(system ? [['system blas', () => new ExactSearch({ engine: 'blas' })] as [string, () => ExactSearch]] : []),
        ];
        for (const [name, make] of engines) {
          for (const chunkRows of [1000, 257]) {
            const s = make();
            const got = await s.search(q, matrixCorpus(ids, c, { chunkRows, storage }), K, { similarity });
            await s.close();
            expect({ name, chunkRows, ...plain(got) }).toEqual({ name, chunkRows, ...ref });
          }
        }
      });
    }
  }

  test('exact duplicates tie exactly and are ordered by id; the rescoring work is reported, not written', async () => {
    const s = new ExactSearch({ engine: new BlasEngine(orderedCblas('lanes8'), 2) });
    const got = await s.search(q, matrixCorpus(ids, c), K, { similarity: 'cosine' });
    let ties = 0;
    for (const row of got.scores) for (let r = 1; r < row.length; r++) if (row[r] === row[r - 1]) ties++;
    expect(ties).toBeGreaterThan(0);
    expect(got.meta).toEqual({ search: 'exact', search_scores: 'canonical-f64-v1' });
    expect(got.diagnostics?.engine).toBe('blas');
    // Each query's group holds 500 documents within the engine's error bound of each other, more than the
    // engine's candidate margin: every query needs its full score row once (one chunk), and is then exact.
    expect(got.diagnostics?.fullRowRescans).toBe(q.rows);
    expect(got.diagnostics?.rescored).toBeGreaterThanOrEqual(q.rows * 500);
    // Ordinary float data: the margin holds the near-ties; the k best plus a few are rescored, no rescans.
    const fq = floatMatrix(20, 64, 5);
    const fc = floatMatrix(20000, 64, 6);
    const fids = Array.from({ length: 20000 }, (_, j) => `f${j}`);
    const plainRun = await s.search(fq, matrixCorpus(fids, fc, { chunkRows: 5000 }), 100, { similarity: 'cosine' });
    expect(plainRun.diagnostics?.fullRowRescans).toBe(0);
    expect(plainRun.diagnostics?.rescored).toBeGreaterThanOrEqual(20 * 100);
    expect(plain(plainRun)).toEqual(canonicalTopK(fq, fc, fids, 100, 'cosine'));
  });

  test('engine scores stay within engineErrorBound of the canonical score (cosine, dot; 4,096 dims; every order)', async () => {
    const qq = floatMatrix(3, 4096, 91);
    const cc = floatMatrix(40, 4096, 92);
    for (let i = 0; i < cc.data.length; i += 7) cc.data[i] *= 300; // spread of magnitudes: cancellation
    for (const similarity of ['cosine', 'dot'] as const) {
      let worst = 0;
      for (const order of ORDERS) {
        const e = new BlasEngine(orderedCblas(order), 1);
        await e.setChunk(cc.data, cc.rows, cc.dim, similarity);
        const raw = await e.scores(qq.data, qq.rows);
        for (let i = 0; i < qq.rows; i++) {
          let qn = 0;
          for (let d = 0; d < 4096; d++) qn += qq.data[i * 4096 + d] ** 2;
          for (let j = 0; j < cc.rows; j++) {
            let dn = 0;
            for (let d = 0; d < 4096; d++) dn += cc.data[j * 4096 + d] ** 2;
            const bound = engineErrorBound(4096, similarity, Math.sqrt(qn), Math.sqrt(dn));
            const err = Math.abs(raw[i * cc.rows + j] - canonicalScore(qq.data, cc.data, 4096, similarity, i * 4096, j * 4096));
            expect(err).toBeLessThanOrEqual(bound);
            worst = Math.max(worst, err / bound);
          }
        }
      }
      // The bound is a worst case; real errors sit far below it (this also catches a bound that got too small).
      expect(worst).toBeGreaterThan(0);
      expect(worst).toBeLessThan(0.1);
    }
  });
});

/** OpenBLAS reads OPENBLAS_CORETYPE when it loads: one child process per kernel. */
function coretypes(): string[] {
  let flags = '';
  try {
    flags = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return [];
  }
  const out = ['', 'Prescott', 'Nehalem', 'Sandybridge'];
  if (/\bavx2\b/.test(flags)) out.push('Haswell', 'Zen');
  if (/\bavx512f\b/.test(flags)) out.push('SkylakeX');
  return out;
}

const openblas = system?.library.includes('openblas') && process.platform === 'linux';
describe('system OpenBLAS under several kernels (OPENBLAS_CORETYPE)', () => {
  (openblas ? test : test.skip)('every kernel gives the same rescored runs, equal to the canonical reference', () => {
    const { q, c, ids } = nearTieData();
    const ref = { cosine: canonicalTopK(q, c, ids, 50, 'cosine'), dot: canonicalTopK(q, c, ids, 50, 'dot') };
    const seen = new Map<string, string>();
    for (const ct of coretypes()) {
      const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_CORETYPE: ct };
      if (!ct) delete env.OPENBLAS_CORETYPE;
      const out = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'tests/search/blas-kernel-child.ts'], { encoding: 'utf8', env }));
      if (ct) expect(out.detail).toContain(ct);
      expect(out.full).toEqual(ref);
      seen.set(ct || 'default', out.rawScores);
    }
    // Kernels of different SIMD widths give different raw float32 scores here: the test data exercises them.
    if (seen.has('Prescott') && seen.has('Sandybridge')) expect(seen.get('Prescott')).not.toBe(seen.get('Sandybridge'));
  }, 300_000);
});

describe('thread count', () => {
  test('1, 2 and 5 threads (rescoring on worker threads above the parallel threshold) give identical runs', async () => {
    const q = floatMatrix(300, 128, 71);
    const c = floatMatrix(4000, 128, 72);
    const ids = Array.from({ length: 4000 }, (_, j) => `t${j}`);
    const runs = [];
    for (const threads of [1, 2, 5]) {
      const s = new ExactSearch({ engine: 'js', threads });
      runs.push(plain(await s.search(q, matrixCorpus(ids, c, { chunkRows: 1500 }), 200, { similarity: 'cosine' })));
      await s.close();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[0]).toEqual(canonicalTopK(q, c, ids, 200, 'cosine'));
  }, 120_000);
});

describe('coalescing chunks for rescoring', () => {
  // canonical.wasm copies chunks into its memory (the last of a group streamed); the native kernel, where it loads,
  // reads matrixCorpus's chunks where they are (nothing streamed, gathered rows none). Same runs either way.
  const saved = process.env.MTEB_TS_NATIVE;
  afterEach(() => {
    if (saved === undefined) delete process.env.MTEB_TS_NATIVE;
    else process.env.MTEB_TS_NATIVE = saved;
  });
  const kernels: [string, string][] = [['wasm', '0'], ...(nativeIsas().length ? [['native', '1'] as [string, string]] : [])];
  test.each(kernels)('coalesced, per-chunk and gathered rescoring give identical runs, cosine and dot; diagnostics say which happened (%s)', async (kernel, env) => {
    process.env.MTEB_TS_NATIVE = env;
    const native = kernel === 'native';
    const { q, c, ids } = nearTieData(9, 3000, 12, 100);
    const ref = canonicalTopK(q, c, ids, 60, 'cosine');
    // [name, options, chunks coalesced, of which streamed (the last of each coalesced chunk but a lone one)]
    const runs: [string, { coalesceBytes?: number }, number, number][] = [
      ['coalesced (default budget)', {}, 11, native ? 0 : 1],
      ['coalesced, 4 chunks at a time (3 of them copied, the last streamed)', { coalesceBytes: 4 * 250 * 100 * 4 }, 9, native ? 0 : 3],
      ['one chunk at a time', { coalesceBytes: 1 }, 0, 0],
    ];
    for (const [name, o, coalesced, streamed] of runs) {
      const s = new ExactSearch({ engine: new BlasEngine(orderedCblas('reverse'), 2), ...o });
      const got = await s.search(q, matrixCorpus(ids, c, { chunkRows: 250 }), 60, { similarity: 'cosine' });
      expect({ name, ...plain(got) }).toEqual({ name, ...ref });
      expect({ name, coalesced: got.diagnostics?.coalescedChunks, streamed: got.diagnostics?.streamedChunks }).toEqual({ name, coalesced, streamed });
    }
    // Dot products: matrixCorpus's chunks come with their row-norm bound, so the last chunk is streamed as for
    // cosine; a provider without it (copies of the chunk objects, not registered as stable either) copies every
    // chunk, taking the bound on the way.
    const dotRef = canonicalTopK(q, c, ids, 60, 'dot');
    const honest = matrixCorpus(ids, c, { chunkRows: 250 });
    const unbounded: CorpusProvider = {
      dim: c.dim,
      size: c.rows,
      async *chunks() {
        for await (const chunk of honest.chunks()) yield { ...chunk };
      },
    };
    for (const [name, provider, streamed] of [['bounds from matrixCorpus', honest, native ? 0 : 1], ['no bounds', unbounded, 0]] as const) {
      const d = new ExactSearch({ engine: new BlasEngine(orderedCblas('reverse'), 2) });
      const got = await d.search(q, provider, 60, { similarity: 'dot' });
      expect({ name, ...plain(got) }).toEqual({ name, ...dotRef });
      expect({ name, coalesced: got.diagnostics?.coalescedChunks, streamed: got.diagnostics?.streamedChunks }).toEqual({ name, coalesced: 11, streamed });
    }
    // 12 queries x k 5 < 1,000 rows: rows are gathered per chunk (no resident copy, nothing coalesced); the native
    // kernel reads the chunks in place and coalesces them.
    const s = new ExactSearch({ engine: 'js' });
    const got = await s.search(q, matrixCorpus(ids, c, { chunkRows: 1000 }), 5, { similarity: 'dot' });
    expect(plain(got)).toEqual(canonicalTopK(q, c, ids, 5, 'dot'));
    expect(got.diagnostics?.coalescedChunks).toBe(native ? 2 : 0);
  });
});

describe('dot products whose error bound grows between chunks', () => {
  test('a later chunk of large-norm documents (a wider bound) still gives the canonical top-k under every order', async () => {
    const dim = 100;
    const r = (await import('./helpers.js')).rng(77);
    const q = { rows: 4, dim, data: Float32Array.from({ length: 4 * dim }, () => Math.fround(r() * 2 - 1)) };
    const n = 1200;
    const c = new Float32Array(n * dim);
    for (let j = 0; j < n; j++) {
      const big = j >= 600; // the second chunk: norms ~1e4, scores of the same size as the first chunk's
      for (let d = 0; d < dim; d++) {
        const qd = q.data[(j % 4) * dim + d];
        c[j * dim + d] = Math.fround(big ? (r() - 0.5) * 2e4 * (d % 2 ? 1 : -1) * 1e-3 + qd * 0.05 + (r() - 0.5) * 1e-6 : qd * 0.05 + (r() - 0.5) * 1e-6);
      }
    }
    const cm = { rows: n, dim, data: c };
    const ids = Array.from({ length: n }, (_, j) => `g${j}`);
    const ref = canonicalTopK(q, cm, ids, 40, 'dot');
    for (const order of ORDERS) {
      const s = new ExactSearch({ engine: new BlasEngine(orderedCblas(order), 2) });
      const got = await s.search(q, matrixCorpus(ids, cm, { chunkRows: 600 }), 40, { similarity: 'dot' });
      expect({ order, ...plain(got) }).toEqual({ order, ...ref });
    }
  });

  test('dot: a row-norm bound on a provider\'s chunk objects is never trusted (a too-small one would lose documents)', async () => {
    // matrixCorpus's chunks carry a bound taken from their rows (registered, row-norm-bound.ts); a provider's own
    // number on the chunk object is ignored, so a lying one cannot shrink the engine's error bound. This data is
    // sensitive: with a bound of 0 (δ = 0) the reverse-order engine's near-ties would drop canonical top documents.
    const { q, c, ids } = nearTieData();
    const K = 50;
    const ref = canonicalTopK(q, c, ids, K, 'dot');
    const honest = matrixCorpus(ids, c, { chunkRows: 1000 });
    const lying: CorpusProvider = {
      dim: c.dim,
      size: c.rows,
      async *chunks() {
        for await (const chunk of honest.chunks()) yield { ...chunk, maxRowNorm: 0, rowNormBound: 0 };
      },
    };
    for await (const chunk of honest.chunks()) expect(rowNormBoundOf(chunk)).toBeGreaterThan(0);
    for await (const chunk of lying.chunks()) expect(rowNormBoundOf(chunk)).toBeUndefined();
    for (const provider of [honest, lying]) {
      const s = new ExactSearch({ engine: new BlasEngine(orderedCblas('reverse'), 2), queryBatch: 5 });
      expect(plain(await s.search(q, provider, K, { similarity: 'dot' }))).toEqual(ref);
    }
  });
});
