/**
 * numpy 1.24's float64 summation orders, so that sklearn-derived scores come out bit-identical and ties
 * between mathematically equal scores (e.g. two pairs at cosine 0.5) stay ties exactly as in sklearn —
 * a one-ulp difference there flips a tie into an order and moves AP by whole steps.
 */

/** `np.einsum('ij,ij->i')` inner kernel (baseline SSE2: 2 lanes, blocks of 8 consumed as a3,a2,a1,a0, mul then add). */
export function einsumDot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
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

/** `np.add.reduce` over a contiguous float64 run: pairwise summation with 8 accumulators, blocks of 128. */
export function numpySum(a: ArrayLike<number>, offset = 0, n = a.length - offset): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0; i < n; i++) r += a[offset + i];
    return r;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = a[offset + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[offset + i + j];
    let res = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) res += a[offset + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return numpySum(a, offset, n2) + numpySum(a, offset + n2, n - n2);
}

const f32 = Math.fround;

/**
 * The same einsum kernel for float32 input (4 lanes, blocks of 16 consumed back to front, lanes combined
 * as (l0+l1)+(l2+l3)), every operation rounded to float32 as numpy does.
 */
export function einsumDotF32(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
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

/** np.add.reduce over contiguous float32: the pairwise scheme of numpySum in float32 arithmetic. */
export function numpySumF32(a: ArrayLike<number>, offset = 0, n = a.length - offset): number {
  if (n < 8) {
    let r = 0;
    for (let i = 0; i < n; i++) r = f32(r + a[offset + i]);
    return r;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = f32(a[offset + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = f32(r[j] + a[offset + i + j]);
    let res = f32(f32(f32(r[0] + r[1]) + f32(r[2] + r[3])) + f32(f32(r[4] + r[5]) + f32(r[6] + r[7])));
    for (; i < n; i++) res = f32(res + a[offset + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f32(numpySumF32(a, offset, n2) + numpySumF32(a, offset + n2, n - n2));
}
