import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pairedBootstrap, pairedRandomizationTest, percentile } from '../../src/compare/paired-tests.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  mean_diff: number;
  randomization_exact_p?: number;
  randomization_mc: Array<{ seed: number; iterations: number; p: number }>;
  bootstrap: Array<{ seed: number; iterations: number; ci: [number, number]; p: number }>;
}
const golden = JSON.parse(readFileSync(path.resolve('fixtures/golden/stats/paired.json'), 'utf8')) as { cases: Case[] };

describe('paired tests match numpy/scipy (fixtures/golden/stats/make_paired.py)', () => {
  for (const c of golden.cases) {
    const exactP = c.randomization_exact_p;
    if (exactP !== undefined) test(`${c.name}: exact randomization p equals scipy.stats.permutation_test`, () => {
      const r = pairedRandomizationTest(c.a, c.b, { iterations: 10000 });
      expect(r.exact).toBe(true);
      expect(r.pValue).toBeCloseTo(exactP, 12);
      expect(r.meanDiff).toBeCloseTo(c.mean_diff, 14);
    });
    for (const g of c.randomization_mc) {
      test(`${c.name}: Monte Carlo randomization seed ${g.seed} x${g.iterations}`, () => {
        // 2^n > iterations forces Monte Carlo even for the small cases.
        const r = pairedRandomizationTest(c.a, c.b, { iterations: g.iterations, seed: g.seed });
        if (2 ** c.a.length > g.iterations) expect(r.exact).toBe(false);
        if (!r.exact) expect(r.pValue).toBe(g.p);
      });
    }
    for (const g of c.bootstrap) {
      test(`${c.name}: bootstrap seed ${g.seed} x${g.iterations}`, () => {
        const r = pairedBootstrap(c.a, c.b, { iterations: g.iterations, seed: g.seed });
        expect(r.ci[0]).toBeCloseTo(g.ci[0], 12);
        expect(r.ci[1]).toBeCloseTo(g.ci[1], 12);
        expect(r.pValue).toBe(g.p);
      });
    }
  }
});

describe('paired tests: behaviour', () => {
  test('seeded results are reproducible and the seed matters', () => {
    const c = golden.cases[2];
    const r1 = pairedBootstrap(c.a, c.b, { iterations: 500, seed: 3 });
    const r2 = pairedBootstrap(c.a, c.b, { iterations: 500, seed: 3 });
    const r3 = pairedBootstrap(c.a, c.b, { iterations: 500, seed: 4 });
    expect(r2).toEqual(r1);
    expect(r3.ci).not.toEqual(r1.ci);
  });
  test('identical runs: p = 1 and a zero-width interval', () => {
    const a = [0.1, 0.5, 0.9, 0.3];
    expect(pairedRandomizationTest(a, a).pValue).toBe(1);
    expect(pairedBootstrap(a, a, { iterations: 100 }).ci).toEqual([0, 0]);
  });
  test('unequal lengths and NaN are refused', () => {
    expect(() => pairedRandomizationTest([1, 2], [1])).toThrow(/equal lengths/);
    expect(() => pairedBootstrap([1, NaN], [1, 2])).toThrow(/non-finite/);
  });
  test('numpy percentile (linear) on a known vector', () => {
    expect(percentile([1, 2, 3, 4], 25)).toBeCloseTo(1.75, 15);
    expect(percentile([1, 2, 3, 4], 97.5)).toBeCloseTo(3.925, 15);
  });
});
