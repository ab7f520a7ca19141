import { readFileSync } from 'node:fs';
import { fromRows, type Matrix } from '../../../src/core/matrix.js';

// Produced by sklearn 1.2.1 / scipy 1.10.1: fixtures/golden/classification/make_goldens.py
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const G: any = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/classification/goldens.json', import.meta.url), 'utf8'),
);

/** JSON rows -> float32 Matrix (same decimal->double->float32 conversion as the golden script). */
export function mat(rows: number[][]): Matrix {
  return fromRows(rows.map((r) => Float32Array.from(r)));
}
