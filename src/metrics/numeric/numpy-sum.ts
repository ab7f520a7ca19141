/**
 * numpy 1.24's float64 and float32 reduction orders. sklearn/scipy/mteb scores pass through `np.sum`,
 * `np.mean`, `np.std`, `np.average` and `np.einsum`; adding in numpy's order keeps our last bits equal to
 * Python's, so ties between mathematically equal values (two pairs at cosine 0.5, a rounding tie before
 * `round(x, 5)`) stay ties exactly as in Python — a naive loop drifts by a few ulps and flips them.
 *
 * `np.add.reduce` over a contiguous vector: the ufunc buffer hands the data over in blocks of 8192; each block
 * is summed pairwise (8 interleaved accumulators up to 128 elements, halving above, `@TYPE@_pairwise_sum`)
 * and added to a running total that starts at the identity 0 (so a sum of -0.0 is +0.0). float32 input is
 * accumulated in float32, every partial result rounded, as numpy's FLOAT loop does.
 */
const BUFSIZE = 8192;
const PW_BLOCKSIZE = 128;

type Round = (x: number) => number;
const identity: Round = (x) => x;
const f32 = Math.fround;

function pairwise(a: ArrayLike<number>, start: number, n: number, r: Round): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = r(res + r(a[start + i]));
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = r(a[start]), r1 = r(a[start + 1]), r2 = r(a[start + 2]), r3 = r(a[start + 3]);
    let r4 = r(a[start + 4]), r5 = r(a[start + 5]), r6 = r(a[start + 6]), r7 = r(a[start + 7]);
    const end8 = n - (n % 8);
    let i = 8;
    for (; i < end8; i += 8) {
      const p = start + i;
      r0 = r(r0 + r(a[p]));
      r1 = r(r1 + r(a[p + 1]));
      r2 = r(r2 + r(a[p + 2]));
      r3 = r(r3 + r(a[p + 3]));
      r4 = r(r4 + r(a[p + 4]));
      r5 = r(r5 + r(a[p + 5]));
      r6 = r(r6 + r(a[p + 6]));
      r7 = r(r7 + r(a[p + 7]));
    }
    let res = r(r(r(r0 + r1) + r(r2 + r3)) + r(r(r4 + r5) + r(r6 + r7)));
    for (; i < n; i++) res = r(res + r(a[start + i]));
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

/** `np.sum` of a float64 vector, or of `a[start:start+n]`. */
export function numpySum64(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return reduce(a, start, n, identity);
}

/** `np.sum` of a float32 vector (or of `a[start:start+n]`); values are taken as float32, as numpy stores them. */
export function numpySum32(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return reduce(a, start, n, f32);
}

/** `np.mean` of float64 values (NaN for none, as numpy returns with a warning). */
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

/** `np.average(a, weights=w)`: sum(a*w) / sum(w). */
export function numpyAverage(a: ArrayLike<number>, w: ArrayLike<number>): number {
  const prod = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) prod[i] = a[i] * w[i];
  return numpySum64(prod) / numpySum64(w);
}

/**
 * `np.einsum('ij,ij->i')` for one row, a[ao..ao+n) · b[bo..bo+n): the iterator's buffer hands the kernel
 * blocks of 8192, each block's result is added to the output (`accum + out`).
 */
export function einsumDot64(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  if (n <= BUFSIZE) return dotKernel64(a, ao, b, bo, n);
  let out = 0;
  for (let s = 0; s < n; s += BUFSIZE) out = dotKernel64(a, ao + s, b, bo + s, Math.min(BUFSIZE, n - s)) + out;
  return out;
}

/** As `einsumDot64` for float32 input, in float32 arithmetic. */
export function einsumDot32(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  if (n <= BUFSIZE) return dotKernel32(a, ao, b, bo, n);
  let out = 0;
  for (let s = 0; s < n; s += BUFSIZE) out = f32(dotKernel32(a, ao + s, b, bo + s, Math.min(BUFSIZE, n - s)) + out);
  return out;
}

/** einsum's float64 sum-of-products kernel (baseline SSE2: 2 lanes, blocks of 8 consumed as a3,a2,a1,a0). */
function dotKernel64(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let acc0 = 0;
  let acc1 = 0;
  let i = 0;
  for (; n - i >= 8; i += 8) {
    for (let blk = 3; blk >= 0; blk--) {
      const k = i + 2 * blk;
      acc0 = a[ao + k] * b[bo + k] + acc0;
      acc1 = a[ao + k + 1] * b[bo + k + 1] + acc1;
    }
  }
  for (; i < n; i += 2) {
    acc0 = a[ao + i] * b[bo + i] + acc0;
    if (i + 1 < n) acc1 = a[ao + i + 1] * b[bo + i + 1] + acc1;
  }
  return acc0 + acc1;
}

/**
 * The float32 kernel (4 lanes, blocks of 16 consumed back to front, lanes combined as (l0+l1)+(l2+l3)),
 * every operation rounded to float32 as numpy does.
 */
function dotKernel32(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  const acc = [0, 0, 0, 0];
  let i = 0;
  for (; n - i >= 16; i += 16) {
    for (let blk = 3; blk >= 0; blk--) {
      for (let j = 0; j < 4; j++) {
        const k = i + 4 * blk + j;
        acc[j] = f32(f32(a[ao + k] * b[bo + k]) + acc[j]);
      }
    }
  }
  for (; i < n; i += 4) {
    for (let j = 0; j < 4 && i + j < n; j++) acc[j] = f32(f32(a[ao + i + j] * b[bo + i + j]) + acc[j]);
  }
  return f32(f32(acc[0] + acc[1]) + f32(acc[2] + acc[3]));
}
