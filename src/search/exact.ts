import type { Matrix } from '../core/matrix.js';
import { MtebError } from '../core/errors.js';
import { RankedList } from './ranked-list.js';
import type { CorpusProvider, SearchBackend, SearchOptions, SearchResult } from './types.js';
import { createScoreEngine, type ScoreEngine, type EngineName } from './score-engine.js';
import { CANONICAL_SCORES, canonicalNorm, engineErrorBound } from './canonical/canonical.js';
import { acquireScorer, releaseScorer, type CanonicalScorer } from './canonical/scorer.js';

/**
 * Candidates the engine returns past k (+ excluded ids + 1): room for the documents whose engine score lies
 * within the engine's error bound below the k-th, which must be rescored too. Too few only costs a rescan of
 * the chunk's full score row (counted in the result metadata); the extra TopK slots cost next to nothing.
 */
const candidateMargin = (k: number) => 32 + Math.ceil(k / 4);

export interface ExactSearchOptions {
  /**
   * 'auto' (default): the system BLAS through FFI when one loads, else onnxruntime; 'blas', 'onnx' insist;
   * 'js': plain loops (reference, tiny inputs); or any ScoreEngine object.
   */
  engine?: EngineName | ScoreEngine;
  /** CBLAS library for the 'blas' engine (default: MTEB_TS_BLAS, then OpenBLAS/BLIS/MKL/Accelerate). */
  blasLibrary?: string;
  /** Queries scored against a chunk at once; bounds the score matrix to queryBatch x chunk rows floats. */
  queryBatch?: number;
  /** Cores the engine keeps busy: onnxruntime intra-op threads, BLAS GEMMs (two in flight per core). Default: all. */
  threads?: number;
}

/** The largest float32 value ≤ x (engines compare float32 scores with their floors). */
function f32AtMost(x: number): number {
  const f = Math.fround(x);
  if (f <= x || f !== f) return f;
  const b = new Float32Array([f]);
  const u = new Int32Array(b.buffer);
  u[0] += f > 0 ? -1 : 1; // f > x ≥ -max, so f is finite and not -0 here
  return b[0];
}

/**
 * Exact top-k by corpus chunks, merged per query, with one ranking on every machine.
 *
 * The engine (BLAS, onnxruntime, JS) only proposes candidates: its float32 scores depend on its summation
 * order, so its k-th place may differ between kernels. Each candidate whose engine score lies within the
 * engine's error bound δ (canonical/canonical.ts: a proven upper bound, never an estimate) of the k-th best is
 * rescored with the canonical score, a fixed-order float64 computation, and only canonical scores rank and
 * are returned. A document the engine scores below (k-th canonical score − δ) has a canonical score below
 * the k-th and cannot enter, whatever the engine; if the engine's candidates run out before that line, the
 * chunk's full score row is rescanned. The merged top-k is therefore the top-k of the canonical scores under
 * one total order (score desc, id desc by UTF-8, as trec_eval ranks), independent of engine, BLAS kernel,
 * thread count, chunk size and sharding.
 */
export class ExactSearch implements SearchBackend {
  readonly name = 'exact';
  private engine?: ScoreEngine;
  constructor(private readonly options: ExactSearchOptions = {}) {}

  async search(queries: Matrix, corpus: CorpusProvider, k: number, opts: SearchOptions): Promise<SearchResult> {
    if (!Number.isInteger(k) || k < 1) throw new MtebError('E_USAGE', `top-k must be a positive integer, got ${k}`);
    if (queries.rows && queries.dim !== corpus.dim) {
      throw new MtebError('E_EMBEDDING_DIM', `query vectors have dimension ${queries.dim} but corpus vectors ${corpus.dim}`);
    }
    const choice = this.options.engine ?? 'auto';
    this.engine ??= typeof choice === 'string' ? await createScoreEngine(choice, this.options.threads, this.options.blasLibrary) : choice;
    const engine = this.engine;
    const dim = corpus.dim;
    const M = queries.rows;
    const sim = opts.similarity;
    const excl = opts.excludeIds;
    let maxExcl = 0;
    if (excl) for (const s of excl) if (s && s.size > maxExcl) maxExcl = s.size;
    const best = Array.from({ length: M }, () => new RankedList(k));
    // No queries: do not pull (and so embed) the corpus at all.
    if (M === 0) return { ids: [], scores: [] };
    const qb = Math.max(1, this.options.queryBatch ?? 1024);
    const qNorms = new Float64Array(M);
    if (sim === 'dot') for (let i = 0; i < M; i++) qNorms[i] = canonicalNorm(queries.data, dim, i * dim);
    const stats = { rescored: 0, rescans: 0, rescoreSeconds: 0 };
    const t0 = performance.now();
    const candIds: string[] = [];
    let candScores = new Float64Array(0);
    let done = 0;

    const scorer = acquireScorer(this.options.threads);
    try {
      for await (const chunk of corpus.chunks()) {
        if (chunk.dim !== dim) throw new MtebError('E_EMBEDDING_DIM', `corpus chunk has dimension ${chunk.dim}, expected ${dim}`);
        const n = chunk.ids.length;
        if (n === 0) continue;
        const ids = chunk.ids;
        const kk = Math.min(n, k + maxExcl + 1 + candidateMargin(k));
        await engine.setChunk(chunk.data, n, dim, sim);
        const tn = performance.now();
        // Every query rescores at least k rows: past the chunk's own size, one copy of it beats gathering rows.
        scorer.setChunk(chunk.data, dim, sim, M * k > n);
        const docNorm = sim === 'cosine' ? 1 : scorer.maxRowNorm();
        stats.rescoreSeconds += (performance.now() - tn) / 1000;
        for (let qs = 0; qs < M; qs += qb) {
          const qe = Math.min(M, qs + qb);
          const m = qe - qs;
          const qSlice = queries.data.subarray(qs * dim, qe * dim);
          const delta = new Float64Array(m);
          // Below (k-th canonical − δ) no engine score can belong to a document that enters the top k.
          const floors = new Float32Array(m);
          for (let i = 0; i < m; i++) {
            const d = engineErrorBound(dim, sim, qNorms[qs + i], docNorm);
            delta[i] = Number.isFinite(d) ? d : Infinity;
            floors[i] = f32AtMost(best[qs + i].floor() - delta[i]);
          }
          const { values, indices } = await engine.topk(qSlice, m, kk, floors);
          const tr = performance.now();
          const cand = await this.rescore(scorer, { qSlice, m, k, kk, n, values, indices, ids, delta, best: best.slice(qs, qe), excl: excl?.slice(qs, qe), engine, stats });
          stats.rescoreSeconds += (performance.now() - tr) / 1000;
          for (let i = 0; i < m; i++) {
            const { rows, canon, count, sorted } = cand[i];
            if (candScores.length < count) candScores = new Float64Array(Math.max(count, 2 * candScores.length));
            for (let c = 0; c < count; c++) {
              candIds[c] = ids[rows[c]];
              candScores[c] = canon[c];
            }
            sortByScore(candIds, candScores, count, sorted);
            best[qs + i].merge(candIds, candScores, count);
          }
        }
        done += n;
        opts.onProgress?.(done);
      }
    } finally {
      await releaseScorer(scorer);
    }
    return {
      ids: best.map((b) => b.ids),
      scores: best.map((b) => b.scores),
      // Scores are the canonical ones whatever the engine: the engine is a diagnostic, not a result fact.
      meta: { search: 'exact', search_scores: CANONICAL_SCORES },
      diagnostics: {
        engine: engine.name,
        ...(engine.description ? { engineDetail: engine.description } : {}),
        rescored: stats.rescored,
        fullRowRescans: stats.rescans,
        // rescore: the row-norm bound (dot), canonical rescoring and sorting of candidates (rescans included).
        seconds: { total: (performance.now() - t0) / 1000, rescore: stats.rescoreSeconds },
      },
    };
  }

  /**
   * The candidates of one query batch from one chunk, rescored: per query, the best k proposals (engine
   * order), then every further proposal down to the line (a lower bound of the k-th canonical score, minus δ);
   * a query whose proposals run out above the line gets its chunk's full score row scanned instead. Each
   * phase is one batch for the scorer (worker threads share it when large).
   */
  private async rescore(
    scorer: CanonicalScorer,
    b: {
      qSlice: Float32Array;
      m: number;
      k: number;
      kk: number;
      n: number;
      values: Float32Array;
      indices: ArrayLike<number | bigint>;
      ids: string[];
      delta: Float64Array;
      best: RankedList[];
      excl?: ReadonlyArray<ReadonlySet<string> | undefined>;
      engine: ScoreEngine;
      stats: { rescored: number; rescans: number };
    },
  ): Promise<{ rows: Int32Array; canon: Float32Array; count: number; sorted: boolean }[]> {
    const { m, k, kk, n, values, indices, ids, delta } = b;
    const rows = new Int32Array(m * kk);
    const canon = new Float32Array(m * kk);
    const starts = Int32Array.from({ length: m }, (_, i) => i * kk);
    const counts = new Int32Array(m);
    const next = new Int32Array(m);
    // Phase 1: the best k proposals of each query.
    for (let i = 0; i < m; i++) {
      const ex = b.excl?.[i];
      const base = i * kk;
      let count = 0;
      let r = 0;
      for (; r < kk && count < k; r++) {
        const j = Number(indices[base + r]);
        if (j < 0) break;
        if (!ex?.has(ids[j])) rows[base + count++] = j;
      }
      counts[i] = count;
      next[i] = r;
    }
    await scorer.scoreBatch(b.qSlice, m, rows, starts, counts, canon);
    // Phase 2: further proposals down to each query's line.
    const line = new Float64Array(m);
    const first = new Int32Array(m);
    const more = new Int32Array(m);
    const rescan: number[] = [];
    for (let i = 0; i < m; i++) {
      const ex = b.excl?.[i];
      const base = i * kk;
      // The k-th best canonical score can only be above the list's k-th and above the least of k new ones.
      let l = b.best[i].floor();
      if (counts[i] >= k) {
        let least = Infinity;
        for (let c = 0; c < counts[i]; c++) if (canon[base + c] < least) least = canon[base + c];
        if (least > l) l = least;
      }
      line[i] = l;
      let count = counts[i];
      first[i] = count;
      let r = next[i];
      let exhausted = true;
      for (; r < kk; r++) {
        const j = Number(indices[base + r]);
        if (j < 0) break;
        if (values[base + r] < l - delta[i]) {
          exhausted = false;
          break;
        }
        if (!ex?.has(ids[j])) rows[base + count++] = j;
      }
      more[i] = count - first[i];
      counts[i] = count;
      // Proposals ran out above the line and the chunk has more: the rest of the row may hold more.
      if (exhausted && r === kk && kk < n) rescan.push(i);
    }
    await scorer.scoreBatch(b.qSlice, m, rows, Int32Array.from(starts, (s, i) => s + first[i]), more, canon);
    const out = Array.from({ length: m }, (_, i) => ({ rows: rows.subarray(i * kk, i * kk + counts[i]), canon: canon.subarray(i * kk, i * kk + counts[i]), count: counts[i], sorted: true }));
    if (rescan.length) {
      const full = await b.engine.scores(b.qSlice, m);
      for (const i of rescan) {
        const ex = b.excl?.[i];
        const row = full.subarray(i * n, (i + 1) * n);
        const cut = line[i] - delta[i];
        const all: number[] = [];
        for (let j = 0; j < n; j++) if (!(row[j] < cut) && !ex?.has(ids[j])) all.push(j);
        const r = Int32Array.from(all);
        const c = new Float32Array(r.length);
        const dim = b.qSlice.length / m;
        await scorer.scoreBatch(b.qSlice.subarray(i * dim, (i + 1) * dim), 1, r, Int32Array.of(0), Int32Array.of(r.length), c);
        out[i] = { rows: r, canon: c, count: r.length, sorted: false };
        b.stats.rescans++;
      }
    }
    for (const o of out) b.stats.rescored += o.count;
    return out;
  }

  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
  }
}

/**
 * Sorts candidates by score descending (equal scores in any order: RankedList.merge orders those by id).
 * Candidates in engine order are nearly sorted already (only near-ties swap), where insertion sort is linear.
 */
function sortByScore(ids: string[], scores: Float64Array, count: number, nearlySorted: boolean): void {
  if (!nearlySorted && count > 64) {
    const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
    const idsCopy = order.map((o) => ids[o]);
    const sc = order.map((o) => scores[o]);
    for (let c = 0; c < count; c++) {
      ids[c] = idsCopy[c];
      scores[c] = sc[c];
    }
    return;
  }
  for (let a = 1; a < count; a++) {
    const s = scores[a];
    if (!(s > scores[a - 1])) continue;
    const id = ids[a];
    let b = a - 1;
    while (b >= 0 && scores[b] < s) {
      scores[b + 1] = scores[b];
      ids[b + 1] = ids[b];
      b--;
    }
    scores[b + 1] = s;
    ids[b + 1] = id;
  }
}
