/**
 * scikit-learn's `homogeneity_completeness_v_measure` (beta = 1), with the same edge conventions (empty input
 * → 1, a single class or cluster → entropy 0 → that ratio 1, MI terms below eps zeroed, MI clipped at 0) and
 * the same summation order (classes and clusters in `np.unique` order, numpy pairwise sums), so scores agree
 * with sklearn to the last bit or two.
 */
import { numpySum64 } from '../numeric/numpy-sum.js';

/** A gold label as mteb hands it over: dataset strings, or integers. */
export type Label = string | number;

export interface VMeasureScores {
  v_measure: number;
  homogeneity: number;
  completeness: number;
}

const EPS64 = 2.220446049250313e-16;

/**
 * Dense indices in `np.unique` order. A mix of strings and numbers becomes strings first, as
 * `np.array([...])` would coerce them.
 */
export function uniqueInverse(labels: readonly Label[]): { inverse: Int32Array; nUnique: number } {
  const anyString = labels.some((l) => typeof l === 'string');
  const keys: Label[] = anyString ? labels.map((l) => (typeof l === 'string' ? l : String(l))) : labels.slice();
  const first = new Map<Label, number>();
  const uniques: Label[] = [];
  for (const k of keys) {
    if (!first.has(k)) {
      first.set(k, uniques.length);
      uniques.push(k);
    }
  }
  const order = uniques.map((_, i) => i);
  order.sort((a, b) => compareLabels(uniques[a], uniques[b]));
  const rank = new Int32Array(uniques.length);
  order.forEach((u, r) => (rank[u] = r));
  const inverse = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) inverse[i] = rank[first.get(keys[i]) as number];
  return { inverse, nUnique: uniques.length };
}

function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function countsOf(inverse: Int32Array, n: number): Float64Array {
  const c = new Float64Array(n);
  for (const i of inverse) c[i]++;
  return c;
}

/** sklearn `entropy(labels)` from class counts (all > 0) in unique order. */
export function entropyFromCounts(pi: Float64Array): number {
  if (pi.length === 1) return 0;
  const piSum = numpySum64(pi);
  const logSum = Math.log(piSum);
  const terms = new Float64Array(pi.length);
  for (let i = 0; i < pi.length; i++) terms[i] = (pi[i] / piSum) * (Math.log(pi[i]) - logSum);
  return -numpySum64(terms);
}

/** sklearn `entropy(labels)` (natural log); 1.0 for an empty labelling, as sklearn returns. */
export function labelEntropy(labels: readonly Label[]): number {
  if (labels.length === 0) return 1.0;
  const u = uniqueInverse(labels);
  return entropyFromCounts(countsOf(u.inverse, u.nUnique));
}

/**
 * sklearn `mutual_info_score` on the sparse contingency table (nonzeros in row-major order), from dense class
 * and cluster indices (`uniqueInverse`). AMI calls it with a float64 table and v-measure with an integer one;
 * every count stays an exact integer in float64, so the two give the same value.
 */
export function mutualInfo(ci: Int32Array, nc: number, ki: Int32Array, nk: number): number {
  const n = ci.length;
  const pi = countsOf(ci, nc);
  const pj = countsOf(ki, nk);
  if (nc === 1 || nk === 1) return 0;
  const cells = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = ci[i] * nk + ki[i];
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const keys = Array.from(cells.keys()).sort((a, b) => a - b);
  const logN = Math.log(n);
  const logPiSum = Math.log(n);
  const logPjSum = Math.log(n);
  const mi = new Float64Array(keys.length);
  for (let t = 0; t < keys.length; t++) {
    const key = keys[t];
    const r = Math.floor(key / nk);
    const c = key - r * nk;
    const nz = cells.get(key) as number;
    const nm = nz / n;
    const logOuter = -Math.log(pi[r] * pj[c]) + logPiSum + logPjSum;
    const v = nm * (Math.log(nz) - logN) + nm * logOuter;
    mi[t] = Math.abs(v) < EPS64 ? 0 : v;
  }
  const s = numpySum64(mi);
  return s < 0 ? 0 : s;
}

/** `sklearn.metrics.homogeneity_completeness_v_measure(labels_true, labels_pred)` with beta = 1. */
export function vMeasure(labelsTrue: readonly Label[], labelsPred: ArrayLike<number> | readonly Label[]): VMeasureScores {
  const pred = Array.from(labelsPred as ArrayLike<Label>);
  if (labelsTrue.length !== pred.length) {
    throw new RangeError(`labels_true has ${labelsTrue.length} items but labels_pred has ${pred.length}`);
  }
  if (labelsTrue.length === 0) return { homogeneity: 1, completeness: 1, v_measure: 1 };
  const c = uniqueInverse(labelsTrue);
  const k = uniqueInverse(pred);
  const hC = entropyFromCounts(countsOf(c.inverse, c.nUnique));
  const hK = entropyFromCounts(countsOf(k.inverse, k.nUnique));
  const mi = mutualInfo(c.inverse, c.nUnique, k.inverse, k.nUnique);
  const homogeneity = hC ? mi / hC : 1.0;
  const completeness = hK ? mi / hK : 1.0;
  const v = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return { v_measure: v, homogeneity, completeness };
}

/** `sklearn.metrics.v_measure_score`. */
export function vMeasureScore(labelsTrue: readonly Label[], labelsPred: ArrayLike<number> | readonly Label[]): number {
  return vMeasure(labelsTrue, labelsPred).v_measure;
}
