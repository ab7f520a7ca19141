import type { Matrix } from '../core/matrix.js';
import { MtebError } from '../core/errors.js';
import { ExactSearch, type ExactSearchOptions } from './exact.js';
import { rankOrder, type Scored } from './id-order.js';
import type { CorpusProvider, SearchBackend, SearchOptions, SearchResult } from './types.js';
import { chunkToFloat32, normalizeRows } from './vectors.js';
import { CANONICAL_SCORES } from './canonical/canonical.js';
import { CanonicalScorer } from './canonical/scorer.js';
import { loadOptional } from '../native/optional-module.js';

export interface HnswOptions {
  /** Graph degree (hnswlib M). */
  M?: number;
  efConstruction?: number;
  /** Beam width at query time; raised to the number of neighbours asked for when smaller. */
  efSearch?: number;
  /** hnswlib space; 'ip' on vectors we normalise for cosine is the default and matches exact search's scores. */
  space?: 'ip' | 'l2' | 'cosine';
  randomSeed?: number;
  /** Queries re-run with exact search to report recall@k in `meta` (0 disables). */
  recallSample?: number;
}

interface Built {
  index: import('hnswlib-node').HierarchicalNSW;
  ids: string[];
  vectors: Float32Array;
  similarity: string;
  buildSeconds: number;
}

/**
 * Approximate top-k with hnswlib. The graph only proposes candidates: every returned score is the canonical
 * score exact search returns (src/search/canonical), computed from the stored vectors, and candidates are
 * ranked by (score desc, id desc) like exact search, so the run differs from exact search only by documents
 * the graph missed, measured as sampled recall@k. Which documents the graph finds can depend on hnswlib's
 * SIMD distance code, so unlike exact search an HNSW run is not guaranteed identical across machines.
 */
export class HnswSearch implements SearchBackend {
  readonly name = 'hnsw';
  private built = new WeakMap<CorpusProvider, Built>();
  constructor(private readonly options: HnswOptions = {}) {}

  /** Same index cache, other query-time options (e.g. several efSearch values over one build). */
  withOptions(patch: Pick<HnswOptions, 'efSearch' | 'recallSample'>): HnswSearch {
    const h = new HnswSearch({ ...this.options, ...patch });
    h.built = this.built;
    return h;
  }

  private async build(corpus: CorpusProvider, similarity: string): Promise<Built> {
    const cached = this.built.get(corpus);
    if (cached && cached.similarity === similarity) return cached;
    // hnswlib-node is an optional dependency: E_DEPENDENCY_MISSING naming `npm install hnswlib-node` without it.
    const { HierarchicalNSW } = await loadOptional<typeof import('hnswlib-node')>('hnswlib-node', 'HNSW search (--search hnsw)');
    const t0 = performance.now();
    const ids: string[] = [];
    const parts: Float32Array[] = [];
    for await (const chunk of corpus.chunks()) {
      parts.push(chunkToFloat32(chunk));
      ids.push(...chunk.ids);
    }
    const dim = corpus.dim;
    // The stored vectors stay as embedded (canonical scores are computed from them); the graph gets each row
    // normalised for cosine, and rows holding Inf/NaN as zeros (they score -1 or ±Inf canonically anyway).
    const vectors = new Float32Array(ids.length * dim);
    let o = 0;
    for (const p of parts) {
      vectors.set(p, o);
      o += p.length;
    }
    parts.length = 0;
    const index = new HierarchicalNSW(this.options.space ?? 'ip', dim);
    index.initIndex(Math.max(1, ids.length), this.options.M ?? 16, this.options.efConstruction ?? 200, this.options.randomSeed ?? 100);
    const row = new Float32Array(dim);
    const buf = new Array<number>(dim);
    for (let j = 0; j < ids.length; j++) {
      row.set(vectors.subarray(j * dim, (j + 1) * dim));
      normalizeRows(row, dim, similarity === 'cosine'); // zeroes a row holding Inf/NaN for the graph
      for (let d = 0; d < dim; d++) buf[d] = row[d];
      index.addPoint(buf, j);
    }
    const built = { index, ids, vectors, similarity, buildSeconds: (performance.now() - t0) / 1000 };
    this.built.set(corpus, built);
    return built;
  }

  async search(queries: Matrix, corpus: CorpusProvider, k: number, opts: SearchOptions): Promise<SearchResult> {
    if (!Number.isInteger(k) || k < 1) throw new MtebError('E_USAGE', `top-k must be a positive integer, got ${k}`);
    if (queries.rows && queries.dim !== corpus.dim) {
      throw new MtebError('E_EMBEDDING_DIM', `query vectors have dimension ${queries.dim} but corpus vectors ${corpus.dim}`);
    }
    const b = await this.build(corpus, opts.similarity);
    const dim = corpus.dim;
    const q = queries.data.slice();
    const qBad = normalizeRows(q, dim, opts.similarity === 'cosine');
    // The graph proposes; the scores are the canonical ones exact search returns (src/search/canonical).
    const scorer = new CanonicalScorer();
    scorer.setChunk(b.vectors, dim, opts.similarity);
    const t0 = performance.now();
    const ids: string[][] = [];
    const scores: Float32Array[] = [];
    const qbuf = new Array<number>(dim);
    const nDocs = b.ids.length;
    for (let i = 0; i < queries.rows; i++) {
      const ex = opts.excludeIds?.[i];
      const want = Math.min(nDocs, k + (ex?.size ?? 0));
      let rows: number[] = [];
      if (qBad[i]) {
        // A query holding Inf/NaN cannot walk the graph: score it against every document.
        rows = Array.from({ length: nDocs }, (_, j) => j);
      } else if (want > 0) {
        // The whole beam is re-scored, so ask for all ef candidates: more tied documents compete on id.
        const ef = Math.max(this.options.efSearch ?? 64, want);
        b.index.setEf(ef);
        for (let d = 0; d < dim; d++) qbuf[d] = q[i * dim + d];
        rows = b.index.searchKnn(qbuf, Math.min(nDocs, ef)).neighbors;
      }
      rows = rows.filter((j) => !ex?.has(b.ids[j]));
      const canon = new Float32Array(rows.length);
      scorer.setQuery(queries.data, i * dim);
      scorer.score(rows, rows.length, canon);
      const cands: Scored[] = rows.map((j, r) => ({ id: b.ids[j], score: canon[r] }));
      cands.sort(rankOrder);
      if (cands.length > k) cands.length = k;
      ids.push(cands.map((c) => c.id));
      scores.push(Float32Array.from(cands, (c) => c.score));
    }
    const querySeconds = (performance.now() - t0) / 1000;
    const meta: Record<string, unknown> = {
      backend: 'hnsw',
      M: this.options.M ?? 16,
      efConstruction: this.options.efConstruction ?? 200,
      efSearch: this.options.efSearch ?? 64,
      space: this.options.space ?? 'ip',
      search_scores: CANONICAL_SCORES,
    };
    const diagnostics = { seconds: { build: b.buildSeconds, query: querySeconds } };
    const sample = Math.min(this.options.recallSample ?? 100, queries.rows);
    if (sample > 0) {
      const pick = Array.from({ length: sample }, (_, s) => Math.floor((s * queries.rows) / sample));
      const sub = new Float32Array(sample * dim);
      pick.forEach((qi, s) => sub.set(queries.data.subarray(qi * dim, (qi + 1) * dim), s * dim));
      const exact = new ExactSearch(this.options as ExactSearchOptions);
      const ref = await exact.search({ rows: sample, dim, data: sub }, corpus, k, {
        similarity: opts.similarity,
        excludeIds: opts.excludeIds ? pick.map((qi) => opts.excludeIds![qi]) : undefined,
      });
      await exact.close();
      let hit = 0;
      let total = 0;
      pick.forEach((qi, s) => {
        const got = new Set(ids[qi]);
        for (const id of ref.ids[s]) if (got.has(id)) hit++;
        total += ref.ids[s].length;
      });
      meta[`recall_at_${k}`] = total ? hit / total : 1;
      meta.recall_sample = sample;
    }
    return { ids, scores, meta, diagnostics };
  }
}
