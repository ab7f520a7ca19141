import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { adjustedMutualInfoScore, expectedMutualInformation } from '../../../src/metrics/clustering/ami.js';
import { countsOf, mutualInfo, uniqueInverse, type Label } from '../../../src/metrics/clustering/v-measure.js';
import { RandomState } from '../../../src/rng/numpy-random-state.js';

interface Scores {
  ami: number;
  mi: number;
  emi: number;
}
interface SmallCase extends Scores {
  labels_true: Label[];
  labels_pred: Label[];
}
interface GeneratedCase extends Scores {
  name: string;
  seed: number;
  n: number;
  k_true: number;
  k_pred: number;
  noise: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/clustering/ami.json', import.meta.url), 'utf8'),
) as { small: Record<string, SmallCase>; generated: GeneratedCase[] };

/** `generated()` of make_ami.py. */
function generated(c: GeneratedCase): { t: number[]; p: number[] } {
  const rs = new RandomState(c.seed);
  const t: number[] = [];
  for (let i = 0; i < c.n; i++) t.push(rs.randint(0, c.k_true));
  const u = rs.randomSample(c.n) as Float64Array;
  const r: number[] = [];
  for (let i = 0; i < c.n; i++) r.push(rs.randint(0, c.k_pred));
  return { t, p: t.map((x, i) => (u[i] < c.noise ? r[i] : x % c.k_pred)) };
}

function parts(t: readonly Label[], p: readonly Label[]): { mi: number; emi: number } {
  const c = uniqueInverse(t);
  const k = uniqueInverse(p);
  return {
    mi: mutualInfo(c.inverse, c.nUnique, k.inverse, k.nUnique),
    emi: expectedMutualInformation(countsOf(c.inverse, c.nUnique), countsOf(k.inverse, k.nUnique), t.length),
  };
}

/** Relative error, absolute near zero. */
function close(got: number, want: number, tol: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want)));
}

describe('adjustedMutualInfoScore matches sklearn 1.2.1', () => {
  test.each(Object.entries(golden.small))('%s', (_name, c) => {
    const got = parts(c.labels_true, c.labels_pred);
    expect(got.mi).toBe(c.mi);
    close(got.emi, c.emi, 1e-14);
    close(adjustedMutualInfoScore(c.labels_true, c.labels_pred), c.ami, 1e-13);
  });

  test.each(golden.generated.map((c): [string, GeneratedCase] => [c.name, c]))('%s', (_name, c) => {
    const { t, p } = generated(c);
    const got = parts(t, p);
    close(got.mi, c.mi, 1e-15);
    close(got.emi, c.emi, 1e-12);
    close(adjustedMutualInfoScore(t, p), c.ami, 1e-11);
  });

  test('edge conventions', () => {
    expect(adjustedMutualInfoScore([], [])).toBe(1);
    expect(adjustedMutualInfoScore([4, 4, 4], ['x', 'x', 'x'])).toBe(1);
    expect(adjustedMutualInfoScore([1, 2, 3], [0, 0, 0])).toBe(0);
    expect(adjustedMutualInfoScore([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(() => adjustedMutualInfoScore([0, 1], [0])).toThrow(RangeError);
  });
});
