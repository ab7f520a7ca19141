/**
 * Floating-point sums in the exact order and arithmetic of the Python/numpy code mteb runs, so that means
 * are bit-identical before `round(x, 5)` (a 1-ulp difference can flip a rounding tie).
 */
import type { PythonSum } from './types.js';

/** Python `sum(values)` of floats: left to right (CPython ≤ 3.11) or Neumaier-compensated (3.12+). */
export function pythonSum(values: ArrayLike<number>, mode: PythonSum = 'naive'): number {
  const n = values.length;
  if (mode === 'naive') {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[i];
    return s;
  }
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const t = hi + x;
    if (Math.abs(hi) >= Math.abs(x)) lo += hi - t + x;
    else lo += x - t + hi;
    hi = t;
  }
  if (lo !== 0 && Number.isFinite(lo)) hi += lo;
  return hi;
}

/** numpy's pairwise summation (`DOUBLE_pairwise_sum`, blocks of 128, 8-way unrolled) over a[from, from+n). */
function pairwise(a: ArrayLike<number>, from: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[from + i];
    return res;
  }
  if (n <= 128) {
    let r0 = a[from], r1 = a[from + 1], r2 = a[from + 2], r3 = a[from + 3];
    let r4 = a[from + 4], r5 = a[from + 5], r6 = a[from + 6], r7 = a[from + 7];
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      const p = from + i;
      r0 += a[p]; r1 += a[p + 1]; r2 += a[p + 2]; r3 += a[p + 3];
      r4 += a[p + 4]; r5 += a[p + 5]; r6 += a[p + 6]; r7 += a[p + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[from + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, from, n2) + pairwise(a, from + n2, n - n2);
}

/** `np.add.reduce` of a contiguous float64 vector: the identity 0.0 plus the pairwise sum. */
export function numpySum(a: ArrayLike<number>): number {
  return 0 + pairwise(a, 0, a.length);
}

export function numpyMean(a: ArrayLike<number>): number {
  return numpySum(a) / a.length;
}

/** `np.std(a)` (ddof 0): mean, squared deviations, pairwise sums. */
export function numpyStd(a: ArrayLike<number>): number {
  const n = a.length;
  const mean = numpySum(a) / n;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a[i] - mean;
    d[i] = x * x;
  }
  return Math.sqrt(numpySum(d) / n);
}
