/**
 * The k-means kernels over float32 rows (kmeans32.ts on dense64.wat) against the JavaScript loops they replaced
 * (`plainLoops`, the path checked against scikit-learn's goldens): every label, centre, count, inertia and step
 * count must have the same bits, for 1, 2 and 3 threads, rows resident or staged, on shapes that are not
 * multiples of the kernels' 4 x 8 tiles, and on tie-heavy data where the exact replay decides most rows.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { fitMiniBatchKMeans } from '../../../src/metrics/clustering/minibatch-kmeans.js';
import { KMeans32 } from '../../../src/metrics/clustering/kmeans32.js';
import { acquireWorkspace, releaseWorkspace } from '../../../src/metrics/numeric/dense64/workspace.js';
import { blobs } from './helpers.js';
import { embeddings, grid } from './kmeans-data.js';
import { expectSameFit } from './same-fit.js';

const same = expectSameFit;

const residentMax = KMeans32.residentMax;
afterEach(() => {
  KMeans32.residentMax = residentMax;
});

describe('k-means kernels vs the plain loops, bit for bit', () => {
  const shapes: [string, { rows: number; dim: number; data: Float32Array }, number, number][] = [
    ['embeddings 1,500 x 257, k = 20, batch 500 (split over threads)', embeddings(1500, 257, 20, 1), 20, 500],
    ['embeddings 700 x 1,001, k = 17, batch 100', embeddings(700, 1001, 17, 2), 17, 100],
    ['embeddings 400 x 6, k = 9, batch 32', embeddings(400, 6, 9, 3), 9, 32],
    ['grid 300 x 3, k = 17, batch 4 (ties: the exact replay decides)', grid(300, 3, 4), 17, 4],
    ['grid 600 x 10, k = 40, batch 64 (ties)', grid(600, 10, 5), 40, 64],
  ];
  for (const [name, X, k, batch] of shapes) {
    test(name, () => {
      const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, plainLoops: true, threads: 1 });
      for (const threads of [1, 2, 3]) same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads }), ref);
      // Staged rows (inputs too large to keep in the module's memory) take the same kernels.
      KMeans32.residentMax = 0;
      same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 2 }), ref);
    });
  }

  test('a scikit-learn golden blob set (float32, duplicates) keeps its plain-loop result', () => {
    const X = blobs(3, 300, 12, 5, 2.0, true);
    const ref = fitMiniBatchKMeans(X, { nClusters: 12, batchSize: 20, seed: 42, plainLoops: true });
    same(fitMiniBatchKMeans(X, { nClusters: 12, batchSize: 20, seed: 42 }), ref);
  });
});

test('a thread count that is not a positive integer is refused at the boundary', () => {
  const X = embeddings(40, 4, 3, 6);
  expect(() => fitMiniBatchKMeans(X, { nClusters: 3, threads: 0 })).toThrow('threads must be a positive integer, got 0');
  expect(() => fitMiniBatchKMeans(X, { nClusters: 3, threads: 1.5 })).toThrow('threads must be a positive integer, got 1.5');
});

describe('KMeans32.assign', () => {
  test('identical centres: the exact replay keeps the first, and the inertia is the float32 chain', () => {
    const d = 5;
    const X = Float32Array.from([1, 2, 3, 4, 5, 0.5, 0.25, -1, 2, 8, 1, 2, 3, 4, 5]);
    const ws = acquireWorkspace(1);
    try {
      const km = new KMeans32(ws, X, 3, d, 3, 3);
      // centres 1 and 2 are the same point; centre 0 is far away
      km.centers().set([100, 100, 100, 100, 100, 1, 2, 3, 4, 6, 1, 2, 3, 4, 6]);
      const labels = new Int32Array(3);
      const inertia = km.assign([0, 1, 2], labels);
      expect(Array.from(labels)).toEqual([1, 1, 1]);
      // rows 0 and 2: (5 - 6)^2 = 1 each; row 1: 0.25 + 3.0625 + 16 + 4 + 4 in _inertia_dense's order
      const row1 = Math.fround(Math.fround(Math.fround(Math.fround(0.25) + 3.0625) + 16) + 4) + 4;
      expect(inertia).toBe(Math.fround(Math.fround(1 + row1) + 1));
      expect(km.replayed).toBe(3);
    } finally {
      releaseWorkspace(ws);
    }
  });
});
