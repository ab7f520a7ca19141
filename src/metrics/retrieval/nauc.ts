/**
 * mteb's abstention metrics (`nauc_*` keys; `evaluate_abstention`, `confidence_scores`, `nauc` in
 * mteb/_evaluators/retrieval_metrics.py, 1.x `evaluators/utils.py`), after arXiv 2402.12997.
 *
 * Per query, confidence = max / std / top-1 minus top-2 of the run's scores; the metric's per-query values are
 * averaged over the queries kept after abstaining on the least confident 0%, 10%, …, 90%, and the area under
 * that curve is normalised between the flat and the oracle curves.
 *
 * Exactness: numpy's pairwise sums, np.std and np.trapz are reproduced operation for operation. Ranking by
 * confidence uses a stable sort, as mteb does with numpy ≥ 2 (`np.argsort(..., stable=True)`); under
 * numpy < 2 mteb used the unstable quicksort, so results with tied confidences could differ there.
 */
import { numpyMean, numpySum, numpyStd } from './pysum.js';

export const CONFIDENCE_FUNCTIONS = ['max', 'std', 'diff1'] as const;
export type ConfidenceFunction = (typeof CONFIDENCE_FUNCTIONS)[number];

/** `np.linspace(0, 1, 11)[:-1]` = i * 0.1. */
const RATES: number[] = Array.from({ length: 10 }, (_, i) => i * 0.1);

/** Confidence scores of one query from its run scores in run order (mteb 2.x: zeros for an empty run). */
export function confidenceScores(scores: ArrayLike<number>): [number, number, number] {
  const n = scores.length;
  if (n === 0) return [0, 0, 0];
  let max = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s > max) {
      second = max;
      max = s;
    } else if (s > second) second = s;
  }
  const std = numpyStd(scores);
  return [max, std, n > 1 ? max - second : 0];
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Stable ascending argsort (numpy ≥ 2 `np.argsort(x, stable=True)`). */
export function stableArgsort(values: Float64Array): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : a - b));
  return order;
}

/** Mean metric over the instances left after abstaining on the lowest-ranked fraction, per rate. */
export function abstentionCurve(order: Int32Array, metric: Float64Array): number[] {
  const n = order.length;
  const curve: number[] = [];
  for (const rate of RATES) {
    const skip = Math.min(roundHalfEven(rate * n), n - 1);
    const kept = new Float64Array(n - skip);
    for (let i = skip; i < n; i++) kept[i - skip] = metric[order[i]];
    curve.push(numpyMean(kept));
  }
  return curve;
}

/** sklearn `auc(x, y)` = np.trapz(y, x) for increasing x. */
function trapz(y: number[], x: number[]): number {
  const terms = new Float64Array(y.length - 1);
  for (let i = 0; i < terms.length; i++) terms[i] = ((x[i + 1] - x[i]) * (y[i + 1] + y[i])) / 2.0;
  return numpySum(terms);
}

/** mteb `nauc` from the confidence curve and the oracle curve; NaN when the oracle curve is flat. */
export function naucFromCurves(abstCurve: number[], oracleCurve: number[]): number {
  const abst = trapz(abstCurve, RATES);
  const orAuc = trapz(oracleCurve, RATES);
  const flat = oracleCurve[0] * (RATES[RATES.length - 1] - RATES[0]);
  if (orAuc === flat) return NaN;
  return (abst - flat) / (orAuc - flat);
}

/** mteb `nauc(conf_scores, metrics)`. */
export function nauc(conf: Float64Array, metric: Float64Array): number {
  return naucFromCurves(abstentionCurve(stableArgsort(conf), metric), abstentionCurve(stableArgsort(metric), metric));
}
