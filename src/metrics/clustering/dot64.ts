/**
 * The k-means code's fixed-order float64 dot product (dense64.wat's $dot4x2 computes the same bits).
 * Float64 dot product of a[ao..ao+n) and b[bo..bo+n) with four independent accumulators (for speed).
 */
export function dot64(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 3 < n; f += 4) {
    s0 += a[ao + f] * b[bo + f];
    s1 += a[ao + f + 1] * b[bo + f + 1];
    s2 += a[ao + f + 2] * b[bo + f + 2];
    s3 += a[ao + f + 3] * b[bo + f + 3];
  }
  for (; f < n; f++) s0 += a[ao + f] * b[bo + f];
  return s0 + s1 + (s2 + s3);
}
