import type { Matrix } from '../core/matrix.js';
import { MtebError } from '../core/errors.js';
import { RankedList } from './ranked-list.js';
import type { CorpusProvider, SearchBackend, SearchOptions, SearchResult } from './types.js';
import { createScoreEngine, type ScoreEngine, type EngineName } from './score-engine.js';
import { CANONICAL_SCORES, canonicalNorm, engineErrorBound, maxRowNorm } from './canonical/canonical.js';
import { acquireScorer, releaseScorer, RESIDENT_LIMIT } from './canonical/scorer.js';
import { Pending } from './pending.js';
import { CandidateOrder } from './canonical/order.js';
import { rowNormBoundOf } from './row-norm-bound.js';
import { isStable } from './stable-chunk.js';

/**
 * Candidates the engine returns past k (+ excluded ids + 1): room for the documents whose engine score lies
 * within the engine's error bound below the k-th, which must be rescored too. Too few only costs a rescan of
 * the chunk's full score row (counted in the search diagnostics); the extra TopK slots cost next to nothing.
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
  /**
   * Bytes of corpus vectors held for rescoring at once (default 512 MiB): consecutive float32 chunks are
   * coalesced up to this size, and each query's candidates are rescored once per coalesced chunk.
   */
  coalesceBytes?: number;
}

const DEFAULT_COALESCE_BYTES = 512 * 2 ** 20;

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
 * order, so its k-th place may differ between kernels. Per query, proposals are held by engine score
 * (src/search/pending.ts) and dropped only when the engine's error bound δ (canonical/canonical.ts: a proven
 * upper bound, never an estimate) proves them out of the top k; if the engine's proposals run out above that
 * line, the chunk's full score row is scanned. The survivors are rescored with the canonical score, a
 * fixed-order float64 computation, once per coalesced chunk (consecutive float32 chunks share one copy in the
 * scorer's memory, up to `coalesceBytes`), and only canonical scores rank and are returned. The merged top-k
 * is therefore the top-k of the canonical scores under one total order (score desc, id desc by UTF-8, as
 * trec_eval ranks), independent of engine, BLAS kernel, thread count, chunk size and sharding.
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
    const budget = this.options.coalesceBytes ?? DEFAULT_COALESCE_BYTES;
    const qNorms = new Float64Array(M);
    if (sim === 'dot') for (let i = 0; i < M; i++) qNorms[i] = canonicalNorm(queries.data, dim, i * dim);
    const stats = { rescored: 0, rescans: 0, rescoreSeconds: 0, coalesced: 0, streamed: 0, copy: 0, kernel: 0, order: 0, upkeep: 0 };
    const t0 = performance.now();
    // Room for two chunks' proposals from the start: growing 64 → 4,096 one doubling at a time, with a copy each,
    // took ~18 ms of a 1,000-query top-1,000 search (CPU profile).
    const room = Math.min(2 * (k + maxExcl + 1 + candidateMargin(k)), Math.max(64, corpus.size ?? Infinity));
    const pending = Array.from({ length: M }, () => new Pending(room));
    let scratch = new Float64Array(0);
    // The coalesced chunk: its ids (row r of the scorer's resident copy is superIds[r]) and its row-norm bound.
    let superIds: string[] = [];
    let superResident = false;
    // The coalesced chunk's last provider chunk is read in place (scorer.streamTail): flush before the next.
    let superStreamed = false;
    let superNorm = 0;

    const scorer = acquireScorer(this.options.threads);
    // Whether a chunk appended to the coalesced chunk is streamed as its last: the corpus ends with it (when its
    // size is known), or a next chunk of its size would not fit the budget; only the speed depends on this guess.
    // Cosine, or a dot product whose chunk came with its row-norm bound (row-norm-bound.ts): otherwise the bound
    // is needed before the engine runs, so streaming would read the chunk twice instead of copying it once with
    // the bound taken on the way (measured, 2 x 50,000 x 1,024, 1,000 x 103 candidates, two runs: 134-199
    // against 119-147 ms of CPU; cosine 113 against 133).
    // And only with few candidates a row (queries x k under 4 x the chunk's rows): then the rows read back from the
    // resident copy are the kernel's cost; with many (mteb's k = 1,000 here: ~10 queries a row) the kernel is
    // arithmetic-bound, and streaming measured slower in every round (bench/search/rescore-results-round4.json).
    const lastOfGroup = (rowsDone: number, bytes: number, rows: number, boundKnown: boolean) =>
      (sim === 'cosine' || boundKnown) &&
      M * k < 4 * rows &&
      ((corpus.size !== undefined && rowsDone >= corpus.size) || scorer.residentBytes + 2 * bytes > budget);
    const order = new CandidateOrder();
    // Rescores every query's pending candidates against the coalesced chunk and merges them into its list.
    const flush = async () => {
      if (!superIds.length) return;
      const tr = performance.now();
      for (let qs = 0; qs < M; qs += qb) {
        const m = Math.min(M, qs + qb) - qs;
        const counts = new Int32Array(m);
        const starts = new Int32Array(m);
        let total = 0;
        for (let i = 0; i < m; i++) {
          starts[i] = total;
          counts[i] = pending[qs + i].n;
          total += counts[i];
        }
        const rows = new Int32Array(total);
        for (let i = 0; i < m; i++) rows.set(pending[qs + i].rows.subarray(0, counts[i]), starts[i]);
        const canon = new Float32Array(total);
        const tk = performance.now();
        await scorer.scoreBatch(queries.data.subarray(qs * dim, (qs + m) * dim), m, rows, starts, counts, canon);
        stats.kernel += performance.now() - tk;
        stats.rescored += total;
        // The queries' entering scores share one buffer (views of it): one allocation instead of one per query.
        const scoreBuf = new Float32Array(total);
        let used = 0;
        for (let i = 0; i < m; i++) {
          const p = pending[qs + i];
          const { pos, n } = order.order(canon, p.vals, starts[i], counts[i], k);
          const ids = new Array<string>(n);
          const scores = scoreBuf.subarray(used, (used += n));
          const r0 = starts[i];
          for (let c = 0; c < n; c++) {
            const at = r0 + pos[c];
            ids[c] = superIds[rows[at]];
            scores[c] = canon[at];
          }
          best[qs + i].merge(ids, scores, n);
          p.clear();
        }
      }
      const ms = performance.now() - tr;
      stats.rescoreSeconds += ms / 1000;
      stats.order += ms;
      superIds = [];
      superStreamed = false;
    };

    let done = 0;
    try {
      for await (const chunk of corpus.chunks()) {
        if (chunk.dim !== dim) throw new MtebError('E_EMBEDDING_DIM', `corpus chunk has dimension ${chunk.dim}, expected ${dim}`);
        const n = chunk.ids.length;
        // Every reader of the chunk (engine, scorer, native kernel) trusts n x dim values to be there.
        if (chunk.data.length !== n * dim) {
          throw new MtebError('E_EMBEDDING_MISSING', `corpus chunk has ${n} ids but ${chunk.data.length} values (${n} x ${dim} expected)`);
        }
        if (n === 0) continue;
        const ids = chunk.ids;
        const data = chunk.data;
        // With the native kernel, a chunk whose producer never reuses its array (stable-chunk.ts) is rescored where
        // it is: no copy, and it joins the coalesced chunk whatever the candidates a row.
        const inPlace = scorer.native !== undefined && data instanceof Float32Array && isStable(chunk);
        // Every query rescores at least k rows: past the chunk's own size, a copy of it beats gathering rows.
        const residentOk = inPlace || (data instanceof Float32Array && M * k > n && data.byteLength <= RESIDENT_LIMIT);
        if (superIds.length && (!residentOk || !superResident || superStreamed || scorer.residentBytes + data.byteLength > budget)) await flush();
        const tn = performance.now();
        let base = 0;
        let norm = 0;
        // Dot products: the bound the chunk's producer took as the vectors arrived, if any; else a pass here.
        const known = sim === 'dot' ? rowNormBoundOf(chunk) : undefined;
        const norms = sim === 'dot' && known === undefined;
        if (inPlace && norms) norm = maxRowNorm(data, n, dim);
        if (!superIds.length) {
          const copy = scorer.setChunk(data, dim, sim, residentOk, norms && !inPlace, inPlace);
          if (norms && !inPlace) norm = copy ? copy.maxRowNorm : scorer.maxRowNorm();
          superResident = scorer.residentRows > 0;
          superNorm = 0;
        } else if (!inPlace && lastOfGroup(done + n, data.byteLength, n, known !== undefined)) {
          // The group ends with this chunk: its candidates are rescored straight from the provider's array (before
          // the next chunk is requested), which saves its copy and reading its rows back from memory.
          ({ base, maxRowNorm: norm } = scorer.streamTail(data as Float32Array, norms));
          superStreamed = true;
          stats.coalesced++;
          stats.streamed++;
        } else {
          const { base: b, copy } = scorer.appendResident(data as Float32Array, norms && !inPlace, inPlace);
          base = b;
          if (copy) norm = copy.maxRowNorm;
          stats.coalesced++;
        }
        if (known !== undefined) norm = known;
        for (const id of ids) superIds.push(id);
        if (sim === 'dot') superNorm = norm > superNorm || norm !== norm ? norm : superNorm;
        const copied = performance.now() - tn;
        stats.rescoreSeconds += copied / 1000;
        stats.copy += copied;
        await engine.setChunk(data, n, dim, sim);
        const kk = Math.min(n, k + maxExcl + 1 + candidateMargin(k));
        for (let qs = 0; qs < M; qs += qb) {
          const m = Math.min(M, qs + qb) - qs;
          const qSlice = queries.data.subarray(qs * dim, (qs + m) * dim);
          const delta = new Float64Array(m);
          const floors = new Float32Array(m);
          for (let i = 0; i < m; i++) {
            const d = engineErrorBound(dim, sim, qNorms[qs + i], superNorm);
            delta[i] = Number.isFinite(d) ? d : Infinity;
            // Below this engine score nothing can enter: the ranked k-th canonical − δ, or the pending line.
            floors[i] = f32AtMost(pending[qs + i].line(2 * delta[i], best[qs + i].floor() - delta[i]));
          }
          const { values, indices } = await engine.topk(qSlice, m, kk, floors);
          const tu = performance.now();
          let full: Float32Array | undefined;
          for (let i = 0; i < m; i++) {
            const qi = qs + i;
            const ex = excl?.[qi];
            const p = pending[qi];
            const o = i * kk;
            let allIn: boolean;
            if (!ex) allIn = p.addTop(values, indices, o, kk, base);
            else {
              let r = 0;
              for (; r < kk; r++) {
                const j = Number(indices[o + r]);
                if (j < 0) break;
                if (!ex.has(ids[j])) p.add(base + j, values[o + r]);
              }
              allIn = r === kk;
            }
            const prune = () => {
              if (scratch.length < p.n) scratch = new Float64Array(Math.max(p.n, 2 * scratch.length));
              p.prune(k, 2 * delta[i], best[qi].floor() - delta[i], scratch);
            };
            prune();
            // Every proposal is still above the line and the chunk has more rows: the rest may be too.
            if (allIn && kk < n && !(values[o + kk - 1] < p.cut)) {
              full ??= await engine.scores(qSlice, m);
              const row = full.subarray(i * n, (i + 1) * n);
              p.dropFrom(base);
              for (let j = 0; j < n; j++) if (!(row[j] < p.cut) && !ex?.has(ids[j])) p.add(base + j, row[j]);
              prune();
              stats.rescans++;
            }
          }
          stats.upkeep += performance.now() - tu;
        }
        done += n;
        opts.onProgress?.(done);
        // Gathered and streamed rows are read from the provider's chunk, which is only valid until the next one.
        if (!superResident || superStreamed) await flush();
      }
      await flush();
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
        coalescedChunks: stats.coalesced,
        streamedChunks: stats.streamed,
        // rescore: the row-norm bound (dot), copies into the scorer, canonical rescoring and ordering; then its
        // parts (rescoreCopy: copies and norm bound; rescoreKernel: scoreBatch, pair lists included;
        // rescoreOrder: canonical order and merge) and, outside it, the upkeep of pending candidates (with
        // full-row rescans, if any).
        seconds: {
          total: (performance.now() - t0) / 1000,
          rescore: stats.rescoreSeconds,
          rescoreCopy: stats.copy / 1000,
          rescoreKernel: stats.kernel / 1000,
          rescoreOrder: stats.order / 1000 - stats.kernel / 1000,
          pendingUpkeep: stats.upkeep / 1000,
        },
      },
    };
  }

  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
  }
}
