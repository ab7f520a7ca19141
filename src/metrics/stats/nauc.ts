import { numpySum } from './numpy-order.js';

/**
 * Abstention metrics of mteb ≥1.12.8 (`mteb/evaluation/evaluators/utils.py`: confidence_scores, nAUC; paper
 * arXiv:2402.12997), written by the 1.x reranking and retrieval evaluators as `nAUC_<metric>_<max|std|diff1>`.
 */

export interface ConfidenceScores {
  max: number;
  std: number;
  diff1: number;
}

/** Per-instance confidences from its candidate scores: top score, population std, top-1 − top-2 margin. */
export function confidenceScores(simScores: ArrayLike<number>): ConfidenceScores {
  const n = simScores.length;
  const sorted = Array.from(simScores).sort((a, b) => b - a);
  // np.std: sqrt(mean(|x − mean(x)|²)), both means pairwise-summed
  const m = numpySum(simScores) / n;
  const sq = Float64Array.from(simScores, (x) => (x - m) * (x - m));
  return { max: sorted[0], std: Math.sqrt(numpySum(sq) / n), diff1: n > 1 ? sorted[0] - sorted[1] : 0 };
}

/** Python's round(): half to even, on the exact binary value. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

// np.linspace(0, 1, 11)[:-1] = i * 0.1
const RATES = Array.from({ length: 10 }, (_, i) => i * 0.1);

// Stable ascending argsort: numpy ≥ 2 (what mteb asks for) and numpy < 2 on ≤ 16 items agree with it.
function abstentionCurve(conf: ArrayLike<number>, metrics: ArrayLike<number>): number[] {
  const n = conf.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => conf[i] - conf[j] || i - j);
  return RATES.map((rate) => {
    const k = Math.min(roundHalfEven(rate * n), n - 1);
    const kept = Float64Array.from({ length: n - k }, (_, i) => metrics[order[k + i]]);
    return numpySum(kept) / (n - k);
  });
}

// np.trapz: add.reduce(diff(x) * (y[1:] + y[:-1]) / 2.0)
function trapezoid(x: number[], y: number[]): number {
  const terms = Float64Array.from({ length: x.length - 1 }, (_, i) => ((x[i + 1] - x[i]) * (y[i + 1] + y[i])) / 2);
  return numpySum(terms);
}

/** Normalised area under the abstention curve; NaN when the oracle curve is flat. */
export function nAUC(conf: ArrayLike<number>, metrics: ArrayLike<number>): number {
  const abst = abstentionCurve(conf, metrics);
  const oracle = abstentionCurve(metrics, metrics);
  const abstAuc = trapezoid(RATES, abst);
  const orAuc = trapezoid(RATES, oracle);
  const flatAuc = oracle[0] * (RATES[RATES.length - 1] - RATES[0]);
  if (orAuc === flatAuc) return NaN;
  return (abstAuc - flatAuc) / (orAuc - flatAuc);
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
