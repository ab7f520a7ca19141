/**
 * sklearn precision_score / recall_score / f1_score with average='weighted', zero_division=0, and
 * accuracy_score (sklearn 1.2.1). Labels are the sorted union of y_true and y_pred; each label's metric is
 * weighted by its support in y_true, so labels only ever predicted count with weight 0.
 */
import { numpySum64 } from '../numeric/numpy-sum.js';

export interface WeightedPrf {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

export function weightedPrecisionRecallF1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): WeightedPrf {
  const n = yTrue.length;
  if (yPred.length !== n) throw new RangeError(`weighted PRF: ${n} labels but ${yPred.length} predictions`);
  const tp = new Map<number, number>();
  const predSum = new Map<number, number>();
  const trueSum = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    trueSum.set(t, (trueSum.get(t) ?? 0) + 1);
    predSum.set(p, (predSum.get(p) ?? 0) + 1);
    if (t === p) {
      tp.set(t, (tp.get(t) ?? 0) + 1);
      correct++;
    }
  }
  const labels = [...new Set([...trueSum.keys(), ...predSum.keys()])].sort((a, b) => a - b);
  const wp: number[] = [];
  const wr: number[] = [];
  const wf: number[] = [];
  const w: number[] = [];
  for (const l of labels) {
    const t = tp.get(l) ?? 0;
    const ps = predSum.get(l) ?? 0;
    const ts = trueSum.get(l) ?? 0;
    const precision = ps === 0 ? 0 : t / ps;
    const recall = ts === 0 ? 0 : t / ts;
    const denom = precision + recall;
    const f = (2 * precision * recall) / (denom === 0 ? 1 : denom);
    wp.push(precision * ts);
    wr.push(recall * ts);
    wf.push(f * ts);
    w.push(ts);
  }
  // np.average(x, weights=w) = np.multiply(x, w).sum() / w.sum(), sums pairwise in label order
  const wsum = numpySum64(w);
  if (wsum === 0) return { precision: 0, recall: 0, f1: 0, accuracy: n ? correct / n : NaN };
  return { precision: numpySum64(wp) / wsum, recall: numpySum64(wr) / wsum, f1: numpySum64(wf) / wsum, accuracy: correct / n };
}
