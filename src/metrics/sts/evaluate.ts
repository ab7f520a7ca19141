/**
 * STS scores as mteb 1.39.7 `STSEvaluator` and HEAD `AbsTaskSTS._calculate_scores` write them (same keys in
 * both): Pearson and Spearman of the gold scores against cosine (1 − sklearn paired cosine distance),
 * −manhattan and −euclidean distances, plus `pearson`/`spearman` for the model's own similarity.
 * Main score `cosine_spearman`.
 */
import type { Matrix } from '../../core/matrix.js';
import type { Protocol } from '../../core/protocol.js';
import { MtebError } from '../../core/errors.js';
import { pearson, spearman } from '../stats/correlation.js';
import { checkSameShape, pairedScoreFns, type Arithmetic, type SimilarityFn } from '../stats/paired.js';

export interface STSOptions {
  protocol?: Protocol;
  /** Model similarity for `pearson`/`spearman`; see PairClassificationOptions.similarity for the fallback rule. */
  similarity?: SimilarityFn;
  /** mteb normalises gold scores to (s − min)/(max − min) (0..5 for most tasks, 1..4 for STS22) before correlating. */
  scoreRange?: [number, number];
  /** 'float32' reproduces sklearn on float32 embeddings bit for bit (see PairClassificationOptions.arithmetic). */
  arithmetic?: Arithmetic;
}

export interface STSResult {
  scores: Record<string, number>;
  /** Per-pair cosine similarity (sklearn), row order. */
  perItem: number[];
}

export function evaluateSTS(emb1: Matrix, emb2: Matrix, gold: ArrayLike<number>, opts: STSOptions = {}): STSResult {
  checkSameShape(emb1, emb2, 'STS');
  if (gold.length !== emb1.rows) {
    throw new MtebError('E_BAD_VALUE', `STS: ${emb1.rows} embedding pairs but ${gold.length} gold scores`, { field: 'score' });
  }
  if (gold.length < 2) throw new MtebError('E_BAD_VALUE', 'STS: need at least 2 pairs to correlate', { field: 'score' });
  for (let i = 0; i < gold.length; i++) {
    if (!Number.isFinite(gold[i])) throw new MtebError('E_BAD_VALUE', `STS: gold score ${i} is ${gold[i]}`, { field: 'score' });
  }
  const g = opts.scoreRange
    ? Float64Array.from(gold, (s) => (s - opts.scoreRange![0]) / (opts.scoreRange![1] - opts.scoreRange![0]))
    : Float64Array.from(gold);
  const fns = pairedScoreFns(opts.arithmetic);
  const cosine = fns.cosine(emb1, emb2);
  const manhattan = fns.manhattan(emb1, emb2).map((v) => -v);
  const euclidean = fns.euclidean(emb1, emb2).map((v) => -v);
  const cosinePearson = pearson(g, cosine);
  const cosineSpearman = spearman(g, cosine);
  let simPearson = cosinePearson;
  let simSpearman = cosineSpearman;
  if (opts.protocol === 'mteb-2' || opts.similarity) {
    const sim = fns.modelSimilarity(emb1, emb2, opts.similarity ?? 'cosine');
    simPearson = pearson(g, sim);
    simSpearman = spearman(g, sim);
  }
  return {
    scores: {
      pearson: simPearson,
      spearman: simSpearman,
      cosine_pearson: cosinePearson,
      cosine_spearman: cosineSpearman,
      manhattan_pearson: pearson(g, manhattan),
      manhattan_spearman: spearman(g, manhattan),
      euclidean_pearson: pearson(g, euclidean),
      euclidean_spearman: spearman(g, euclidean),
    },
    perItem: Array.from(cosine),
  };
}
