// MiniBatchKMeans where more than batch/2 clusters are light with exactly tied weights, so which clusters are
// reassigned depends on np.argsort's order and on how row_norms rounds (issue 21). Goldens: scikit-learn 1.2.1
// (fixtures/golden/clustering/make_reassign_goldens.py): k = 16..100 on 100 points x 2 dims with batch 4 and 32,
// k = 500 and 640 with mteb's batch 500. Before the numpy argsort port and the einsum-order centre norms, 14 of these 20 cases had other labels.
import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fitMiniBatchKMeans } from '../../../src/metrics/clustering/minibatch-kmeans.js';
import { blobs } from './helpers.js';

interface Case {
  n: number;
  k: number;
  d: number;
  spread: number;
  batch: number;
  dup: boolean;
  seed: number;
  labels: number[];
  n_steps: number;
  inertia: number;
}
const cases = (JSON.parse(readFileSync(path.join('fixtures', 'golden', 'clustering', 'reassign.json'), 'utf8')) as { cases: Case[] }).cases;

describe('MiniBatchKMeans reassignment with tied light clusters = sklearn 1.2.1', () => {
  test('the golden set: 18 small cases and 2 with k >= 500', () => {
    expect(cases.map((c) => `${c.k}/${c.batch}`)).toEqual([
      ...[16, 17, 20, 25, 33, 50, 64, 75, 100].map((k) => `${k}/4`),
      ...[16, 17, 20, 25, 33, 50, 64, 75, 100].map((k) => `${k}/32`),
      '500/500',
      '640/500',
    ]);
  });

  test.each(cases.map((c) => [`k=${c.k} batch=${c.batch}`, c] as const))('%s: identical labels, n_steps and inertia', (_, c) => {
    const X = blobs(c.seed, c.n, c.k, c.d, c.spread, c.dup, 'float32');
    const r = fitMiniBatchKMeans(X, { nClusters: c.k, batchSize: c.batch, seed: 42 });
    const differing = c.labels.filter((v, i) => v !== r.labels[i]).length;
    expect({ differing, nSteps: r.nSteps }).toEqual({ differing: 0, nSteps: c.n_steps });
    expect(Math.abs(r.inertia - c.inertia)).toBeLessThanOrEqual(1e-6 * Math.max(1, c.inertia));
  });
});
