/**
 * Paired significance tests between two runs scored on the same items (queries, test rows). Seeded with
 * numpy's legacy RandomState stream so every p-value and interval can be reproduced draw for draw in Python
 * (fixtures/golden/stats/make_paired.py) and is identical on every run.
 */
import { MtebError } from '../core/errors.js';
import { RandomState } from '../rng/numpy-random-state.js';

export interface RandomizationResult {
  n: number;
  /** mean(b - a). */
  meanDiff: number;
  /** Two-sided: 2 * min(P(null <= obs), P(null >= obs)), clipped to 1 (scipy.stats.permutation_test). */
  pValue: number;
  /** True: all 2^n sign patterns enumerated; false: Monte Carlo with `iterations` draws. */
  exact: boolean;
  iterations: number;
  seed: number;
}

export interface BootstrapResult {
  n: number;
  meanDiff: number;
  /** Percentile interval (numpy `percentile`, linear) of the resampled mean differences. */
  ci: [number, number];
  confidence: number;
  /** Two-sided, shifted-null: (1 + #{|m_i - obs| >= |obs|}) / (B + 1). */
  pValue: number;
  iterations: number;
  seed: number;
}

export interface PairedOptions {
  iterations?: number;
  seed?: number;
}

function diffs(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) {
    throw new MtebError('E_BAD_VALUE', `paired test needs equal lengths (${a.length} vs ${b.length})`);
  }
  if (a.length === 0) throw new MtebError('E_BAD_VALUE', 'paired test needs at least one pair');
  const d = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) {
      throw new MtebError('E_BAD_VALUE', `paired test: non-finite value at pair ${i}`);
    }
    d[i] = b[i] - a[i];
  }
  return d;
}

function mean(d: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];
  return s / d.length;
}

/**
 * Paired randomization (sign-flip) test on the mean difference. Exact over all 2^n sign patterns when that
 * is no more than `iterations` (as scipy does), otherwise Monte Carlo: each draw flips pair i when
 * `RandomState(seed).randint(0, 2, n)[i] == 0`.
 */
export function pairedRandomizationTest(a: ArrayLike<number>, b: ArrayLike<number>, opts: PairedOptions = {}): RandomizationResult {
  const iterations = opts.iterations ?? 10000;
  const seed = opts.seed ?? 42;
  const d = diffs(a, b);
  const n = d.length;
  const obs = mean(d);
  // scipy's tolerance for null statistics that equal the observed one up to rounding.
  const gamma = Math.abs(2.220446049250313e-16 * 100 * obs);
  let le = 0;
  let ge = 0;
  const count = (stat: number) => {
    if (stat <= obs + gamma) le++;
    if (stat >= obs - gamma) ge++;
  };
  const exact = n <= 30 && 2 ** n <= iterations;
  if (exact) {
    const total = 2 ** n;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += (mask >>> i) & 1 ? -d[i] : d[i];
      count(s / n);
    }
    const p = Math.min(1, 2 * Math.min(le / total, ge / total));
    return { n, meanDiff: obs, pValue: p, exact: true, iterations: total, seed };
  }
  const rs = new RandomState(seed);
  for (let it = 0; it < iterations; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += rs.randint(0, 2) === 0 ? -d[i] : d[i];
    count(s / n);
  }
  const p = Math.min(1, 2 * Math.min((le + 1) / (iterations + 1), (ge + 1) / (iterations + 1)));
  return { n, meanDiff: obs, pValue: p, exact: false, iterations, seed };
}

/** numpy's `_lerp`, which switches formula at t >= 0.5 for accuracy. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `numpy.percentile(x, q)` with the default linear method; `sorted` ascending. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * (q / 100);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return lerp(sorted[lo], sorted[hi], h - lo);
}

/**
 * Paired bootstrap of the mean difference: each draw resamples n pairs with replacement via
 * `RandomState(seed).randint(0, n, n)`.
 */
export function pairedBootstrap(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  opts: PairedOptions & { confidence?: number } = {},
): BootstrapResult {
  const iterations = opts.iterations ?? 10000;
  const seed = opts.seed ?? 42;
  const confidence = opts.confidence ?? 0.95;
  const d = diffs(a, b);
  const n = d.length;
  const obs = mean(d);
  const rs = new RandomState(seed);
  const means = new Float64Array(iterations);
  for (let it = 0; it < iterations; it++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[rs.randint(0, n)];
    means[it] = s / n;
  }
  let extreme = 0;
  for (const m of means) if (Math.abs(m - obs) >= Math.abs(obs)) extreme++;
  const sorted = Float64Array.from(means).sort();
  const tail = (100 - confidence * 100) / 2;
  return {
    n,
    meanDiff: obs,
    ci: [percentile(sorted, tail), percentile(sorted, 100 - tail)],
    confidence,
    pValue: (extreme + 1) / (iterations + 1),
    iterations,
    seed,
  };
}
