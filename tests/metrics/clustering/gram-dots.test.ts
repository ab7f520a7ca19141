/**
 * k-means++'s candidate distances from a BLAS Gram matrix (gram-dots.ts): each distance must have the bits of the
 * fixed-order dot64 path whatever the library's summation order, so every value is certified against dot64's
 * rounding. Checked against dot64 directly with a stand-in DSYRK moved by up to half the assumed bound (all
 * equal), moved far beyond it (values differ: the comparison can fail), returning NaN (all recomputed), and with
 * the system BLAS; then whole fits with a stand-in library equal the WebAssembly path's.
 */
import { describe, expect, test } from '@jest/globals';
import { GramDots, type Dsyrk } from '../../../src/metrics/clustering/gram-dots.js';
import { dot64 } from '../../../src/metrics/clustering/dot64.js';
import { resolveScoreProducts, type ScoreProducts } from '../../../src/metrics/clustering/blas-products.js';
import { fitMiniBatchKMeans } from '../../../src/metrics/clustering/minibatch-kmeans.js';
import { mulberry32 } from '../../../src/util/mulberry32.js';
import { acquireWorkspace, releaseWorkspace } from '../../../src/metrics/numeric/dense64/workspace.js';
import { embeddings, grid } from './kmeans-data.js';
import { expectSameFit } from './same-fit.js';

type Rows = { rows: number; dim: number; data: Float32Array };

/** The subsample's squared norms as minibatch-kmeans.ts sums them (sequentially, float64). */
function norms(X: Rows, sub: number[]): Float64Array {
  return Float64Array.from(sub, (r) => {
    let s = 0;
    for (let f = 0; f < X.dim; f++) s += X.data[r * X.dim + f] ** 2;
    return s;
  });
}

/** The reference: dot64 for every pair, rounded and clamped as k-means++ does. */
function exactDistances(X: Rows, sub: number[], nrm: Float64Array, ci: number): Float32Array {
  const d = X.dim;
  return Float32Array.from(sub, (r, i) => {
    const v = Math.fround(-2 * dot64(X.data, sub[ci] * d, X.data, r * d, d) + nrm[ci] + nrm[i]);
    return v > 0 ? v : 0;
  });
}

/**
 * A stand-in DSYRK: each dot summed backwards (another order than dot64's), moved by `scale` × γ_d ‖x‖‖c‖ in a
 * seeded random direction (the certificate assumes 2 γ_d ‖x‖‖c‖ between a library's value and dot64's).
 */
function standIn(scale: number, seed: number, nan = false): Dsyrk & { calls: number } {
  const rnd = mulberry32(seed);
  const f: Dsyrk & { calls: number } = Object.assign(
    (n: number, k: number, a: Float64Array, c: Float64Array) => {
      f.calls++;
      const du = k * 2 ** -53;
      const gamma = du / (1 - du);
      const len = (i: number) => Math.sqrt(a.subarray(i * k, i * k + k).reduce((s, v) => s + v * v, 0));
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let dot = 0;
          for (let t = k - 1; t >= 0; t--) dot += a[i * k + t] * a[j * k + t];
          c[i * n + j] = nan ? NaN : dot + (rnd() < 0.5 ? -1 : 1) * scale * gamma * len(i) * len(j);
        }
      }
    },
    { calls: 0 },
  );
  return f;
}

const cases: [string, Rows, number[]][] = [
  ['embeddings 200 x 257', embeddings(400, 257, 10, 1), Array.from({ length: 200 }, (_, i) => 2 * i)],
  ['grid 150 x 7 (duplicates, exact ties)', grid(300, 7, 2), Array.from({ length: 150 }, (_, i) => (i * 7) % 300)],
  ['embeddings 120 x 1,024 with repeated rows', embeddings(300, 1024, 5, 3), Array.from({ length: 120 }, (_, i) => (i * 13) % 97)],
];

describe('GramDots certifies every distance against dot64', () => {
  for (const [name, X, sub] of cases) {
    test(`a stand-in within half the bound gives dot64's bits (${name})`, () => {
      const nrm = norms(X, sub);
      const gram = GramDots.build(X.data, sub, X.dim, nrm, standIn(1, 5))!;
      for (const ci of [0, 3, sub.length - 1]) {
        const out = new Float32Array(sub.length);
        gram.distances(ci, Math.fround, out);
        expect(Array.from(out)).toEqual(Array.from(exactDistances(X, sub, nrm, ci)));
      }
      // the candidate with itself (distance about 0) straddles a rounding boundary; most values do not
      expect(gram.recomputed).toBeGreaterThan(0);
      expect(gram.recomputed).toBeLessThan(sub.length);
    });
  }

  test('far beyond the bound (10^6 γ_d) the distances change: the comparison can fail', () => {
    const [, X, sub] = cases[0];
    const nrm = norms(X, sub);
    const gram = GramDots.build(X.data, sub, X.dim, nrm, standIn(2e6, 5))!;
    const out = new Float32Array(sub.length);
    gram.distances(0, Math.fround, out);
    expect(Array.from(out)).not.toEqual(Array.from(exactDistances(X, sub, nrm, 0)));
  });

  test('NaN from the library: every value recomputed', () => {
    const [, X, sub] = cases[1];
    const nrm = norms(X, sub);
    const gram = GramDots.build(X.data, sub, X.dim, nrm, standIn(0, 5, true))!;
    const out = new Float32Array(sub.length);
    gram.distances(4, Math.fround, out);
    expect(Array.from(out)).toEqual(Array.from(exactDistances(X, sub, nrm, 4)));
    expect(gram.recomputed).toBe(sub.length);
  });

  const system = resolveScoreProducts('auto')?.dsyrkLower;
  if (!system) console.warn('gram-dots.test.ts: no system BLAS with cblas_dsyrk loads: the system-BLAS case is skipped');
  (system ? test : test.skip)('the system BLAS DSYRK gives dot64\'s bits', () => {
    for (const [, X, sub] of cases) {
      const nrm = norms(X, sub);
      const gram = GramDots.build(X.data, sub, X.dim, nrm, system!)!;
      for (let ci = 0; ci < sub.length; ci += 17) {
        const out = new Float32Array(sub.length);
        gram.distances(ci, Math.fround, out);
        expect(Array.from(out)).toEqual(Array.from(exactDistances(X, sub, nrm, ci)));
      }
    }
  });
});

describe('whole fits with a stand-in DSYRK', () => {
  /** The exact SGEMM (float64 sums, well inside kmeans32.ts's bound) with the given DSYRK. */
  const products = (dsyrkLower: Dsyrk): ScoreProducts => ({
    description: 'stand-in',
    sgemmABtSync(m, n, d, a, b, c, ldc) {
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * ldc + j] = dot64(a, i * d, b, j * d, d);
    },
    dsyrkLower,
  });
  // k = 40: (k − 1)·nLocal + 1 = 196 candidates on a 300-row subsample, enough for the Gram matrix at 2 threads
  const X = embeddings(900, 129, 40, 4);

  test('within the bound: the same fit (and k-means++ centres) as the WebAssembly products', () => {
    const ref = fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 1, products: 'off' });
    const dsyrk = standIn(1, 9);
    const fit = fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 2, products: products(dsyrk) });
    expect(dsyrk.calls).toBe(1);
    expect(fit.initIndices).toEqual(ref.initIndices);
    expectSameFit(fit, ref);
  });

  test('far beyond the bound (10^12 γ_d) the k-means++ centres change: the comparison can fail', () => {
    const ref = fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 1, products: 'off' });
    const fit = fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 1, products: products(standIn(1e12, 9)) });
    expect(fit.initIndices).not.toEqual(ref.initIndices);
  });

  const system = resolveScoreProducts('auto');
  if (!system?.threaded) console.warn('gram-dots.test.ts: no system BLAS runs on the worker threads: the worker DSYRK cases are skipped');
  (system?.threaded ? test : test.skip)('the system DSYRK on a worker thread, beside the row lengths: the same fit, the workers stay usable', () => {
    const ref = fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 1, products: 'off' });
    let calls = 0;
    const counted: ScoreProducts = { ...system!, dsyrkLower: (...a) => (calls++, system!.dsyrkLower!(...a)) };
    expectSameFit(fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 2, products: counted }), ref);
    // the calling thread's DSYRK did not run: the worker's did
    expect(calls).toBe(0);
    const ws = acquireWorkspace(2);
    try {
      expect(ws.threadsUsable).toBe(true);
    } finally {
      releaseWorkspace(ws);
    }
  });

  (system?.threaded ? test : test.skip)('a library the workers cannot load: the calling thread runs the DSYRK, same fit', () => {
    const ref = fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 1, products: 'off' });
    let calls = 0;
    const fake: ScoreProducts = {
      ...products(standIn(1, 3)),
      dsyrkLower: (...a) => (calls++, standIn(1, 3)(...a)),
      threaded: { koffi: system!.threaded!.koffi, library: '/nonexistent/libcblas-for-gram-test.so' },
    };
    // 5 threads: a workspace of its own (the failed one stays idle for this count only).
    expectSameFit(fitMiniBatchKMeans(X, { nClusters: 40, batchSize: 100, seed: 42, threads: 5, products: fake }), ref);
    expect(calls).toBe(1);
  });
});
