/**
 * numpy's `add.reduce` summation order (1.2x): the ufunc buffer hands the data over in blocks of 8192,
 * each block is summed pairwise (8 interleaved accumulators up to 128 elements, halving above), and the
 * block sums are added to a running total that starts at 0. Reproducing it keeps k-means++ potentials
 * and mean/std of scores bit-identical to Python; a naive loop drifts by a few ulps.
 */
const BUFSIZE = 8192;
const PW_BLOCKSIZE = 128;

type Round = (x: number) => number;
const identity: Round = (x) => x;

function pairwise(a: ArrayLike<number>, start: number, n: number, r: Round): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = r(res + a[start + i]);
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    const end8 = n - (n % 8);
    let i = 8;
    for (; i < end8; i += 8) {
      const p = start + i;
      r0 = r(r0 + a[p]);
      r1 = r(r1 + a[p + 1]);
      r2 = r(r2 + a[p + 2]);
      r3 = r(r3 + a[p + 3]);
      r4 = r(r4 + a[p + 4]);
      r5 = r(r5 + a[p + 5]);
      r6 = r(r6 + a[p + 6]);
      r7 = r(r7 + a[p + 7]);
    }
    let res = r(r(r(r0 + r1) + r(r2 + r3)) + r(r(r4 + r5) + r(r6 + r7)));
    for (; i < n; i++) res = r(res + a[start + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return r(pairwise(a, start, n2, r) + pairwise(a, start + n2, n - n2, r));
}

function reduce(a: ArrayLike<number>, start: number, n: number, r: Round): number {
  let total = 0;
  for (let s = 0; s < n; s += BUFSIZE) total = r(total + pairwise(a, start + s, Math.min(BUFSIZE, n - s), r));
  return total;
}

/** `np.sum` of a float64 array (or of `a[start:start+n]`). */
export function numpySum64(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return reduce(a, start, n, identity);
}

/** `np.sum` of a float32 array, every partial result rounded to float32 as numpy's FLOAT loop does. */
export function numpySum32(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return reduce(a, start, n, Math.fround);
}

/** `np.mean` of float64 values. */
export function numpyMean(a: ArrayLike<number>): number {
  return numpySum64(a) / a.length;
}

/** `np.std` (ddof 0) of float64 values: mean, squared deviations, pairwise sum, divide, sqrt. */
export function numpyStd(a: ArrayLike<number>): number {
  const n = a.length;
  const mean = numpySum64(a) / n;
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    sq[i] = d * d;
  }
  return Math.sqrt(numpySum64(sq) / n);
}
