import { rowSquares as rowSquares32 } from '../../util/row-squares.js';

/**
 * Each float32 row's squared length in float64 (four lanes), in one pass over the input: k-means' float32 path
 * takes its input check from it (a row's sum of squares is finite exactly when all its values are: float32
 * squares cannot overflow a float64 sum) and its kernels' error bounds (kmeans32.ts: any float64 length within
 * 1 % does). One call per row lets V8 optimise the loop from the first rows.
 */
export function rowSquares(x: Float32Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rowSquares32(x, i * d, d);
  return out;
}
