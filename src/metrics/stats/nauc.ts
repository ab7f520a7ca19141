/**
 * mteb's abstention metrics (arXiv 2402.12997): `confidence_scores` and `nauc` of 1.x
 * `evaluation/evaluators/utils.py` (≥1.12.8, written by the reranking and retrieval evaluators as
 * `nAUC_<metric>_<max|std|diff1>`) and of 2.x `_evaluators/retrieval_metrics.py` (`nauc_*`). Both releases
 * compute the same numbers; the retrieval evaluator (src/metrics/retrieval/nauc.ts) reuses these pieces.
 *
 * Per query, confidence = max / std / top-1 minus top-2 of its scores; the metric's per-query values are
 * averaged over the queries kept after abstaining on the least confident 0%, 10%, …, 90%, and the area under
 * that curve is normalised between the flat and the oracle curves. numpy's pairwise sums, np.std and np.trapz
 * are reproduced operation for operation. Ranking by confidence uses a stable sort, as mteb does with
 * numpy ≥ 2 (`np.argsort(..., stable=True)`); numpy < 2's quicksort agrees with it on ≤ 16 items, and could
 * order tied confidences differently above that.
 */
import { numpyMean, numpyStd, numpySum64 } from '../numeric/numpy-sum.js';

export interface ConfidenceScores {
  max: number;
  std: number;
  diff1: number;
}

/** Confidences of one query from its scores: [max, population std, top-1 − top-2]; zeros for none (mteb 2.x). */
export function confidenceTriple(scores: ArrayLike<number>): [number, number, number] {
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
  return [max, numpyStd(scores), n > 1 ? max - second : 0];
}

/** Per-instance confidences from its candidate scores: top score, population std, top-1 − top-2 margin. */
export function confidenceScores(simScores: ArrayLike<number>): ConfidenceScores {
  const [max, std, diff1] = confidenceTriple(simScores);
  return { max, std, diff1 };
}

/** Python's round(): half to even, on the exact binary value. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** `np.linspace(0, 1, 11)[:-1]` = i * 0.1. */
const RATES: number[] = Array.from({ length: 10 }, (_, i) => i * 0.1);

/** Stable ascending argsort (numpy ≥ 2 `np.argsort(x, stable=True)`). */
export function stableArgsort(values: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: values.length }, (_, i) => i);
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : a - b));
  return order;
}

/** Mean metric over the instances left after abstaining on the lowest-ranked fraction, per rate. */
export function abstentionCurve(order: Int32Array, metric: ArrayLike<number>): number[] {
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

/** sklearn `auc(x, y)` = np.trapz(y, x) for increasing x: add.reduce(diff(x) * (y[1:] + y[:-1]) / 2.0). */
function trapz(y: number[], x: number[]): number {
  const terms = new Float64Array(y.length - 1);
  for (let i = 0; i < terms.length; i++) terms[i] = ((x[i + 1] - x[i]) * (y[i + 1] + y[i])) / 2.0;
  return numpySum64(terms);
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
export function nAUC(conf: ArrayLike<number>, metrics: ArrayLike<number>): number {
  return naucFromCurves(abstentionCurve(stableArgsort(conf), metrics), abstentionCurve(stableArgsort(metrics), metrics));
}

/** `nAUC_<name>_max`, `_std`, `_diff1` for one per-instance metric, in mteb's key order. */
export function nAUCScores(conf: ConfidenceScores[], metrics: ArrayLike<number>, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const fct of ['max', 'std', 'diff1'] as const) {
    out[`nAUC_${name}_${fct}`] = nAUC(
      conf.map((c) => c[fct]),
      metrics,
    );
  }
  return out;
}
