import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '../../../src/core/matrix.js';

export function loadGolden<T>(area: string, file = 'goldens.json'): T {
  return JSON.parse(readFileSync(join(process.cwd(), 'fixtures', 'golden', area, file), 'utf8')) as T;
}

export function mat(flat: number[], dim: number): Matrix {
  return { rows: dim === 0 ? 0 : flat.length / dim, dim, data: Float32Array.from(flat) };
}

/** |a − b| ≤ tol·max(1, |b|), with NaN matching NaN (JSON carries NaN as null). */
export function close(a: number, b: number | null, tol = 1e-9): boolean {
  if (b === null || Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

export function mismatches(actual: Record<string, number>, expected: Record<string, number | null>, tol = 1e-9): string[] {
  const out: string[] = [];
  const keysA = Object.keys(actual);
  const keysE = Object.keys(expected);
  if (keysA.join(',') !== keysE.join(',')) out.push(`keys ${keysA.join(',')} != ${keysE.join(',')}`);
  for (const k of keysE) if (!close(actual[k], expected[k], tol)) out.push(`${k}: ${actual[k]} != ${expected[k]}`);
  return out;
}
