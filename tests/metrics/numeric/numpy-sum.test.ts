import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  einsumDot32,
  einsumDot64,
  numpyAverage,
  numpyMean,
  numpyStd,
  numpySum32,
  numpySum64,
} from '../../../src/metrics/numeric/numpy-sum.js';
import { pythonSum } from '../../../src/metrics/numeric/python-sum.js';
import { RandomState } from '../../../src/rng/numpy-random-state.js';

interface Case {
  n: number;
  sum64: string;
  sum32: string;
  mean?: string;
  std?: string;
  average?: string;
  dot64?: string;
  dot32?: string;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/numeric/numpy-sums.json', import.meta.url), 'utf8'),
) as { cases: Case[]; neg_zero_sums: Record<string, string> };

/** `values()` of make_numpy_sums.py. */
function values(n: number): { x: Float64Array; w: Float64Array } {
  const rs = new RandomState(1000 + n);
  const scale = 2.0 ** rs.randint(-30, 30);
  const u = rs.randomSample(n) as Float64Array;
  const w = rs.randomSample(n) as Float64Array;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = (u[i] - 0.3) * scale * (1 + 1000 * w[i] * w[i] * w[i]);
  return { x, w };
}

describe('numpy reductions are bit-identical to numpy 1.24', () => {
  test.each(golden.cases.map((c): [number, Case] => [c.n, c]))('n = %d', (n, c) => {
    const { x, w } = values(n);
    const x32 = Float32Array.from(x);
    const w32 = Float32Array.from(w);
    expect(numpySum64(x)).toBe(Number(c.sum64));
    expect(numpySum32(x32)).toBe(Number(c.sum32));
    if (n === 0) return;
    expect(numpyMean(x)).toBe(Number(c.mean));
    expect(numpyStd(x)).toBe(Number(c.std));
    expect(numpyAverage(x, w)).toBe(Number(c.average));
    expect(einsumDot64(x, 0, w, 0, n)).toBe(Number(c.dot64));
    expect(einsumDot32(x32, 0, w32, 0, n)).toBe(Number(c.dot32));
  });

  test('a sum of -0.0 is +0.0 (the reduction starts at the identity)', () => {
    for (const [n, want] of Object.entries(golden.neg_zero_sums)) {
      expect(want).toBe('0.0');
      expect(Object.is(numpySum64(new Float64Array(Number(n)).fill(-0)), 0)).toBe(true);
      expect(Object.is(numpySum32(new Float32Array(Number(n)).fill(-0)), 0)).toBe(true);
    }
  });

  test('sub-ranges sum like the slice', () => {
    const { x } = values(300);
    expect(numpySum64(x, 17, 200)).toBe(numpySum64(x.slice(17, 217)));
    expect(numpySum32(Float32Array.from(x), 5, 150)).toBe(numpySum32(Float32Array.from(x).slice(5, 155)));
    expect(numpyMean([])).toBeNaN();
  });
});

describe('pythonSum', () => {
  test('naive adds left to right; neumaier compensates like CPython 3.12', () => {
    expect(pythonSum([0.1, 0.2, 0.3])).toBe(0.6000000000000001);
    expect(pythonSum([0.1, 0.2, 0.3], 'neumaier')).toBe(0.6);
    expect(pythonSum([1e100, 1.0, -1e100, 1.0])).toBe(1.0);
    expect(pythonSum([1e100, 1.0, -1e100, 1.0], 'neumaier')).toBe(2.0);
    expect(pythonSum([])).toBe(0);
  });
});
