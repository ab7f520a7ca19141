/**
 * The per-experiment scores mteb computes from hard predictions, matching scikit-learn:
 * accuracy, precision/recall/F1 (macro and support-weighted, labels = union of truth and predictions,
 * zero_division -> 0) and `average_precision_score` on the predicted labels used as scores.
 */
import { MtebError } from '../../core/errors.js';
import { numpyAverage, numpyMean } from '../numeric/numpy-sum.js';
import { averagePrecisionScore } from '../stats/average-precision.js';
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
  return averagePrecisionScore(
    (yTrue as number[]).map((v) => (v === 1 ? 1 : 0)),
    yPred as number[],
  );
}
