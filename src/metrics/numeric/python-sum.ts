/**
 * CPython's `sum()` of floats, which mteb uses for per-query means before `round(x, 5)`: a 1-ulp difference
 * there can flip a rounding tie, so the order and arithmetic must be CPython's own.
 */

/**
 * How Python adds up floats: CPython < 3.12 left to right ('naive'); 3.12+ with Neumaier compensation.
 * mteb 1.12.0 uses `+=` (always naive).
 */
export type PythonSumMode = 'naive' | 'neumaier';

/** Python `sum(values)` of floats. */
export function pythonSum(values: ArrayLike<number>, mode: PythonSumMode = 'naive'): number {
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
