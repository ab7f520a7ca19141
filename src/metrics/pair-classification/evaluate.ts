/**
 * PairClassification scores as mteb writes them (flat keys, ≥1.12.76):
 * - 'mteb-1' (1.39.7 `PairClassificationEvaluator`): per score set `<set>_{accuracy, accuracy_threshold, f1,
 *   f1_threshold, precision, recall, ap}` for sets similarity, cosine, manhattan, euclidean, dot, then
 *   `max_{accuracy, f1, precision, recall, ap}`.
 * - 'mteb-2' (HEAD `AbsTaskPairClassification._compute_metrics`): the same without the two thresholds.
 * Main score in both: `max_ap`. The original leaderboard used `cosine_ap` (then `cos_sim_ap`).
 */
import type { Matrix } from '../../core/matrix.js';
import type { Protocol } from '../../core/protocol.js';
import { MtebError } from '../../core/errors.js';
import { averagePrecisionScore } from '../stats/average-precision.js';
import { checkSameShape, pairedScoreFns, type Arithmetic, type SimilarityFn } from '../stats/paired.js';
import { bestAccuracyAndThreshold, bestF1AndThreshold } from './threshold-scan.js';

export interface PairClassificationOptions {
  protocol: Protocol;
  /**
   * The model's own similarity (ModelMeta.similarity_fn_name) for the `similarity_*` keys. mteb-2 always
   * applies it (default cosine, torch-style). mteb-1 applies it only when the model exposes one; when this
   * is undefined mteb-1 falls back to the sklearn cosine scores, as 1.39.7 does for such models.
   */
  similarity?: SimilarityFn;
  /**
   * 'float64' (default): scores from the float32 embeddings in float64. 'float32': as mteb really runs on
   * float32 embeddings — sklearn's paired cosine/manhattan/euclidean bit-identical to numpy, and in mteb-1
   * the thresholds of numpy-float32 score sets are float32 midpoints. Dot and model similarity are float32
   * but their summation order (BLAS sdot, torch) is not reproduced.
   */
  arithmetic?: Arithmetic;
}

export type PairScoreSet = 'similarity' | 'cosine' | 'manhattan' | 'euclidean' | 'dot';

export interface PairClassificationResult {
  scores: Record<string, number>;
  /** Per-pair cosine similarity (sklearn), row order. */
  perItem: number[];
  /** Per-pair scores of every set (distances unnegated), for resampling AP in paired tests. */
  pairScores: Record<PairScoreSet, Float64Array>;
}

const MAX_METRICS = ['accuracy', 'f1', 'precision', 'recall', 'ap'] as const;

export function scorePairs(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  highMoreSimilar: boolean,
  protocol: Protocol,
  float32Midpoint = false,
): Record<string, number> {
  const acc = bestAccuracyAndThreshold(scores, labels, highMoreSimilar, float32Midpoint);
  const f1 = bestF1AndThreshold(scores, labels, highMoreSimilar, float32Midpoint);
  const signed = highMoreSimilar ? scores : Float64Array.from(scores as ArrayLike<number>, (v) => -v);
  const ap = averagePrecisionScore(labels, signed);
  if (protocol === 'mteb-1') {
    return {
      accuracy: acc.accuracy,
      accuracy_threshold: acc.threshold,
      f1: f1.f1,
      f1_threshold: f1.threshold,
      precision: f1.precision,
      recall: f1.recall,
      ap,
    };
  }
  return { accuracy: acc.accuracy, f1: f1.f1, precision: f1.precision, recall: f1.recall, ap };
}

function checkLabels(labels: ArrayLike<number>, rows: number): void {
  if (labels.length !== rows) {
    throw new MtebError('E_BAD_VALUE', `pair classification: ${rows} embedding pairs but ${labels.length} labels`, {
      field: 'labels',
    });
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new MtebError('E_BAD_VALUE', `pair classification: label ${i} is ${labels[i]}; labels must be 0 or 1`, {
        field: 'labels',
      });
    }
  }
  if (rows < 1) throw new MtebError('E_BAD_VALUE', 'pair classification: no pairs to evaluate', { field: 'labels' });
}

export function evaluatePairClassification(
  emb1: Matrix,
  emb2: Matrix,
  labels: ArrayLike<number>,
  opts: PairClassificationOptions,
): PairClassificationResult {
  checkSameShape(emb1, emb2, 'pair classification');
  checkLabels(labels, emb1.rows);
  const f32 = opts.arithmetic === 'float32';
  const fns = pairedScoreFns(opts.arithmetic);
  const cosine = fns.cosine(emb1, emb2);
  const manhattan = fns.manhattan(emb1, emb2);
  const euclidean = fns.euclidean(emb1, emb2);
  const dot = fns.dot(emb1, emb2);
  const ownSimilarity = opts.protocol === 'mteb-2' || opts.similarity !== undefined;
  const similarity = ownSimilarity ? fns.modelSimilarity(emb1, emb2, opts.similarity ?? 'cosine') : cosine;
  // mteb-1 scans numpy float32 arrays (midpoints in float32); mteb-2 scans .tolist() floats, and 1.39.7's
  // model similarity is an array of Python floats.
  const npF32 = f32 && opts.protocol === 'mteb-1';
  const sets: [PairScoreSet, Float64Array, boolean, boolean][] = [
    ['similarity', similarity, true, npF32 && !ownSimilarity],
    ['cosine', cosine, true, npF32],
    ['manhattan', manhattan, false, npF32],
    ['euclidean', euclidean, false, npF32],
    ['dot', dot, true, npF32],
  ];
  const scores: Record<string, number> = {};
  const maxes: Record<string, number> = {};
  for (const [name, values, high, f32Mid] of sets) {
    const metrics = scorePairs(values, labels, high, opts.protocol, f32Mid);
    for (const [metric, v] of Object.entries(metrics)) {
      scores[`${name}_${metric}`] = v;
      if ((MAX_METRICS as readonly string[]).includes(metric)) {
        // Python's max() keeps the first of equal values and never lets a later NaN win.
        if (!(metric in maxes) || v > maxes[metric]) maxes[metric] = v;
      }
    }
  }
  for (const m of MAX_METRICS) scores[`max_${m}`] = maxes[m];
  return {
    scores,
    perItem: Array.from(cosine),
    pairScores: { similarity, cosine, manhattan, euclidean, dot },
  };
}
