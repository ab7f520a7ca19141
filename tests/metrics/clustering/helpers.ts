import { readFileSync } from 'node:fs';
import { RandomState } from '../../../src/rng/numpy-random-state.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const goldens: any = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/clustering/goldens.json', import.meta.url), 'utf8'),
);

/** The `blobs()` recipe of make_goldens.py: same draws, same float64 arithmetic, then the dtype cast. */
export function blobs(
  seed: number,
  n: number,
  k: number,
  d: number,
  spread: number,
  dup: boolean,
  dtype: 'float32' | 'float64' = 'float32',
): { rows: number; dim: number; data: Float32Array | Float64Array; y: number[] } {
  const rs = new RandomState(seed);
  const centers = rs.randomSample(k * d);
  for (let i = 0; i < centers.length; i++) centers[i] = centers[i] * 10.0;
  const y: number[] = [];
  for (let i = 0; i < n; i++) y.push(rs.randint(0, k));
  const u = rs.randomSample(n * d);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) x[i * d + f] = centers[y[i] * d + f] + (u[i * d + f] - 0.5) * spread;
  }
  if (dup) {
    const h = Math.floor(n / 2);
    for (let i = h; i < n; i++) {
      x.copyWithin(i * d, (i - h) * d, (i - h + 1) * d);
      y[i] = y[i - h];
    }
  }
  return { rows: n, dim: d, data: dtype === 'float32' ? Float32Array.from(x) : x, y };
}
