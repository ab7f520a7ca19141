import { describe, test, expect } from '@jest/globals';
import { evaluateLegacyClustering } from '../../../src/metrics/clustering/legacy-protocol.js';
import { evaluateFastClustering, planFastClustering } from '../../../src/metrics/clustering/fast-protocol.js';
import { gather } from '../../../src/core/matrix.js';
import { MtebError } from '../../../src/core/errors.js';
import { PythonRandom } from '../../../src/rng/python-random.js';
import { goldens, blobs } from './helpers.js';
import { hierDocs } from './protocol-data.js';

const close = (a: number, b: number): void => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12);

describe('legacy clustering protocol (per-set MiniBatchKMeans, batch 500)', () => {
  const L = goldens.legacy;
  const sets = L.sets.map((s: { seed: number; n: number; k: number; d: number; spread: number }) => {
    const b = blobs(s.seed, s.n, s.k, s.d, s.spread, false);
    return { X: b, labels: b.y.map((t) => `topic-${t}`) };
  });

  test.each([['mteb-1'], ['mteb-2']] as const)('%s reproduces v_measures, mean and std', (protocol) => {
    const r = evaluateLegacyClustering(sets, { protocol });
    expect(r.perItem).toHaveLength(L.v_measures.length);
    r.scores.v_measures.forEach((v, i) => close(v, L.v_measures[i]));
    close(r.scores.v_measure, L.v_measure);
    close(r.scores.v_measure_std, L.v_measure_std);
    expect(r.perItem).toEqual(r.scores.v_measures);
    expect(r.scores.v_measures[3]).toBe(1);
  });

  test('embedding/label count mismatch names the set', () => {
    expect(() => evaluateLegacyClustering([{ X: sets[0].X, labels: ['a'] }], { protocol: 'mteb-2' })).toThrow(/cluster set 0/);
  });
});

describe('fast (bootstrapped) clustering protocol', () => {
  for (const F of goldens.fast) {
    test(`${F.version}: plan, per-level v_measures, mean and std (${F.n_docs} docs, ${F.n_rounds} rounds of ${F.per_cluster})`, () => {
      const docs = hierDocs(77, F.n_docs, F.d);
      const rng = new PythonRandom(42);
      const plan = planFastClustering(F.n_docs, { maxFractionOfDocumentsToEmbed: F.fraction, rng });
      expect(plan).toEqual(F.plan);
      const X = gather({ rows: F.n_docs, dim: F.d, data: docs.data }, plan);
      const labels = plan.map((i) => docs.labels[i]);
      const opts = { protocol: F.version, maxDocumentsPerCluster: F.per_cluster, nClusters: F.n_rounds } as const;
      const r = evaluateFastClustering(X, labels, { ...opts, rng });
      expect(Object.keys(r.scores.v_measures)).toEqual(Object.keys(F.v_measures));
      for (const key of Object.keys(F.v_measures)) {
        expect(r.scores.v_measures[key]).toHaveLength(F.v_measures[key].length);
        r.scores.v_measures[key].forEach((v, i) => close(v, F.v_measures[key][i]));
      }
      close(r.scores.v_measure, F.v_measure);
      close(r.scores.v_measure_std, F.v_measure_std);
      expect(r.perItem).toEqual(Object.values(r.scores.v_measures).flat());
      if (F.version === 'mteb-2') {
        // Without a shared rng, replaying the plan from a fresh Random(42) gives the same stream.
        const again = evaluateFastClustering(X, labels, { ...opts, plannedFromDocs: F.n_docs, maxFractionOfDocumentsToEmbed: F.fraction });
        expect(again.scores.v_measure).toBe(r.scores.v_measure);
      }
    });
  }

  test('plan: 4 % default, explicit limit, no downsampling, conflicting settings', () => {
    expect(planFastClustering(1000)).toHaveLength(40);
    expect(planFastClustering(1000, { maxDocumentsToEmbed: 7 })).toEqual(new PythonRandom(42).sampleRange(1000, 7));
    expect(planFastClustering(5, { maxFractionOfDocumentsToEmbed: null })).toEqual([0, 1, 2, 3, 4]);
    expect(planFastClustering(10, { maxDocumentsToEmbed: 50, maxFractionOfDocumentsToEmbed: null })).toHaveLength(10);
    expect(() => planFastClustering(10, { maxDocumentsToEmbed: 5, maxFractionOfDocumentsToEmbed: 0.5 })).toThrow(MtebError);
  });

  test('numeric labels drop missing levels; string labels keep them as "-1" (numpy coercion, as mteb)', () => {
    // docs 4 and 5 lack level 1 and sit inside the two real level-1 groups
    const X = { rows: 6, dim: 1, data: new Float32Array([0, 0.1, 5, 5.1, 0.05, 5.05]) };
    const opts = { protocol: 'mteb-2', maxDocumentsPerCluster: 30, nClusters: 2 } as const;
    const num = evaluateFastClustering(X, [[1, 10], [1, 10], [2, 20], [2, 20], [1], [2]], opts);
    const str = evaluateFastClustering(X, [['a', 'x'], ['a', 'x'], ['b', 'y'], ['b', 'y'], ['a'], ['b']], opts);
    expect(Object.keys(num.scores.v_measures)).toEqual(['Level 0', 'Level 1']);
    for (const v of [...num.scores.v_measures['Level 0'], ...str.scores.v_measures['Level 0']]) expect(v).toBeCloseTo(1, 12);
    // numeric: the two docs are dropped, 4 docs in 2 clean groups
    for (const v of num.scores.v_measures['Level 1']) expect(v).toBeCloseTo(1, 12);
    // strings: they stay as a third class "-1" that no 3-means split of these points can isolate
    for (const v of str.scores.v_measures['Level 1']) expect(v).toBeLessThan(0.95);
    expect(() => evaluateFastClustering(X, [['a']], { protocol: 'mteb-2' })).toThrow(MtebError);
  });
});
