import { describe, test, expect } from '@jest/globals';
import {
  accuracyScore,
  averagePrecisionFromLabels,
  precisionRecallF1,
  prfCounts,
} from '../../../src/metrics/classification/metrics.js';
import { averagePrecisionScore } from '../../../src/metrics/stats/average-precision.js';
import { numpyMean as npMean, numpySum64 as npSum } from '../../../src/metrics/numeric/numpy-sum.js';
import { compareLabels, uniqueLabels } from '../../../src/metrics/classification/labels.js';
import { MtebError } from '../../../src/core/errors.js';
import { G } from './golden.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

describe('classification metrics vs sklearn 1.2.1', () => {
  for (const c of G.metrics.cases) {
    test(c.name, () => {
      expect(accuracyScore(c.y_true, c.y_pred)).toBe(c.accuracy);
      const counts = prfCounts(c.y_true, c.y_pred);
      for (const avg of ['macro', 'weighted'] as const) {
        // sklearn 1.2 formula reproduces its bits exactly; the >=1.3 count formula agrees to rounding.
        const exact = precisionRecallF1(counts, avg, 'precision-recall');
        expect(exact.f1).toBe(c[`f1_${avg}`]);
        expect(exact.precision).toBe(c[`precision_${avg}`]);
        expect(exact.recall).toBe(c[`recall_${avg}`]);
        close(precisionRecallF1(counts, avg, 'counts').f1, c[`f1_${avg}`]);
      }
      if (c.ap !== undefined) {
        expect(averagePrecisionFromLabels(c.y_true, c.y_pred)).toBe(c.ap);
        expect(c.ap_weighted).toBe(c.ap);
      }
    });
  }

  test('average precision with real scores (ties, many thresholds)', () => {
    const a = G.metrics.ap_scores;
    close(averagePrecisionScore(a.y_true, a.y_score), a.ap, 1e-15);
  });

  test('AP on hard predictions has the closed form R*P + (1-R)*prevalence', () => {
    const yTrue = [1, 1, 1, 0, 0, 0, 0, 0];
    const yPred = [1, 1, 0, 1, 0, 0, 0, 0];
    // R = 2/3, P = 2/3, prevalence 3/8
    close(averagePrecisionFromLabels(yTrue, yPred), (2 / 3) * (2 / 3) + (1 / 3) * (3 / 8), 1e-15);
  });

  test('AP rejects labels without the positive class 1 and string labels', () => {
    expect(() => averagePrecisionFromLabels([0, 2, 2], [0, 2, 0], 'T')).toThrow(MtebError);
    expect(() => averagePrecisionFromLabels(['a', 'b'], ['a', 'a'])).toThrow(/numeric/);
  });

  test('empty or mismatched inputs are errors', () => {
    expect(() => accuracyScore([], [])).toThrow(MtebError);
    expect(() => accuracyScore([1], [1, 2])).toThrow(/y_pred/);
  });
});

describe('numpy summation order', () => {
  test('pairwise sum differs from naive sum exactly as numpy does', () => {
    // 10 values: numpy adds 8 interleaved partials then the 2-element tail.
    const v = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1e16];
    const r = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const expected = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7])) + 0.9 + 1e16;
    expect(npSum(v)).toBe(expected);
    expect(npMean([1, 2, 3, 4])).toBe(2.5);
    expect(npMean([])).toBeNaN();
    // numpy 1.24: np.sum(w) == 12936696.982121002 while Python's sequential sum(w) == 12936696.982121
    const w = [0.590863, 0.023982, 5588540.879909, 25925.244691, 41510.119701, 283525.081771, 6.931379, 4.404537,
      1.568677, 54464.901803, 78031.476451, 3063635.323762, 22.195788, 387.971258, 9363.836499, 9759.954225,
      672.383676, 902.834109, 0.845751, 3779940.413289];
    expect(npSum(w)).toBe(12936696.982121002);
    expect(w.reduce((a, b) => a + b, 0)).toBe(12936696.982121);
  });
});

describe('label order', () => {
  test('numbers numerically, strings by code point, mixing is an error', () => {
    expect(uniqueLabels([10, 2, 1, 2])).toEqual([1, 2, 10]);
    expect(uniqueLabels(['b', 'B', 'a', '\u{1F600}', '\uFFFF'])).toEqual(['B', 'a', 'b', '\uFFFF', '\u{1F600}']);
    expect(() => compareLabels(1, 'a')).toThrow(MtebError);
  });
});
