import { describe, test, expect } from '@jest/globals';
import { fitMiniBatchKMeans, miniBatchKMeans } from '../../../src/metrics/clustering/minibatch-kmeans.js';
import { vMeasureScore } from '../../../src/metrics/clustering/v-measure.js';
import { RandomState } from '../../../src/rng/numpy-random-state.js';
import { MtebError } from '../../../src/core/errors.js';
import { goldens, blobs } from './helpers.js';

interface KmCase {
  n: number;
  k: number;
  d: number;
  spread: number;
  batch: number;
  dup: boolean;
  seed: number;
  dtype: 'float32' | 'float64';
  labels: number[];
  n_steps: number;
  inertia: number;
  v_measure: number;
}

const all = goldens.kmeans as KmCase[];
// The 24 wide cases (d 128-768) take ~20 s in total; the test keeps the cheapest few, the benchmark runs all.
const wide = all.slice(60).filter((c) => c.n * c.k * c.d <= 1500 * 20 * 384).slice(0, 5);
const cases = [...all.slice(0, 60), ...wide];

describe('miniBatchKMeans vs sklearn 1.2.1 MiniBatchKMeans(random_state=42, n_init="auto")', () => {
  const results = cases.map((c) => {
    const X = blobs(c.seed, c.n, c.k, c.d, c.spread, c.dup, c.dtype);
    const r = fitMiniBatchKMeans(X, { nClusters: c.k, batchSize: c.batch, seed: 42 });
    const identical = c.labels.every((v, i) => v === r.labels[i]);
    const dv = Math.abs(vMeasureScore(X.y, r.labels) - c.v_measure);
    return { c, r, identical, dv };
  });

  test('mean |Δ v_measure| within 0.5 point (0.005) and >= 95 % identical assignments', () => {
    const mean = results.reduce((s, x) => s + x.dv, 0) / results.length;
    const frac = results.filter((x) => x.identical).length / results.length;
    expect(results.length).toBeGreaterThanOrEqual(60);
    expect(mean).toBeLessThan(0.005);
    expect(frac).toBeGreaterThanOrEqual(0.95);
  });

  test('identical assignments also reproduce n_steps_ and float32/float64 inertia_', () => {
    for (const { c, r, identical } of results) {
      if (!identical) continue;
      expect(r.nSteps).toBe(c.n_steps);
      expect(Math.abs(r.inertia - c.inertia)).toBeLessThanOrEqual(1e-6 * Math.max(1, c.inertia));
    }
  });

  test('n < batch, k = 1, duplicates and n > 3*batch cases are all exact', () => {
    for (const { c, identical } of results.slice(0, 8)) expect({ n: c.n, k: c.k, identical }).toEqual({ n: c.n, k: c.k, identical: true });
  });

  test('a RandomState instance is consumed in place; an int seed restarts the stream', () => {
    const c = all[1];
    const X = blobs(c.seed, c.n, c.k, c.d, c.spread, c.dup, c.dtype);
    const a = miniBatchKMeans(X, { nClusters: c.k, batchSize: c.batch, seed: 42 });
    const b = miniBatchKMeans(X, { nClusters: c.k, batchSize: c.batch, seed: 42 });
    expect(Array.from(a)).toEqual(Array.from(b));
    const rs = new RandomState(42);
    const first = miniBatchKMeans(X, { nClusters: c.k, batchSize: c.batch, seed: rs });
    expect(Array.from(first)).toEqual(Array.from(a));
    const before = new RandomState(42);
    expect(rs.nextUint32()).not.toBe(before.nextUint32());
  });

  test('n_samples < n_clusters is a user error', () => {
    const X = blobs(1, 3, 1, 2, 1, false);
    expect(() => miniBatchKMeans(X, { nClusters: 4 })).toThrow(MtebError);
    const bad = { rows: 2, dim: 2, data: new Float32Array([0, 1, NaN, 2]) };
    expect(() => miniBatchKMeans(bad, { nClusters: 1 })).toThrow(/row 1 has a non-finite value/);
  });

  test('a non-finite value anywhere is found (the check runs in slices of 65,536 values)', () => {
    const rows = 300;
    const dim = 1000; // 300,000 values: five slices
    for (const [at, v] of [[0, Infinity], [65_535, NaN], [65_536, -Infinity], [299_999, NaN], [200_003, Infinity]] as const) {
      for (const data of [new Float32Array(rows * dim).fill(0.5), new Float64Array(rows * dim).fill(0.5)]) {
        data[at] = v;
        expect(() => miniBatchKMeans({ rows, dim, data }, { nClusters: 2 })).toThrow(`embedding row ${Math.floor(at / dim)} has a non-finite value (${v})`);
      }
    }
  });
});

describe('newer sklearn k-means++ variants (emulations from the shared reference vectors)', () => {
  const em = goldens.kmeans_emulated_newer;
  const small = em.X_small as number[][];
  const bigX = (): number[][] => {
    const rs = new RandomState(123);
    const X: number[][] = [];
    for (let i = 0; i < 1800; i++) {
      const r: number[] = [];
      for (let j = 0; j < 8; j++) r.push(3.0 * (i % 6 === j % 6 ? 1 : 0) + (rs.randomSample() - 0.5));
      X.push(r);
    }
    return X;
  };
  const big = bigX();
  interface EmCase {
    emulates: string;
    case: string;
    dtype: string;
    kmeanspp_indices_into_init_subsample: number[];
    labels_: number[];
    n_steps_: number;
  }
  const emCases: [string, string, string, EmCase][] = (em.cases as EmCase[]).map((c) => [c.emulates, c.case, c.dtype, c]);
  test.each(emCases)(
    '%s %s %s',
    (emulates, name, dtype, c) => {
      const rows = name.startsWith('small') ? small : big;
      const flat = rows.flat();
      const data = dtype === 'float32' ? Float32Array.from(flat) : Float64Array.from(flat);
      const p = em.params[name];
      const r = fitMiniBatchKMeans(
        { rows: rows.length, dim: rows[0].length, data },
        { nClusters: p.n_clusters, batchSize: p.batch_size, seed: p.random_state, kmeansPlusPlus: emulates.includes('1_8') ? '1.8' : '1.3' },
      );
      expect(r.initIndices).toEqual(c.kmeanspp_indices_into_init_subsample);
      expect(Array.from(r.labels)).toEqual(c.labels_);
      expect(r.nSteps).toBe(c.n_steps_);
    },
  );
});
