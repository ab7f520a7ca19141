/**
 * BitextMining as mteb's BitextMiningEvaluator (1.39.7 and HEAD): for each sentence1 the nearest sentence2
 * by (model) similarity — torch-style cosine by default — is the prediction; the gold target is its own row
 * index unless `gold` says otherwise. Scores: sklearn weighted precision/recall/F1 (zero_division 0) and
 * accuracy. Ties resolve as torch.topk(k=1) does on CPU (see stats/torch-topk.ts: the lowest index once the
 * corpus has ≥ 64 rows, value-dependent below), per corpus chunk of 500 000 rows, the earliest chunk winning
 * ties between chunks (mteb sorts the per-chunk hits stably by score). Main score `f1`.
 */
import type { Matrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { similarityMatrix, type SimilarityFn } from '../stats/paired.js';
import { weightedPrecisionRecallF1 } from '../stats/weighted-prf.js';
import { torchTop1Index } from '../stats/torch-topk.js';
import { ExactSearch } from '../../search/exact.js';
import { matrixCorpus } from '../../search/corpus.js';
import { exactTop1, type Top1Options } from '../../search/top1.js';

export interface BitextOptions {
  similarity?: SimilarityFn;
  /** gold[i] = index in emb2 of sentence1[i]'s translation (mteb's `gold` column, second element). */
  gold?: ArrayLike<number>;
}

export interface BitextResult {
  scores: Record<string, number>;
  /** Per sentence1: 1 if its nearest neighbour is the gold one, else 0. */
  perItem: number[];
  predictions: number[];
}

// Bounded work per block keeps memory flat for large corpora.
const QUERY_BLOCK = 256;
// mteb's corpus_chunk_size: topk runs per chunk, so ties across chunks go to the earlier chunk.
const CORPUS_CHUNK = 500_000;

// torch.topk's tie rule is "the lowest index" from 64 values on (value-dependent below), which is the order exact
// search gives when ids sort descending as indices ascend.
const SEARCH_FROM_ROWS = 64;

/**
 * Each sentence1's nearest sentence2 (its row index). From 64 sentence2 rows on, with cosine or dot similarity,
 * exact search's top-1 decides (src/search/top1.ts: BLAS GEMM tiles or an engine's candidates, every near-tie
 * settled by the canonical fixed-order score), so the prediction is the same on every machine and fast at
 * Tatoeba / BUCC sizes; exact ties go to the lowest index, as torch.topk does there. Smaller sets, and other
 * similarity functions, use the direct torch-style scan below (its value-dependent tie order reproduced).
 * `engine`: an ExactSearch to run instead (the search's own top-1; same predictions), or exactTop1's options
 * (engine, threads).
 */
export async function nearestNeighbours(emb1: Matrix, emb2: Matrix, fn: SimilarityFn = 'cosine', engine?: ExactSearch | Top1Options): Promise<number[]> {
  if (emb2.rows === 0) throw new MtebError('E_BAD_VALUE', 'bitext mining: no sentence2 rows to search');
  if (emb2.rows >= SEARCH_FROM_ROWS && (fn === 'cosine' || fn === 'dot') && emb1.rows > 0) return searchNearest(emb1, emb2, fn, engine);
  return scanNearest(emb1, emb2, fn);
}

async function searchNearest(emb1: Matrix, emb2: Matrix, fn: 'cosine' | 'dot', given?: ExactSearch | Top1Options): Promise<number[]> {
  if (!(given instanceof ExactSearch)) return Array.from(await exactTop1(emb1, emb2, fn, given));
  const n = emb2.rows;
  const width = String(n - 1).length;
  // id(j) descends as j ascends, so the search's tie order (id descending) is torch's lowest index.
  const ids = Array.from({ length: n }, (_, j) => String(n - 1 - j).padStart(width, '0'));
  const res = await given.search(emb1, matrixCorpus(ids, emb2), 1, { similarity: fn });
  return res.ids.map((r) => n - 1 - Number(r[0]));
}

function scanNearest(emb1: Matrix, emb2: Matrix, fn: SimilarityFn): number[] {
  const out: number[] = [];
  for (let start = 0; start < emb1.rows; start += QUERY_BLOCK) {
    const rows = Math.min(QUERY_BLOCK, emb1.rows - start);
    const block = { rows, dim: emb1.dim, data: emb1.data.subarray(start * emb1.dim, (start + rows) * emb1.dim) };
    const sim = similarityMatrix(block, emb2, fn);
    for (let i = 0; i < rows; i++) {
      let best = -1;
      let bestScore = -Infinity;
      for (let c = 0; c < emb2.rows; c += CORPUS_CHUNK) {
        const len = Math.min(CORPUS_CHUNK, emb2.rows - c);
        const j = c + torchTop1Index(sim, i * emb2.rows + c, len);
        const v = sim[i * emb2.rows + j];
        if (best < 0 || v > bestScore) {
          best = j;
          bestScore = v;
        }
      }
      out.push(best);
    }
  }
  return out;
}

export async function evaluateBitextMining(emb1: Matrix, emb2: Matrix, opts: BitextOptions = {}): Promise<BitextResult> {
  if (emb1.dim !== emb2.dim) {
    throw new MtebError('E_EMBEDDING_DIM', `bitext mining: embedding dimensions differ (${emb1.dim} vs ${emb2.dim})`);
  }
  const gold = opts.gold ? Array.from(opts.gold) : Array.from({ length: emb1.rows }, (_, i) => i);
  if (gold.length !== emb1.rows) {
    throw new MtebError('E_BAD_VALUE', `bitext mining: ${emb1.rows} sentences but ${gold.length} gold entries`, { field: 'gold' });
  }
  if (!opts.gold && emb2.rows < emb1.rows) {
    throw new MtebError('E_BAD_VALUE', `bitext mining: ${emb1.rows} sentence1 rows but only ${emb2.rows} sentence2 rows`, {
      field: 'sentence2',
    });
  }
  const predictions = await nearestNeighbours(emb1, emb2, opts.similarity ?? 'cosine');
  const prf = weightedPrecisionRecallF1(gold, predictions);
  return {
    scores: { precision: prf.precision, recall: prf.recall, f1: prf.f1, accuracy: prf.accuracy },
    perItem: predictions.map((p, i) => (p === gold[i] ? 1 : 0)),
    predictions,
  };
}
