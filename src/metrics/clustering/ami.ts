/**
 * scikit-learn's `adjusted_mutual_info_score(average_method="arithmetic")`, which mteb ≥ 2.13.4 reports next
 * to V-measure for every bootstrap round of fast clustering. The expected mutual information follows
 * `_expected_mutual_info_fast.pyx` term by term and in its loop order (rows, columns, n_ij ascending), since
 * the sum runs over up to millions of terms and a different order would move the last digits.
 */
import { lnGamma } from '../stats/special.js';
import { countsOf, entropyFromCounts, mutualInfo, uniqueInverse, type Label } from './v-measure.js';

const EPS64 = 2.220446049250313e-16;

/**
 * ln Γ(k) for k = 0..max (index k). Every argument the EMI needs is an integer in [1, N + 1]; below 23 the
 * factorial is exact in float64, so one rounding in `log` gives the correctly rounded value, and above it
 * Stirling's series is accurate to an ulp or two, as scipy's `gammaln` and glibc's `lgamma` are.
 */
function lnGammaIntTable(max: number): Float64Array {
  const t = new Float64Array(max + 1);
  t[0] = Infinity;
  let fact = 1;
  for (let k = 1; k <= max; k++) {
    if (k <= 23) {
      if (k > 1) fact *= k - 1;
      t[k] = Math.log(fact);
    } else {
      t[k] = lnGamma(k);
    }
  }
  return t;
}

/**
 * sklearn `expected_mutual_information(contingency, n_samples)` from the row sums `a` and column sums `b` of
 * the contingency table (classes and clusters in `np.unique` order).
 */
export function expectedMutualInformation(a: ArrayLike<number>, b: ArrayLike<number>, nSamples: number): number {
  const R = a.length;
  const C = b.length;
  if (R === 1 || C === 1) return 0;
  const N = nSamples;
  let maxAB = 0;
  for (let i = 0; i < R; i++) maxAB = Math.max(maxAB, a[i]);
  for (let j = 0; j < C; j++) maxAB = Math.max(maxAB, b[j]);
  const lg = lnGammaIntTable(N + 1);
  // nijs[0] is set to 1 in sklearn only to avoid a division warning; index 0 is never read.
  const term1 = new Float64Array(maxAB + 1);
  const logNnij = new Float64Array(maxAB + 1);
  const logN = Math.log(N);
  for (let nij = 0; nij <= maxAB; nij++) {
    const v = nij === 0 ? 1 : nij;
    term1[nij] = v / N;
    logNnij[nij] = logN + Math.log(v);
  }
  const glnN = lg[N + 1];
  let emi = 0;
  for (let i = 0; i < R; i++) {
    const ai = a[i];
    const logA = Math.log(ai);
    const glnA = lg[ai + 1];
    const glnNa = lg[N - ai + 1];
    for (let j = 0; j < C; j++) {
      const bj = b[j];
      const logB = Math.log(bj);
      const glnB = lg[bj + 1];
      const glnNb = lg[N - bj + 1];
      const start = Math.max(ai - N + bj, 1);
      const end = Math.min(ai, bj) + 1;
      for (let nij = start; nij < end; nij++) {
        const term2 = logNnij[nij] - logA - logB;
        const gln =
          glnA + glnB + glnNa + glnNb - glnN - lg[nij + 1] - lg[ai - nij + 1] - lg[bj - nij + 1] - lg[N - ai - bj + nij + 1];
        const term3 = Math.exp(gln);
        emi += term1[nij] * term2 * term3;
      }
    }
  }
  return emi;
}

/** `sklearn.metrics.adjusted_mutual_info_score(labels_true, labels_pred)` (arithmetic normalisation). */
export function adjustedMutualInfoScore(
  labelsTrue: readonly Label[],
  labelsPred: ArrayLike<number> | readonly Label[],
): number {
  const pred = Array.from(labelsPred as ArrayLike<Label>);
  if (labelsTrue.length !== pred.length) {
    throw new RangeError(`labels_true has ${labelsTrue.length} items but labels_pred has ${pred.length}`);
  }
  const n = labelsTrue.length;
  const c = uniqueInverse(labelsTrue);
  const k = uniqueInverse(pred);
  // Both labellings unsplit (or empty): zero entropy on both sides, which sklearn scores as a perfect match.
  if ((c.nUnique === 1 && k.nUnique === 1) || (c.nUnique === 0 && k.nUnique === 0)) return 1.0;
  const rowSums = countsOf(c.inverse, c.nUnique);
  const colSums = countsOf(k.inverse, k.nUnique);
  const mi = mutualInfo(c.inverse, c.nUnique, k.inverse, k.nUnique);
  const emi = expectedMutualInformation(rowSums, colSums, n);
  const hTrue = entropyFromCounts(rowSums);
  const hPred = entropyFromCounts(colSums);
  const normalizer = (hTrue + hPred) / 2;
  let denominator = normalizer - emi;
  // sklearn keeps the sign when rounding makes the expectation exceed the normaliser, and never divides by 0.
  denominator = denominator < 0 ? Math.min(denominator, -EPS64) : Math.max(denominator, EPS64);
  return (mi - emi) / denominator;
}
