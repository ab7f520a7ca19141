/**
 * mteb's own MRR@k (not a trec_eval measure). Rank of the first doc with qrels score > 0 is counted
 * directly rather than by sorting the run; scores are compared as Python floats (doubles, not float32).
 *
 * - 'stable' (mteb 1.x `utils.py: mrr`): `sorted(..., key=score, reverse=True)` — stable, so tied docs keep
 *   the run's insertion order.
 * - 'docid' (mteb 2.x `retrieval_metrics.py: mrr`): key `(score, doc_id)` reversed — ties by doc id
 *   descending in code point order.
 */
import { compareCodePoints } from './order.js';

export type MrrTieBreak = 'stable' | 'docid';

/** 1-based rank of the first relevant doc in mteb's order, or 0 if none is relevant. */
export function firstRelevantRank(
  docIds: string[],
  scores: Float64Array | number[],
  rels: Map<string, number> | undefined,
  tie: MrrTieBreak,
): number {
  if (!rels || rels.size === 0) return 0;
  const n = docIds.length;
  let best = -1;
  for (let i = 0; i < n; i++) {
    const r = rels.get(docIds[i]);
    if (r === undefined || !(r > 0)) continue;
    if (best < 0) {
      best = i;
      continue;
    }
    const s = scores[i];
    const sb = scores[best];
    if (tie === 'stable') {
      if (s > sb) best = i; // equal score: the earlier one (best) stays first
    } else if (s > sb || (s === sb && compareCodePoints(docIds[i], docIds[best]) > 0)) best = i;
  }
  if (best < 0) return 0;
  const sb = scores[best];
  const idb = docIds[best];
  let before = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (s > sb) before++;
    else if (s === sb && i !== best) {
      if (tie === 'stable' ? i < best : compareCodePoints(docIds[i], idb) > 0) before++;
    }
  }
  return before + 1;
}

/** mteb's per-query value for cutoff k: 1/rank within the top k, else 0. */
export function reciprocalRankAt(rank: number, k: number): number {
  return rank > 0 && rank <= k ? 1.0 / rank : 0;
}
