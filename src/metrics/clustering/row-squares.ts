/**
 * Each float32 row's squared length in float64 (four lanes), in one pass over the input: k-means' float32 path
 * takes its input check from it (a row's sum of squares is finite exactly when all its values are: float32
 * squares cannot overflow a float64 sum) and its kernels' error bounds (kmeans32.ts: any float64 length within
 * 1 % does). One call per row lets V8 optimise the loop from the first rows.
 */
export function rowSquares(x: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = squares(x, i * d, d);
  return out;
}

function squares(x: Float32Array, o: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let f = 0;
  for (; f + 3 < d; f += 4) {
    const v0 = x[o + f];
    const v1 = x[o + f + 1];
    const v2 = x[o + f + 2];
    const v3 = x[o + f + 3];
    s0 += v0 * v0;
    s1 += v1 * v1;
    s2 += v2 * v2;
    s3 += v3 * v3;
  }
  for (; f < d; f++) s0 += x[o + f] * x[o + f];
  return s0 + s1 + (s2 + s3);
}
