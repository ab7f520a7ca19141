import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { numpyArgsort } from '../../../src/metrics/numeric/numpy-argsort.js';

interface Case {
  name: string;
  dtype: 'float32' | 'float64';
  values: (number | null)[];
  quicksort: number[];
  heapsort: number[];
}
// numpy 1.24.2's np.argsort (fixtures/golden/numeric/make_argsort.py).
const golden = JSON.parse(readFileSync(path.join('fixtures', 'golden', 'numeric', 'argsort.json'), 'utf8')) as { numpy: string; cases: Case[] };
const valuesOf = (c: Case) => {
  const a = c.values.map((x) => (x === null ? NaN : x));
  return c.dtype === 'float32' ? Float32Array.from(a) : Float64Array.from(a);
};

describe("numpyArgsort = numpy's np.argsort, ties included", () => {
  test('golden cases cover 2..2,000 elements, ties, NaN and the adversarial inputs', () => {
    expect(golden.numpy).toBe('1.24.2');
    expect(golden.cases.length).toBe(254);
    expect(Math.max(...golden.cases.map((c) => c.values.length))).toBe(2000);
    expect(golden.cases.filter((c) => c.name.startsWith('killer')).length).toBe(8);
  });

  test.each(['quicksort', 'heapsort'] as const)('kind=%s: the same permutation as numpy on every case', (kind) => {
    const wrong = golden.cases.filter((c) => {
      const got = numpyArgsort(valuesOf(c), kind);
      return got.length !== c[kind].length || c[kind].some((v, i) => v !== got[i]);
    });
    expect(wrong.map((c) => c.name)).toEqual([]);
  });

  test('ties: not the stable order (which is what sklearn does not do)', () => {
    const c = golden.cases.find((x) => x.name === 'ties n=100 m=3')!;
    const stable = Array.from({ length: c.values.length }, (_, i) => i).sort((a, b) => c.values[a]! - c.values[b]! || a - b);
    expect(c.quicksort).not.toEqual(stable);
    expect(Array.from(numpyArgsort(valuesOf(c)))).toEqual(c.quicksort);
  });

  test('tiny inputs', () => {
    expect(Array.from(numpyArgsort([]))).toEqual([]);
    expect(Array.from(numpyArgsort([3]))).toEqual([0]);
    expect(Array.from(numpyArgsort([NaN, 1, -Infinity]))).toEqual([2, 1, 0]);
  });
});
