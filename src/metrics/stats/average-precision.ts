/**
 * sklearn.metrics.average_precision_score for binary labels (sklearn 1.2.1), the one average precision of the
 * code base (pair classification on similarity scores, reranking per query, classification on hard predicted
 * labels): AP = Σ_thresholds (R_t − R_{t−1})·P_t over the distinct score values taken in decreasing order, so
 * tied scores form one step, summed in sklearn's order (lowest threshold first) with numpy's pairwise sum.
 * No positive label: sklearn warns and sets recall to 1 at every threshold, which makes AP −0.0.
 */
import { MtebError } from '../../core/errors.js';
import { numpySum64 } from '../numeric/numpy-sum.js';

export function averagePrecisionScore(yTrue: ArrayLike<number | boolean>, scores: ArrayLike<number>): number {
  const n = yTrue.length;
  if (scores.length !== n) {
    throw new MtebError('E_INTERNAL', `average precision: ${n} labels but ${scores.length} scores`);
  }
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) {
      // sklearn raises "Input contains NaN, infinity or a value too large"
      throw new MtebError('E_BAD_VALUE', `average precision: score ${i} is ${scores[i]} (scores must be finite)`);
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => scores[j] - scores[i]);
  let totalPos = 0;
  for (let i = 0; i < n; i++) if (Number(yTrue[i]) === 1) totalPos++;
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  for (let k = 0; k < n; k++) {
    if (Number(yTrue[order[k]]) === 1) tp++;
    const last = k === n - 1 || scores[order[k + 1]] !== scores[order[k]];
    if (!last) continue;
    recall.push(totalPos === 0 ? 1 : tp / totalPos);
    precision.push(tp / (k + 1));
  }
  // sklearn: -np.sum(np.diff(recall) * precision[:-1]) over the curve reversed (lowest threshold first).
  const m = recall.length;
  const terms = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const k = m - 1 - j;
    terms[j] = ((k > 0 ? recall[k - 1] : 0) - recall[k]) * precision[k];
  }
  return -numpySum64(terms);
}
