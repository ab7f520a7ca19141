/**
 * scipy 1.10 `pearsonr` / `spearmanr` (two-sided), reproduced step by step because mteb reports their
 * statistics directly and SummEval's legacy score also averages their p-values.
 */
import { betaIncReg, studentTSf } from './special.js';
import { rankdataAverage } from './rank.js';
import { numpySum64 } from '../numeric/numpy-sum.js';

export interface CorrelationResult {
  statistic: number;
  pvalue: number;
}

function isConstant(v: ArrayLike<number>): boolean {
  // scipy tests (x == x[0]).all(): NaN never equals itself, so a NaN input is not "constant".
  for (let i = 1; i < v.length; i++) if (!(v[i] === v[0])) return false;
  return v[0] === v[0];
}

// np.mean: pairwise sum / n
function mean(v: ArrayLike<number>): number {
  return numpySum64(v) / v.length;
}

// scipy.linalg.norm (BLAS nrm2) scales to avoid overflow; for embedding scores a scaled sum of squares
// gives the same value to the last bit or two.
function norm2(v: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0 || !Number.isFinite(scale)) {
    let s = 0;
    for (let i = 0; i < v.length; i++) s += v[i] * v[i];
    return Math.sqrt(s);
  }
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const q = v[i] / scale;
    s += q * q;
  }
  return scale * Math.sqrt(s);
}

function checkLengths(x: ArrayLike<number>, y: ArrayLike<number>, what: string): void {
  if (x.length !== y.length) throw new RangeError(`${what}: x and y must have the same length (${x.length} vs ${y.length})`);
  if (x.length < 2) throw new RangeError(`${what}: x and y must have length at least 2`);
}

/** Pearson's r exactly as scipy.stats.pearsonr computes its statistic (NaN for a constant input). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkLengths(x, y, 'pearson');
  if (isConstant(x) || isConstant(y)) return NaN;
  const n = x.length;
  if (n === 2) return Math.sign(x[1] - x[0]) * Math.sign(y[1] - y[0]);
  const mx = mean(x);
  const my = mean(y);
  const xm = new Float64Array(n);
  const ym = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xm[i] = x[i] - mx;
    ym[i] = y[i] - my;
  }
  const nx = norm2(xm);
  const ny = norm2(ym);
  let r = 0;
  for (let i = 0; i < n; i++) r += (xm[i] / nx) * (ym[i] / ny);
  // Python's max(min(r, 1), -1) returns NaN unchanged.
  if (Number.isNaN(r)) return NaN;
  return Math.max(Math.min(r, 1), -1);
}

/**
 * Two-sided p-value of Pearson's r for n pairs, as scipy 1.10: 2·Beta(n/2−1, n/2−1).sf on [−1, 1], i.e.
 * 2·ibetac(ab, ab, (|r|+1)/2). n = 2 gives 1 (scipy's early return).
 */
export function pearsonPValue(r: number, n: number): number {
  if (n === 2) return 1;
  if (Number.isNaN(r) || n < 2) return NaN;
  const ab = n / 2 - 1;
  const x = (Math.abs(r) + 1) / 2;
  // Outside the open support (|r| = 1) scipy's sf is exactly 0.
  if (!(x < 1)) return 0;
  const y = 1 - x; // exact (Sterbenz), which is what Boost forms internally
  return 2 * betaIncReg(ab, ab, y, x);
}

export function pearsonr(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  const statistic = pearson(x, y);
  return { statistic, pvalue: Number.isNaN(statistic) ? NaN : pearsonPValue(statistic, x.length) };
}

/** Spearman's ρ as scipy.stats.spearmanr: np.corrcoef of average ranks (NaN for constant or NaN input). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`spearman: x and y must have the same length (${x.length} vs ${y.length})`);
  if (x.length <= 1) return NaN;
  if (isConstant(x) || isConstant(y)) return NaN;
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i]) || Number.isNaN(y[i])) return NaN;
  return corrcoef(rankdataAverage(x), rankdataAverage(y));
}

// np.corrcoef for two rows: cov / sqrt(var_x) / sqrt(var_y), clipped to [-1, 1]. The 1/(n−1) factors cancel
// in value but numpy applies them, so they are applied here too to keep the same rounding.
function corrcoef(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const ma = mean(a);
  const mb = mean(b);
  let saa = 0;
  let sbb = 0;
  let sab = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    saa += da * da;
    sbb += db * db;
    sab += da * db;
  }
  const f = 1 / (n - 1);
  const c = (sab * f) / Math.sqrt(saa * f) / Math.sqrt(sbb * f);
  if (Number.isNaN(c)) return NaN;
  return Math.max(Math.min(c, 1), -1);
}

/**
 * Two-sided p-value of Spearman's ρ over n observations, as scipy 1.10:
 * t = ρ·sqrt(clip((n−2)/((ρ+1)(1−ρ)), 0)), p = 2·stdtr(n−2, −|t|). ρ = ±1 gives t = ±∞ and p = 0.
 */
export function spearmanPValue(rho: number, n: number): number {
  const dof = n - 2;
  if (Number.isNaN(rho) || !(dof > 0)) return NaN;
  let q = dof / ((rho + 1) * (1 - rho));
  if (q < 0) q = 0;
  const t = rho * Math.sqrt(q);
  return 2 * studentTSf(Math.abs(t), dof);
}

export function spearmanr(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationResult {
  const statistic = spearman(x, y);
  return { statistic, pvalue: Number.isNaN(statistic) ? NaN : spearmanPValue(statistic, x.length) };
}
