/**
 * The per-experiment scores mteb computes from hard predictions, matching scikit-learn:
 * accuracy, precision/recall/F1 (macro and support-weighted, labels = union of truth and predictions,
 * zero_division -> 0) and `average_precision_score` on the predicted labels used as scores.
 */
import { MtebError } from '../../core/errors.js';
import { numpyAverage, numpyMean, numpySum64 } from '../numeric/numpy-sum.js';
import { encodeLabels, uniqueLabels, type Label } from './labels.js';

/**
 * sklearn <= 1.2 computes F as 2PR/(P+R); >= 1.3 as 2TP/(2TP+FN+FP) (same value up to the last bit).
 */
export type FFormula = 'precision-recall' | 'counts';

export interface PrfCounts {
  labels: Label[];
  tp: Float64Array;
  predSum: Float64Array;
  trueSum: Float64Array;
}

function checkLengths(yTrue: readonly Label[], yPred: readonly Label[]): void {
  if (yTrue.length !== yPred.length) {
    throw new MtebError('E_INTERNAL', `y_true has ${yTrue.length} items but y_pred has ${yPred.length}`);
  }
  if (yTrue.length === 0) throw new MtebError('E_BAD_VALUE', 'cannot score an empty test set', { field: 'label' });
}

export function accuracyScore(yTrue: readonly Label[], yPred: readonly Label[]): number {
  checkLengths(yTrue, yPred);
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** Per-label confusion counts over sklearn's label set (sorted union of y_true and y_pred). */
export function prfCounts(yTrue: readonly Label[], yPred: readonly Label[]): PrfCounts {
  checkLengths(yTrue, yPred);
  const labels = uniqueLabels(yTrue as Label[], yPred as Label[]);
  const t = encodeLabels(yTrue, labels);
  const p = encodeLabels(yPred, labels);
  const k = labels.length;
  const tp = new Float64Array(k);
  const predSum = new Float64Array(k);
  const trueSum = new Float64Array(k);
  for (let i = 0; i < t.length; i++) {
    trueSum[t[i]]++;
    predSum[p[i]]++;
    if (t[i] === p[i]) tp[t[i]]++;
  }
  return { labels, tp, predSum, trueSum };
}

export interface PrfScores {
  precision: number;
  recall: number;
  f1: number;
}

/** `precision_recall_fscore_support(average=macro|weighted, zero_division=0)` (beta = 1). */
export function precisionRecallF1(
  counts: PrfCounts,
  average: 'macro' | 'weighted',
  fFormula: FFormula = 'counts',
): PrfScores {
  const { tp, predSum, trueSum } = counts;
  const k = tp.length;
  const precision = new Float64Array(k);
  const recall = new Float64Array(k);
  const f = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    precision[i] = predSum[i] === 0 ? 0 : tp[i] / predSum[i];
    recall[i] = trueSum[i] === 0 ? 0 : tp[i] / trueSum[i];
    if (fFormula === 'precision-recall') {
      const denom = precision[i] + recall[i];
      f[i] = (2 * precision[i] * recall[i]) / (denom === 0 ? 1 : denom);
    } else {
      const denom = trueSum[i] + predSum[i];
      f[i] = denom === 0 ? 0 : (2 * tp[i]) / denom;
    }
  }
  if (average === 'macro') return { precision: numpyMean(precision), recall: numpyMean(recall), f1: numpyMean(f) };
  // Weights = support; y_true is non-empty so they never sum to zero.
  return {
    precision: numpyAverage(precision, trueSum),
    recall: numpyAverage(recall, trueSum),
    f1: numpyAverage(f, trueSum),
  };
}

/**
 * `average_precision_score(y_true, y_score)` for binary y_true with pos_label = 1: the step-wise area
 * sum over thresholds at the distinct scores (descending), as sklearn's `precision_recall_curve`.
 */
export function averagePrecisionBinary(yTrue: readonly number[], yScore: readonly number[]): number {
  const n = yTrue.length;
  if (n !== yScore.length) throw new MtebError('E_INTERNAL', 'average precision: length mismatch');
  // sklearn: argsort(y_score, kind="mergesort")[::-1] -> descending, ties in reverse input order.
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => yScore[a] - yScore[b] || a - b);
  order.reverse();
  const tpsAt: number[] = [];
  const fpsAt: number[] = [];
  let tps = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    tps += yTrue[i] === 1 ? 1 : 0;
    const last = r === n - 1 || yScore[order[r + 1]] !== yScore[i];
    if (last) {
      tpsAt.push(tps);
      fpsAt.push(r + 1 - tps);
    }
  }
  const m = tpsAt.length;
  const totalPos = tpsAt[m - 1];
  // precision/recall listed by decreasing threshold index, then the (P=1, R=0) end point.
  const precision: number[] = [];
  const recall: number[] = [];
  for (let j = m - 1; j >= 0; j--) {
    const ps = tpsAt[j] + fpsAt[j];
    precision.push(ps === 0 ? 0 : tpsAt[j] / ps);
    // sklearn 1.2: no positive in y_true -> recall set to 1 at every threshold (with a warning), AP = -0.0.
    recall.push(totalPos === 0 ? 1 : tpsAt[j] / totalPos);
  }
  precision.push(1);
  recall.push(0);
  const terms = new Float64Array(recall.length - 1);
  for (let j = 0; j < terms.length; j++) terms[j] = (recall[j + 1] - recall[j]) * precision[j];
  return -numpySum64(terms);
}

/** AP on hard predictions as mteb calls it: labels must be numeric and include the positive class 1. */
export function averagePrecisionFromLabels(yTrue: readonly Label[], yPred: readonly Label[], task?: string): number {
  checkLengths(yTrue, yPred);
  const present = uniqueLabels(yTrue as Label[]);
  if (present.some((l) => typeof l !== 'number') || yPred.some((l) => typeof l !== 'number')) {
    throw new MtebError('E_BAD_VALUE', 'binary average precision needs numeric labels (sklearn pos_label=1)', {
      task,
      field: 'label',
    });
  }
  if (present.length > 2) {
    // sklearn raises "multiclass format is not supported" here, so mteb itself would stop on this task.
    throw new MtebError('E_BAD_VALUE', `binary average precision got ${present.length} classes in y_true (multiclass is not supported)`, {
      task,
      field: 'label',
    });
  }
  if (present.length === 2 && !present.includes(1)) {
    throw new MtebError('E_BAD_VALUE', `pos_label=1 is not a valid label: labels are ${JSON.stringify(present)}`, {
      task,
      field: 'label',
    });
  }
  return averagePrecisionBinary(
    (yTrue as number[]).map((v) => (v === 1 ? 1 : 0)),
    yPred as number[],
  );
}
