// Seeded labelled rows shared by the evaluator benches (run.ts, lr-phases.ts, logreg-dgemm-spike.ts,
// profile-kmeans.ts): `rows` float32 rows of `dim` values around `classes` class centres, so the problems are
// learnable as embeddings are. The same seed gives the same rows in every bench (their results compare).
import { mulberry32 } from '../../src/util/mulberry32.js';

export function labelled(rows: number, dim: number, classes: number, seed: number): { data: Float32Array; y: number[] } {
  const rnd = mulberry32(seed);
  const centres = Array.from({ length: classes }, () => Float32Array.from({ length: dim }, () => rnd() - 0.5));
  const data = new Float32Array(rows * dim);
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rnd() * classes);
    y.push(c);
    for (let j = 0; j < dim; j++) data[i * dim + j] = centres[c][j] * 0.4 + (rnd() - 0.5);
  }
  return { data, y };
}
