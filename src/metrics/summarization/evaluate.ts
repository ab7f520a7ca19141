/**
 * Summarization (SummEval) as mteb's SummarizationEvaluator (1.39.7 and HEAD, same logic):
 * each machine summary is scored by its max cosine (torch-style `cos_sim`), max dot and max model
 * similarity over its document's human summaries; per document, Spearman and Pearson against the human
 * relevance scores; a document is skipped when its relevance scores, its dot scores or its cosine scores
 * are all equal (the model-similarity scores are not checked).
 * - 'legacy' (task `SummEval`, `DeprecatedSummarizationEvaluator`): mteb takes np.mean over the list of
 *   scipy result tuples, i.e. (mean statistic + mean p-value) / 2 — the value every leaderboard shows.
 * - 'fixed' (`SummEvalSummarization.v2`): mean statistic.
 * Keys `pearson, spearman, cosine_spearman, cosine_pearson, dot_spearman, dot_pearson` (1.39.7 order; HEAD
 * writes dot_pearson before dot_spearman).
 */
import type { Matrix } from '../../core/matrix.js';
import type { Protocol } from '../../core/protocol.js';
import { MtebError } from '../../core/errors.js';
import { pearsonr, spearmanr, type CorrelationResult } from '../stats/correlation.js';
import { similarityMatrix, type SimilarityFn } from '../stats/paired.js';
import { numpySum64 } from '../numeric/numpy-sum.js';

export interface SummarizationDoc {
  human: Matrix;
  machine: Matrix;
  relevance: ArrayLike<number>;
}

export interface SummarizationOptions {
  variant: 'legacy' | 'fixed';
  /** Only changes the key order of the result ('mteb-2': dot_pearson before dot_spearman). */
  protocol?: Protocol;
  /** Model similarity for `pearson`/`spearman` (default cosine, which reuses the cosine predictions). */
  similarity?: SimilarityFn;
  /** mteb normalises relevance to (r − min)/(max − min), 0..5 for SummEval. */
  relevanceRange?: [number, number];
}

export interface SummarizationResult {
  scores: Record<string, number>;
  /** Per document cosine Spearman statistic; NaN for skipped documents. */
  perItem: number[];
  /** Indices of the documents mteb skips. */
  skipped: number[];
}

function maxPerRow(sim: Float64Array, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    let m = sim[i * cols];
    for (let j = 1; j < cols; j++) {
      const v = sim[i * cols + j];
      // torch.max propagates NaN
      if (v > m || Number.isNaN(v)) m = v;
      if (Number.isNaN(m)) break;
    }
    out.push(m);
  }
  return out;
}

function allEqual(v: number[]): boolean {
  return new Set(v).size === 1;
}

const METRICS = ['pearson', 'spearman', 'cosine_spearman', 'cosine_pearson', 'dot_spearman', 'dot_pearson'] as const;
type Metric = (typeof METRICS)[number];

export function evaluateSummarization(docs: SummarizationDoc[], opts: SummarizationOptions): SummarizationResult {
  const results: Record<Metric, CorrelationResult[]> = {
    pearson: [],
    spearman: [],
    cosine_spearman: [],
    cosine_pearson: [],
    dot_spearman: [],
    dot_pearson: [],
  };
  const perItem: number[] = [];
  const skipped: number[] = [];
  docs.forEach((doc, i) => {
    if (doc.relevance.length !== doc.machine.rows) {
      throw new MtebError(
        'E_BAD_VALUE',
        `summarization document ${i}: ${doc.machine.rows} machine summaries but ${doc.relevance.length} relevance scores`,
        { field: 'relevance' },
      );
    }
    if (doc.machine.rows === 0) {
      // scipy's pearsonr raises on empty input, so mteb fails here too.
      throw new MtebError('E_BAD_VALUE', `summarization document ${i}: no machine summaries`, { field: 'machine_summaries' });
    }
    if (doc.human.rows === 0) {
      throw new MtebError('E_BAD_VALUE', `summarization document ${i}: no human summaries`, { field: 'human_summaries' });
    }
    const range = opts.relevanceRange;
    const human = Array.from(doc.relevance, (r) => (range ? (r - range[0]) / (range[1] - range[0]) : r));
    const m = doc.machine.rows;
    const h = doc.human.rows;
    const cosine = maxPerRow(similarityMatrix(doc.machine, doc.human, 'cosine'), m, h);
    const dot = maxPerRow(similarityMatrix(doc.machine, doc.human, 'dot'), m, h);
    const fn = opts.similarity ?? 'cosine';
    const sim = fn === 'cosine' ? cosine : fn === 'dot' ? dot : maxPerRow(similarityMatrix(doc.machine, doc.human, fn), m, h);
    if (allEqual(human) || allEqual(dot) || allEqual(cosine)) {
      skipped.push(i);
      perItem.push(NaN);
      return;
    }
    const cs = spearmanr(human, cosine);
    results.cosine_spearman.push(cs);
    results.cosine_pearson.push(pearsonr(human, cosine));
    results.dot_spearman.push(spearmanr(human, dot));
    results.dot_pearson.push(pearsonr(human, dot));
    results.spearman.push(spearmanr(human, sim));
    results.pearson.push(pearsonr(human, sim));
    perItem.push(cs.statistic);
  });
  const scores: Record<string, number> = {};
  const order: readonly Metric[] =
    opts.protocol === 'mteb-2'
      ? ['pearson', 'spearman', 'cosine_spearman', 'cosine_pearson', 'dot_pearson', 'dot_spearman']
      : METRICS;
  for (const k of order) {
    const rs = results[k];
    // np.mean of an empty list is NaN; the legacy mean runs over the flattened (statistic, pvalue) pairs.
    const values = opts.variant === 'legacy' ? rs.flatMap((r) => [r.statistic, r.pvalue]) : rs.map((r) => r.statistic);
    scores[k] = values.length === 0 ? NaN : numpySum64(values) / values.length;
  }
  return { scores, perItem, skipped };
}
