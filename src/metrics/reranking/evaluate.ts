/**
 * Legacy reranking as mteb 1.x `RerankingEvaluator` (read at 1.39.7), used by MTEB(eng, v1)'s four
 * reranking tasks. Per row: scores of the candidates [positives..., negatives...] against the query
 * (torch-style cosine unless the model has its own similarity; a multi-row query takes the max over its
 * sub-queries, as `torch.amax(dim=0)`), then
 * - ap = sklearn average_precision_score(is_relevant, scores),
 * - mrr = 1/(rank+1) of the first relevant doc within the first 10 of the ranking, else 0,
 * - recall_at_10 = relevant docs in the first 10 / positives.
 * The ranking reproduces torch.argsort(−scores) on CPU, including its unstable order of exactly tied
 * scores (stats/torch-sort.ts); AP is tie-exact by construction (sklearn groups ties).
 * Rows with no positive or no negative are dropped, as mteb drops them before scoring.
 * Output (1.39.7 key order): map, mrr, recall_at_10, nAUC_{map,mrr,recall_at_10}_{max,std,diff1}.
 * 1.12.0–1.12.7 wrote only map and mrr; 1.12.8–1.38 added the nAUC_map and nAUC_mrr keys; 1.39.0 added recall_at_10.
 */
import type { Matrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { averagePrecisionScore } from '../stats/average-precision.js';
import { torchArgsortDesc } from '../stats/torch-sort.js';
import { numpySum64 } from '../numeric/numpy-sum.js';
import { similarityMatrix, type SimilarityFn } from '../stats/paired.js';
import { confidenceScores, nAUCScores, type ConfidenceScores } from '../stats/nauc.js';

export interface RerankingRow {
  /** One row per (sub-)query; MindSmall rows have several. */
  query: Matrix;
  positive: Matrix;
  negative: Matrix;
}

export interface RerankingLegacyOptions {
  similarity?: SimilarityFn;
  /** mteb's mrr_at_k (also the recall cut-off); 10 in every task. */
  k?: number;
}

export interface RerankingLegacyResult {
  scores: Record<string, number>;
  /** AP per evaluated row (rows with empty positive or negative are absent). */
  perItem: number[];
  /** Indices (into the input rows) of the evaluated rows, aligned with perItem. */
  rowIndex: number[];
  perItemMetrics: { map: number[]; mrr: number[]; recall: number[] };
}

function concatRows(a: Matrix, b: Matrix): Matrix {
  const data = new Float32Array((a.rows + b.rows) * a.dim);
  data.set(a.data.subarray(0, a.rows * a.dim), 0);
  data.set(b.data.subarray(0, b.rows * b.dim), a.rows * a.dim);
  return { rows: a.rows + b.rows, dim: a.dim, data };
}

/** Candidate scores of one row: max over sub-queries of the similarity to each candidate. */
export function rerankingRowScores(query: Matrix, docs: Matrix, fn: SimilarityFn): Float64Array {
  const sim = similarityMatrix(query, docs, fn);
  const out = new Float64Array(docs.rows);
  for (let j = 0; j < docs.rows; j++) {
    let m = sim[j];
    for (let q = 1; q < query.rows; q++) {
      const v = sim[q * docs.rows + j];
      if (v > m || Number.isNaN(v)) m = v;
    }
    out[j] = m;
  }
  return out;
}

export function evaluateRerankingLegacy(rows: RerankingRow[], opts: RerankingLegacyOptions = {}): RerankingLegacyResult {
  const k = opts.k ?? 10;
  const fn = opts.similarity ?? 'cosine';
  const map: number[] = [];
  const mrr: number[] = [];
  const recall: number[] = [];
  const conf: ConfidenceScores[] = [];
  const rowIndex: number[] = [];
  rows.forEach((row, r) => {
    if (row.positive.rows === 0 || row.negative.rows === 0) return;
    if (row.query.rows === 0) {
      // torch.amax over an empty sub-query set raises in mteb as well.
      throw new MtebError('E_BAD_VALUE', `reranking row ${r}: query has no (sub-)query embeddings`, { field: 'query' });
    }
    if (row.positive.dim !== row.query.dim || row.negative.dim !== row.query.dim) {
      throw new MtebError('E_EMBEDDING_DIM', `reranking row ${r}: query, positive and negative dimensions differ`);
    }
    const docs = concatRows(row.positive, row.negative);
    const scores = rerankingRowScores(row.query, docs, fn);
    const isRelevant = Array.from({ length: docs.rows }, (_, i) => (i < row.positive.rows ? 1 : 0));
    const ranking = torchArgsortDesc(scores);
    let rr = 0;
    let found = 0;
    for (let rank = 0; rank < Math.min(k, ranking.length); rank++) {
      if (isRelevant[ranking[rank]]) {
        if (rr === 0) rr = 1 / (rank + 1);
        found++;
      }
    }
    map.push(averagePrecisionScore(isRelevant, scores));
    mrr.push(rr);
    recall.push(found / row.positive.rows);
    conf.push(confidenceScores(scores));
    rowIndex.push(r);
  });
  if (map.length === 0) {
    throw new MtebError('E_BAD_VALUE', 'reranking: no row has both a positive and a negative candidate');
  }
  const mean = (v: number[]): number => numpySum64(v) / v.length;
  const scores: Record<string, number> = {
    map: mean(map),
    mrr: mean(mrr),
    [`recall_at_${k}`]: mean(recall),
    ...nAUCScores(conf, map, 'map'),
    ...nAUCScores(conf, mrr, 'mrr'),
    ...nAUCScores(conf, recall, `recall_at_${k}`),
  };
  return { scores, perItem: map, rowIndex, perItemMetrics: { map, mrr, recall } };
}
