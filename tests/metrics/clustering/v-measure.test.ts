import { describe, test, expect } from '@jest/globals';
import { vMeasure, vMeasureScore, labelEntropy } from '../../../src/metrics/clustering/v-measure.js';
import { numpyMean, numpyStd, numpySum32, numpySum64 } from '../../../src/metrics/numeric/numpy-sum.js';
import { RandomState } from '../../../src/rng/numpy-random-state.js';
import { goldens } from './helpers.js';

interface SumCase {
  n: number;
  sum32: number;
  sum64: number;
  mean64: number;
  std64: number;
}

interface VmCase {
  name: string;
  labels_true: (string | number)[];
  labels_pred: number[];
  homogeneity: number;
  completeness: number;
  v_measure: number;
}

describe('vMeasure matches sklearn homogeneity_completeness_v_measure', () => {
  test.each((goldens.vmeasure as VmCase[]).map((c): [string, VmCase] => [c.name, c]))('%s', (_name, c) => {
    const got = vMeasure(c.labels_true, c.labels_pred);
    expect(Math.abs(got.homogeneity - c.homogeneity)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(got.completeness - c.completeness)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(got.v_measure - c.v_measure)).toBeLessThanOrEqual(1e-12);
  });

  test('edge conventions are exact', () => {
    expect(vMeasure([], [])).toEqual({ v_measure: 1, homogeneity: 1, completeness: 1 });
    expect(vMeasure(['a', 'a', 'a'], [0, 1, 2])).toEqual({ v_measure: 0, homogeneity: 1, completeness: 0 });
    expect(vMeasure(['a', 'b', 'c'], [4, 4, 4])).toEqual({ v_measure: 0, homogeneity: 0, completeness: 1 });
    expect(vMeasureScore([3, 3], [1, 1])).toBe(1);
    expect(vMeasureScore(['x', 'x', 'y', 'y'], [7, 7, 2, 2])).toBe(1);
    expect(labelEntropy([])).toBe(1);
    expect(labelEntropy(['a', 'b'])).toBeCloseTo(Math.log(2), 15);
  });

  test('length mismatch throws', () => {
    expect(() => vMeasure(['a'], [1, 2])).toThrow(RangeError);
  });
});

describe('numpy summation order', () => {
  test.each((goldens.numpy_sums as SumCase[]).map((c): [number, SumCase] => [c.n, c]))('n=%i: sums, mean, std bit-identical to numpy', (_n, c) => {
    const a = new RandomState(5).randomSample(c.n);
    const a32 = Float32Array.from(a, (v) => Math.fround(Math.fround(v) * 10));
    expect(numpySum32(a32)).toBe(c.sum32);
    const b = new RandomState(6).randomSample(c.n).map((v) => v * 3.0 - 1.0);
    expect(numpySum64(b)).toBe(c.sum64);
    expect(numpyMean(b)).toBe(c.mean64);
    expect(numpyStd(b)).toBe(c.std64);
  });

  test('mean and std (ddof 0)', () => {
    expect(numpyMean([1, 2, 3, 4])).toBe(2.5);
    expect(numpyStd([1, 2, 3, 4])).toBe(Math.sqrt(1.25));
    expect(numpyStd([0.5])).toBe(0);
  });
});
