/**
 * Exact top-1 DECISIONS (which corpus row is each query's nearest), for callers that need the index only
 * (bitext mining writes accuracy and F1, never a score). The answer is exact search's top-1 (src/search/exact.ts):
 * the row with the highest canonical score (canonical/canonical.ts), exact ties to the lowest row; so it is the
 * same on every machine, engine, BLAS kernel and thread count.
 *
 * With the system BLAS ('auto', 'blas'), top1-blas.ts's GEMM scan decides first: straight from SGEMM tiles of
 * the raw vectors, every query whose winner leads by more than the proven error bound. The queries it leaves
 * open (or all, without a BLAS) take the engine path below.
 *
 * The engine path does for a decision what exact search does for a ranking, with less work: the engine
 * proposes each query's few best rows per corpus chunk; every row whose engine score lies below the best engine score
 * minus 2δ (δ: the engine's proven error bound, canonical.ts `engineErrorBound`) has a canonical score below the
 * best row's, so it cannot win. A query with one row left is decided by the engine's float32 scores alone: no
 * canonical rescoring, no ranked lists, no ids. Only queries with several rows within 2δ (near-ties, duplicated
 * rows) are rescored canonically, and those whose proposals were all within 2δ (more such rows may exist) go
 * through exact search itself.
 */
import type { Matrix } from '../core/matrix.js';
import { MtebError, isMtebError } from '../core/errors.js';
import { engineErrorBound, maxRowNorm } from './canonical/canonical.js';
import { acquireScorer, releaseScorer } from './canonical/scorer.js';
import { createScoreEngine, type EngineName, type ScoreEngine } from './score-engine.js';
import { ExactSearch } from './exact.js';
import { matrixCorpus, DEFAULT_CHUNK_ROWS } from './corpus.js';
import { scanTop1, type ScanDecisions } from './top1-blas.js';

export interface Top1Options {
  /**
   * As ExactSearchOptions.engine: 'auto' (default; the plain-JS engine when no native one is installed), a name,
   * or an engine object (the caller's: not closed here).
   */
  engine?: EngineName | ScoreEngine;
  /** Cores the engine and the canonical rescoring use (default: all). */
  threads?: number;
  /** Corpus rows scored per engine call (default: exact search's chunk, 50,000). */
  chunkRows?: number;
  /** Filled with how the queries were decided (tests, profiling). */
  diagnostics?: Top1Diagnostics;
}

/**
 * Queries decided by the BLAS GEMM scan (top1-blas.ts), by the engine's scores alone, by canonical rescoring of
 * near-tied rows, by exact search.
 */
export interface Top1Diagnostics {
  scanned?: number;
  decided: number;
  rescored: number;
  searched: number;
}

/**
 * Proposals asked per query and chunk. Two would decide most queries (the winner and the row that proves it
 * wins); a few more let small groups of near-tied rows (duplicated sentences) be rescored here instead of
 * through a second, full exact search.
 */
const PROPOSALS = 4;

/** The largest float32 value ≤ x (engines compare float32 scores with their floors; as exact.ts). */
function f32AtMost(x: number): number {
  const f = Math.fround(x);
  if (f <= x || f !== f) return f;
  const b = new Float32Array([f]);
  const u = new Int32Array(b.buffer);
  u[0] += f > 0 ? -1 : 1;
  return b[0];
}

/** Each query's nearest corpus row (see the module comment): exact search's top-1, decided with less work. */
export async function exactTop1(queries: Matrix, corpus: Matrix, similarity: 'cosine' | 'dot', opts: Top1Options = {}): Promise<Int32Array> {
  if (queries.rows && queries.dim !== corpus.dim) {
    throw new MtebError('E_EMBEDDING_DIM', `query vectors have dimension ${queries.dim} but corpus vectors ${corpus.dim}`);
  }
  const choice = opts.engine ?? 'auto';
  // With the system BLAS ('auto', 'blas'), the GEMM scan decides first (top1-blas.ts); the engine path below
  // decides only the queries it leaves open.
  let scan: ScanDecisions | undefined;
  if ((choice === 'auto' || choice === 'blas') && queries.rows && corpus.rows) scan = await scanTop1(queries, corpus, similarity, { threads: opts.threads });
  if (opts.diagnostics) opts.diagnostics.scanned = scan ? queries.rows - scan.undecided.length : 0;
  if (scan && !scan.undecided.length) {
    if (opts.diagnostics) Object.assign(opts.diagnostics, { decided: 0, rescored: 0, searched: 0 });
    return scan.out;
  }
  const rest = scan ? pick(queries, scan.undecided) : queries;
  let got: Int32Array;
  if (typeof choice !== 'string') got = await decide(choice, rest, corpus, similarity, opts);
  else {
    let engine: ScoreEngine;
    try {
      engine = await createScoreEngine(choice, opts.threads);
    } catch (e) {
      // Neither optional native engine is installed: the plain-JS engine decides the same way, only slower.
      if (choice !== 'auto' || !isMtebError(e) || e.code !== 'E_DEPENDENCY_MISSING') throw e;
      engine = await createScoreEngine('js');
    }
    try {
      got = await decide(engine, rest, corpus, similarity, opts);
    } finally {
      await engine.close();
    }
  }
  if (!scan) return got;
  scan.undecided.forEach((i, s) => (scan.out[i] = got[s]));
  return scan.out;
}

/** The listed rows of a matrix, in that order. */
function pick(m: Matrix, which: number[]): Matrix {
  const { dim } = m;
  const data = new Float32Array(which.length * dim);
  which.forEach((i, s) => data.set(m.data.subarray(i * dim, (i + 1) * dim), s * dim));
  return { rows: which.length, dim, data };
}

async function decide(engine: ScoreEngine, queries: Matrix, corpus: Matrix, sim: 'cosine' | 'dot', opts: Top1Options): Promise<Int32Array> {
  const M = queries.rows;
  const N = corpus.rows;
  const dim = corpus.dim;
  const out = new Int32Array(M).fill(-1);
  if (M === 0 || N === 0) return out;
  // δ for every query: cosine's bound is one constant; for dot, the largest query norm stands in for each
  // query's own (a larger δ only keeps more rows for rescoring, never fewer).
  const qNorm = sim === 'dot' ? maxRowNorm(queries.data, M, dim) : 1;
  const dNorm = sim === 'dot' ? maxRowNorm(corpus.data, N, dim) : 1;
  const d = engineErrorBound(dim, sim, qNorm, dNorm);
  const twoDelta = Number.isFinite(d) ? 2 * d : Infinity;

  // Per query: the best engine score so far, the largest last-slot score of a chunk whose proposals were all
  // kept (rows past them may be within 2δ too), and its proposals (flat lists, all queries together).
  const best = new Float64Array(M).fill(-Infinity);
  const fullLast = new Float64Array(M).fill(-Infinity);
  let cq = new Int32Array(4 * M);
  let cr = new Int32Array(4 * M);
  let cv = new Float32Array(4 * M);
  let nc = 0;
  const floors = new Float32Array(M);
  const chunkRows = Math.max(1, opts.chunkRows ?? DEFAULT_CHUNK_ROWS);
  for (let base = 0; base < N; base += chunkRows) {
    const n = Math.min(chunkRows, N - base);
    await engine.setChunk(corpus.data.subarray(base * dim, (base + n) * dim), n, dim, sim);
    const kk = Math.min(n, PROPOSALS);
    for (let i = 0; i < M; i++) floors[i] = f32AtMost(best[i] - twoDelta);
    const { values, indices } = await engine.topk(queries.data, M, kk, floors);
    if (nc + M * kk > cq.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(Math.max(2 * a.length, nc + M * kk));
        b.set(a.subarray(0, nc));
        return b;
      };
      cq = grow(cq);
      cr = grow(cr);
      const v = new Float32Array(cq.length);
      v.set(cv.subarray(0, nc));
      cv = v;
    }
    for (let i = 0; i < M; i++) {
      const o = i * kk;
      if (Number(indices[o]) < 0) continue;
      const top = values[o];
      if (top > best[i]) best[i] = top;
      const line = best[i] - twoDelta;
      let r = 0;
      for (; r < kk; r++) {
        const j = Number(indices[o + r]);
        const v = values[o + r];
        if (j < 0 || v < line) break;
        cq[nc] = i;
        cr[nc] = base + j;
        cv[nc++] = v;
      }
      if (r === kk && kk < n) fullLast[i] = Math.max(fullLast[i], values[o + kk - 1]);
    }
  }

  // Sort each query's surviving proposals: one left decides it; several go to canonical rescoring; a chunk
  // whose every proposal survives (more rows may be within 2δ) sends the query to exact search.
  const count = new Int32Array(M);
  const first = new Int32Array(M).fill(-1);
  for (let c = 0; c < nc; c++) {
    const i = cq[c];
    if (cv[c] < best[i] - twoDelta) continue;
    if (count[i]++ === 0) first[i] = cr[c];
  }
  const rescore: number[] = [];
  const search: number[] = [];
  for (let i = 0; i < M; i++) {
    if (fullLast[i] >= best[i] - twoDelta || !(best[i] - twoDelta > -Infinity)) search.push(i);
    else if (count[i] === 1) out[i] = first[i];
    else rescore.push(i);
  }
  if (rescore.length) await rescoreCanonically(queries, corpus, sim, rescore, { cq, cr, cv, nc }, best, twoDelta, out, opts.threads);
  if (search.length) await searchExactly(engine, queries, corpus, sim, search, out, opts);
  if (opts.diagnostics) Object.assign(opts.diagnostics, { decided: M - rescore.length - search.length, rescored: rescore.length, searched: search.length });
  return out;
}

/** The canonical top-1 among each listed query's surviving proposals (ties: the lowest row). */
async function rescoreCanonically(
  queries: Matrix,
  corpus: Matrix,
  sim: 'cosine' | 'dot',
  which: number[],
  c: { cq: Int32Array; cr: Int32Array; cv: Float32Array; nc: number },
  best: Float64Array,
  twoDelta: number,
  out: Int32Array,
  threads?: number,
): Promise<void> {
  const dim = corpus.dim;
  const m = which.length;
  const slot = new Int32Array(queries.rows).fill(-1);
  which.forEach((i, s) => (slot[i] = s));
  const counts = new Int32Array(m);
  for (let k = 0; k < c.nc; k++) {
    const s = slot[c.cq[k]];
    if (s >= 0 && c.cv[k] >= best[c.cq[k]] - twoDelta) counts[s]++;
  }
  const starts = new Int32Array(m);
  for (let s = 1; s < m; s++) starts[s] = starts[s - 1] + counts[s - 1];
  const total = m ? starts[m - 1] + counts[m - 1] : 0;
  const rows = new Int32Array(total);
  const fill = starts.slice();
  for (let k = 0; k < c.nc; k++) {
    const s = slot[c.cq[k]];
    if (s >= 0 && c.cv[k] >= best[c.cq[k]] - twoDelta) rows[fill[s]++] = c.cr[k];
  }
  const q = new Float32Array(m * dim);
  which.forEach((i, s) => q.set(queries.data.subarray(i * dim, (i + 1) * dim), s * dim));
  const scores = new Float32Array(total);
  const scorer = acquireScorer(threads);
  try {
    // The corpus matrix stays unchanged during this call: the native kernel reads it in place (no gathering).
    scorer.setChunk(corpus.data, dim, sim, false, false, true);
    await scorer.scoreBatch(q, m, rows, starts, counts, scores);
  } finally {
    await releaseScorer(scorer);
  }
  for (let s = 0; s < m; s++) {
    let win = -1;
    let top = -Infinity;
    for (let p = starts[s]; p < starts[s] + counts[s]; p++) {
      const v = scores[p];
      if (win < 0 || v > top || (v === top && rows[p] < win)) {
        win = rows[p];
        top = v;
      }
    }
    out[which[s]] = win;
  }
}

/**
 * Exact search's top-1 for the listed queries, on the same engine (ids descend as rows ascend: its tie order is
 * the lowest row). The search is not closed: that would close the engine, which its owner closes.
 */
async function searchExactly(engine: ScoreEngine, queries: Matrix, corpus: Matrix, sim: 'cosine' | 'dot', which: number[], out: Int32Array, opts: Top1Options): Promise<void> {
  const dim = corpus.dim;
  const n = corpus.rows;
  const width = String(n - 1).length;
  const ids = Array.from({ length: n }, (_, j) => String(n - 1 - j).padStart(width, '0'));
  const q = new Float32Array(which.length * dim);
  which.forEach((i, s) => q.set(queries.data.subarray(i * dim, (i + 1) * dim), s * dim));
  const search = new ExactSearch({ engine, threads: opts.threads, queryBatch: Math.min(which.length, 8192) });
  const res = await search.search({ rows: which.length, dim, data: q }, matrixCorpus(ids, corpus, { chunkRows: opts.chunkRows }), 1, { similarity: sim });
  which.forEach((i, s) => (out[i] = n - 1 - Number(res.ids[s][0])));
}
