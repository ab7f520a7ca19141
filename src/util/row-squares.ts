/**
 * The float64 sum of squares of `data[o .. o + dim)`, in four lanes (s0 += x0², s1 += x1², …, then
 * s0 + s1 + (s2 + s3)): the one row length that search's dot-product bound, bitext's norms and k-means' input
 * check and bound lengths share. A bound's input, not a canonical value (the lanes are for speed).
 */
export function rowSquares(data: Float32Array, o: number, dim: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = 0;
  for (; i + 4 <= dim; i += 4) {
    const x0 = data[o + i];
    const x1 = data[o + i + 1];
    const x2 = data[o + i + 2];
    const x3 = data[o + i + 3];
    a += x0 * x0;
    b += x1 * x1;
    c += x2 * x2;
    d += x3 * x3;
  }
  for (; i < dim; i++) a += data[o + i] * data[o + i];
  return a + b + (c + d);
}
