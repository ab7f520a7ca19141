/**
 * Per-query trec_eval 9.0.8 measures ndcg_cut, map_cut, recall, P and success at cutoffs, with the exact
 * arithmetic of m_ndcg_cut.c, m_map_cut.c, m_recall.c, m_P.c and m_success.c (relevance_level 1).
 *
 * Instead of sorting the whole run, only the retrieved relevant docs are ordered and each one's rank is
 * counted (1 + number of docs that trec_eval's order puts before it); every measure at every cutoff is a
 * function of those ranks. Sums are accumulated in rank order, as trec_eval does, so values are identical.
 */
import { glibcLog2 } from './log2.js';
import { trecPrecedes, trecSim } from './order.js';

/** Metric slots per cutoff in the output array: out[m * nk + ki]. */
export const NDCG = 0;
export const MAP = 1;
export const RECALL = 2;
export const PREC = 3;
export const SUCCESS = 4;
export const N_TREC_METRICS = 5;

/** Cutoffs prepared once: ascending copy plus where each ascending cutoff sits in the caller's order. */
export interface Cutoffs {
  /** As given (defines key order). */
  k: number[];
  asc: number[];
  /** ascPos[j] = index in `k` of asc[j]. */
  ascPos: number[];
}

export function prepareCutoffs(k: number[]): Cutoffs {
  const order = k.map((_, i) => i).sort((a, b) => k[a] - k[b]);
  return { k: k.slice(), asc: order.map((i) => k[i]), ascPos: order };
}

/** Reused buffers: the evaluator calls this once per query, so avoid per-call allocation. */
export class TrecScratch {
  pos: Int32Array = new Int32Array(64);
  sims: Float64Array = new Float64Array(64);
  cnt: Int32Array = new Int32Array(65);
  gains: Float64Array = new Float64Array(64);
  /** flags[i] = 1 if run doc i is relevant. */
  flags: Uint8Array = new Uint8Array(1024);
  /**
   * Makes room for m retrieved relevant docs. Called while `pos` is being filled, so the filled prefix must
   * survive: a grow that dropped it scored every query with more than 64 relevant docs retrieved wrongly.
   * `sims` and `cnt` are written only after `pos` is complete, but are copied too so no caller can rely on
   * which arrays hold live data.
   */
  grow(m: number): void {
    if (m <= this.pos.length) return;
    let n = this.pos.length;
    while (n < m) n *= 2;
    this.pos = grownCopy(this.pos, new Int32Array(n));
    this.sims = grownCopy(this.sims, new Float64Array(n));
    this.cnt = grownCopy(this.cnt, new Int32Array(n + 1));
  }
  /** flags are rewritten for every run doc before use, so no copy is needed. */
  growFlags(n: number): void {
    if (n > this.flags.length) this.flags = new Uint8Array(Math.max(n, this.flags.length * 2));
  }
  /** gains are rewritten for every judged doc before use, so no copy is needed. */
  growGains(m: number): void {
    if (m <= this.gains.length) return;
    let n = this.gains.length;
    while (n < m) n *= 2;
    this.gains = new Float64Array(n);
  }
}

function grownCopy<T extends Int32Array | Float64Array>(old: T, grown: T): T {
  grown.set(old as never);
  return grown;
}

/**
 * Fill out[0 .. N_TREC_METRICS * nk) for one query. An empty `rels`, or one without a grade >= 1, gives 0 for every
 * measure: what trec_eval prints for a query with num_rel = 0 (pytrec_eval's own values for an empty qrels entry
 * are undefined, so 0 is the definition's value).
 *
 * Relevance is trec_eval's default relevance_level 1 (pytrec_eval's, as mteb calls it): grade >= 1 counts for
 * P/recall/map/success, and ndcg's gains are the grades > 0 (trec_eval's ndcg_cut ignores -l anyway). Negative grades
 * are judged non-relevant. Other relevance levels are not supported (tests/metrics/retrieval/trec-eval-suite.test.ts).
 *
 * Buffers: `scratch.pos/sims/cnt` may grow while `pos` is filled, so they are read through `scratch` until the
 * last grow and only then cached in locals; every buffer is either copied on growth or fully rewritten (flags,
 * gains) / zeroed (cnt) for each query before it is read, so nothing carries over from a previous query.
 */
export function trecQueryMetrics(
  docIds: string[],
  scores: Float64Array | number[],
  rels: Map<string, number>,
  cut: Cutoffs,
  scratch: TrecScratch,
  out: Float64Array,
): void {
  const nk = cut.k.length;
  out.fill(0, 0, N_TREC_METRICS * nk);
  const n = docIds.length;

  // num_rel (rel >= 1) and the ideal gains (rel > 0; identical sets for integer relevance).
  let numRel = 0;
  scratch.growGains(rels.size);
  const gains = scratch.gains;
  for (const r of rels.values()) if (r >= 1) gains[numRel++] = r;

  // Retrieved relevant docs.
  let m = 0;
  scratch.growFlags(n);
  const flags = scratch.flags;
  for (let i = 0; i < n; i++) {
    const r = rels.get(docIds[i]);
    if (r !== undefined && r >= 1) {
      scratch.grow(m + 1);
      scratch.pos[m++] = i;
      flags[i] = 1;
    } else flags[i] = 0;
  }
  if (m === 0) return; // every measure is 0 (ndcg: DCG 0; map/recall: 0 or num_rel == 0)

  const pos = scratch.pos;
  const sims = scratch.sims;
  // Order the relevant docs (insertion sort: m is small, usually 1–10).
  for (let a = 0; a < m; a++) {
    const ia = pos[a];
    const sa = trecSim(scores[ia]);
    let b = a - 1;
    while (b >= 0 && trecPrecedes(sa, docIds[ia], sims[b], docIds[pos[b]])) {
      pos[b + 1] = pos[b];
      sims[b + 1] = sims[b];
      b--;
    }
    pos[b + 1] = ia;
    sims[b + 1] = sa;
  }

  // cnt[j] = number of non-relevant docs placed between relevant doc j-1 and j.
  const cnt = scratch.cnt;
  cnt.fill(0, 0, m + 1);
  const lastSim = sims[m - 1];
  for (let i = 0; i < n; i++) {
    if (flags[i]) continue;
    const s = trecSim(scores[i]);
    // Docs below the last relevant doc cannot move any relevant rank (the common case: one comparison).
    if (s < lastSim) continue;
    const id = docIds[i];
    // first j with doc i before relevant doc j
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (trecPrecedes(s, id, sims[mid], docIds[pos[mid]])) hi = mid;
      else lo = mid + 1;
    }
    cnt[lo]++;
  }

  // Walk relevant docs in rank order, closing cutoffs as ranks pass them.
  const asc = cut.asc;
  const ascPos = cut.ascPos;
  let dcg = 0;
  let apSum = 0;
  let before = 0;
  let ci = 0;
  const closeCutoff = (found: number) => {
    const k = asc[ci];
    const o = ascPos[ci];
    out[NDCG * nk + o] = dcg;
    out[MAP * nk + o] = numRel ? apSum / numRel : 0;
    out[RECALL * nk + o] = numRel ? found / numRel : 0;
    out[PREC * nk + o] = found / k;
    out[SUCCESS * nk + o] = found ? 1 : 0;
    ci++;
  };
  for (let j = 0; j < m; j++) {
    before += cnt[j];
    const rank = before + j + 1;
    while (ci < asc.length && asc[ci] < rank) closeCutoff(j);
    if (ci === asc.length) break;
    const gain = rels.get(docIds[pos[j]]) as number;
    dcg += gain / glibcLog2(rank + 1);
    apSum += (j + 1) / rank;
  }
  // Cutoffs at or beyond the last relevant doc's rank see all m of them.
  while (ci < asc.length) closeCutoff(m);

  // Ideal DCG from the judged gains in descending order, normalising each cutoff's DCG.
  const g = gains.subarray(0, numRel).sort().reverse();
  let ideal = 0;
  let gi = 0;
  for (let c = 0; c < asc.length; c++) {
    const k = asc[c];
    while (gi < numRel && gi < k) {
      ideal += g[gi] / glibcLog2(gi + 2);
      gi++;
    }
    const o = NDCG * nk + ascPos[c];
    if (ideal > 0) out[o] /= ideal;
  }
}
