/** Seeded float32 rows for the k-means kernel tests (also read by kmeans-blas-child.ts, outside jest). */
import { mulberry32 } from '../../../src/util/mulberry32.js';

/** Embedding-like rows around k centres (the bench's recipe). */
export function embeddings(n: number, d: number, k: number, seed: number): { rows: number; dim: number; data: Float32Array } {
  const rnd = mulberry32(seed);
  const centres = Array.from({ length: k }, () => Float32Array.from({ length: d }, () => rnd() - 0.5));
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(rnd() * k);
    for (let j = 0; j < d; j++) data[i * d + j] = centres[c][j] * 0.4 + (rnd() - 0.5);
  }
  return { rows: n, dim: d, data };
}

/** Rows on a coarse integer grid: many exact duplicates and exactly tied distances. */
export function grid(n: number, d: number, seed: number): { rows: number; dim: number; data: Float32Array } {
  const rnd = mulberry32(seed);
  return { rows: n, dim: d, data: Float32Array.from({ length: n * d }, () => Math.floor(rnd() * 3)) };
}
