/**
 * numpy's float64 `add.reduce` (what `np.sum`, `np.mean`, `np.average` use): pairwise summation with an
 * 8-way unrolled base case. mteb averages its 10 experiments with `np.mean` and sklearn averages per-label
 * scores the same way; summing in this order keeps our last bits equal to Python's.
 */
const PW_BLOCKSIZE = 128;
const BUFFER = 8192;

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = a[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    }
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2);
}

/** `np.sum` of a 1-D float64 array (0 + blocks of 8192, each summed pairwise). */
export function npSum(a: ArrayLike<number>): number {
  let res = 0;
  for (let start = 0; start < a.length; start += BUFFER) {
    res += pairwise(a, start, Math.min(BUFFER, a.length - start));
  }
  return res;
}

/** `np.mean` of a 1-D float64 array (NaN for an empty one, as numpy returns with a warning). */
export function npMean(a: ArrayLike<number>): number {
  return a.length === 0 ? NaN : npSum(a) / a.length;
}

/** `np.average(a, weights=w)`: sum(a*w) / sum(w). */
export function npAverage(a: ArrayLike<number>, w: ArrayLike<number>): number {
  const prod = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) prod[i] = a[i] * w[i];
  return npSum(prod) / npSum(w);
}
