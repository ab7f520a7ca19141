/**
 * Tie-heavy bitext inputs for exactTop1's tests: small-integer vectors (different rows often have exactly equal
 * or nearly equal cosine / dot scores), rows 50..99 repeating rows 0..49 and rows 100..119 holding four more
 * copies each of rows 0..4 (ties among up to six rows), queries that are corpus rows, corpus rows with one
 * component moved, or random.
 */
import { mulberry32 } from '../../../src/util/mulberry32.js';

export function tieHeavy(m: number, n: number, dim: number, seed: number) {
  const rnd = mulberry32(seed);
  const int = () => Math.floor(rnd() * 5) - 2;
  const b = new Float32Array(n * dim);
  for (let j = 0; j < n; j++) {
    const src = j >= 50 && j < 100 ? j - 50 : j >= 100 && j < 120 ? (j - 100) % 5 : -1;
    for (let d = 0; d < dim; d++) b[j * dim + d] = src >= 0 && src < j ? b[src * dim + d] : int();
  }
  const a = new Float32Array(m * dim);
  for (let i = 0; i < m; i++) {
    const kind = i % 3;
    const r = Math.floor(rnd() * n);
    for (let d = 0; d < dim; d++) a[i * dim + d] = kind === 2 ? int() : b[r * dim + d];
    if (kind === 1) a[i * dim + Math.floor(rnd() * dim)] += rnd() < 0.5 ? 1 : -1;
  }
  return { a: { rows: m, dim, data: a }, b: { rows: n, dim, data: b } };
}
