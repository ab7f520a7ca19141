import { describe, test, expect } from '@jest/globals';
import {
  betaIncReg,
  pearsonPValue,
  pearsonr,
  rankdataAverage,
  spearmanr,
  studentTSf,
  weightedPrecisionRecallF1,
  nAUC,
  confidenceScores,
} from '../../../src/metrics/stats/index.js';
import { stdSort } from '../../../src/metrics/stats/libstdcxx-sort.js';
import { einsumDot64 as einsumDot, numpySum64 as numpySum } from '../../../src/metrics/numeric/numpy-sum.js';
import { loadGolden } from '../pair-classification/golden-helpers.js';

type N = number | null;
interface Stats {
  ranks: { x: number[]; ranks: number[] }[];
  corr: { name: string; x: number[]; y: number[]; pearson: [N, N]; spearman: [N, N] }[];
  tsf: { df: number; t: number; sf: number }[];
  betaSf: { n: number; r: number; p: number }[];
  betainc: { a: number; b: number; x: number; I: number }[];
}
const g = loadGolden<Stats>('summarization', 'stats.json');

/** Relative closeness; values below `floor` are compared absolutely at `floor`·tol. */
function relClose(a: number, b: N, tol: number, floor = 1e-300): boolean {
  if (b === null) return Number.isNaN(a);
  if (b === 0) return a === 0 || Math.abs(a) < floor;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), floor);
}

describe('rankdataAverage vs scipy.stats.rankdata', () => {
  test.each(g.ranks.map((r) => [r.x.join(','), r] as const))('%s', (_n, r) => {
    expect(Array.from(rankdataAverage(r.x))).toEqual(r.ranks);
  });
});

describe('pearsonr / spearmanr vs scipy 1.10', () => {
  test.each(g.corr.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const p = pearsonr(c.x, c.y);
    const s = spearmanr(c.x, c.y);
    expect(relClose(p.statistic, c.pearson[0], 1e-12)).toBe(true);
    expect(relClose(s.statistic, c.spearman[0], 1e-12)).toBe(true);
    // p-values: 1e-12 relative (tails as small as 1e-200 included)
    expect(relClose(p.pvalue, c.pearson[1], 1e-11)).toBe(true);
    expect(relClose(s.pvalue, c.spearman[1], 1e-11)).toBe(true);
  });
});

describe('studentTSf vs scipy.special.stdtr (cdflib)', () => {
  test('grid of df x t', () => {
    const bad = g.tsf.filter((c) => !relClose(studentTSf(c.t, c.df), c.sf, 1e-12));
    expect(bad.map((c) => `${c.df},${c.t}: ${studentTSf(c.t, c.df)} vs ${c.sf}`)).toEqual([]);
  });
  test('symmetry and limits', () => {
    expect(studentTSf(0, 14)).toBe(0.5);
    expect(studentTSf(Infinity, 14)).toBe(0);
    expect(studentTSf(-Infinity, 14)).toBe(1);
    expect(studentTSf(-2, 5) + studentTSf(2, 5)).toBeCloseTo(1, 15);
  });
});

describe('pearsonPValue vs scipy.stats.beta(n/2-1, n/2-1, loc=-1, scale=2).sf (Boost)', () => {
  test('grid of n x r', () => {
    const bad = g.betaSf.filter((c) => !relClose(pearsonPValue(c.r, c.n), c.p, 1e-12));
    expect(bad.map((c) => `${c.n},${c.r}: ${pearsonPValue(c.r, c.n)} vs ${c.p}`)).toEqual([]);
  });
  test('n = 2 is 1 and |r| = 1 is 0, as scipy returns', () => {
    expect(pearsonPValue(0.3, 2)).toBe(1);
    expect(pearsonPValue(1, 16)).toBe(0);
    expect(pearsonPValue(-1, 16)).toBe(0);
  });
});

describe('betaIncReg vs scipy.special.betainc', () => {
  test('grid of a, b, x', () => {
    const bad = g.betainc.filter((c) => !relClose(betaIncReg(c.a, c.b, c.x), c.I, 5e-13));
    expect(bad.map((c) => `${c.a},${c.b},${c.x}: ${betaIncReg(c.a, c.b, c.x)} vs ${c.I}`)).toEqual([]);
  });
});

describe('numpy summation orders', () => {
  test('numpySum is pairwise beyond 8 items (differs from a naive loop on crafted input)', () => {
    const a = [1e16, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1e16];
    let naive = 0;
    for (const v of a) naive += v;
    expect(naive).toBe(0);
    // accumulators r0..r7 take a[0..7]; a[8], a[9], a[10] are added to the result one by one
    expect(numpySum(a)).toBe(((1e16 + 1 + (1 + 1)) + (1 + 1 + (1 + 1)) + 1 + 1) - 1e16);
  });
  test('einsumDot of length 3 sums (x0·y0 + x2·y2) + x1·y1', () => {
    const x = [0.1, 0.7, 0.3];
    expect(einsumDot(x, 0, x, 0, 3)).toBe(0.1 * 0.1 + 0.3 * 0.3 + 0.7 * 0.7);
  });
});

describe('weightedPrecisionRecallF1 (sklearn average=weighted, zero_division=0)', () => {
  test('hand-computed multi-class case', () => {
    // y_true 0 0 1 2, y_pred 0 1 1 0: label 0 P=1/2 R=1/2, label 1 P=1/2 R=1, label 2 P=0 R=0
    const r = weightedPrecisionRecallF1([0, 0, 1, 2], [0, 1, 1, 0]);
    expect(r.precision).toBeCloseTo((0.5 * 2 + 0.5 * 1 + 0) / 4, 15);
    expect(r.recall).toBeCloseTo((0.5 * 2 + 1 + 0) / 4, 15);
    expect(r.f1).toBeCloseTo((0.5 * 2 + (2 / 3) * 1) / 4, 15);
    expect(r.accuracy).toBe(0.5);
  });
});

describe('nAUC', () => {
  test('perfect confidence gives 1, a flat oracle gives NaN', () => {
    const metrics = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
    expect(nAUC(metrics, metrics)).toBeCloseTo(1, 12);
    expect(nAUC(metrics, metrics.map(() => 0.5))).toBeNaN();
  });
  test('confidenceScores: max, population std, margin', () => {
    const c = confidenceScores([0.2, 0.9, 0.5]);
    expect(c.max).toBe(0.9);
    expect(c.diff1).toBeCloseTo(0.4, 15);
    expect(c.std).toBeCloseTo(Math.sqrt(((0.2 - 1.6 / 3) ** 2 + (0.9 - 1.6 / 3) ** 2 + (0.5 - 1.6 / 3) ** 2) / 3), 15);
  });
});

describe('libstdc++ std::sort port', () => {
  test('sorts like std::sort for any comparator (sizes around the 16-element threshold)', () => {
    for (const n of [0, 1, 2, 15, 16, 17, 40, 300]) {
      const v = Array.from({ length: n }, (_, i) => (i * 7919) % 101);
      const asc = v.slice();
      stdSort(asc, (a, b) => a < b);
      expect(asc).toEqual(v.slice().sort((a, b) => a - b));
      const desc = v.slice();
      stdSort(desc, (a, b) => a > b);
      expect(desc).toEqual(v.slice().sort((a, b) => b - a));
    }
  });
});
