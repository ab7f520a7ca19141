import type { TaskAdapter, EvalContext, SubsetResult } from '../adapter.js';
import type { RetrievalSplit } from '../../core/datasets.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadRetrievalSplit } from './load.js';
import { evaluateRetrieval, evaluateMaxOverSubqueries } from './metrics.js';
import { createSearchBackend } from '../../search/index.js';
import type { CorpusProvider, CorpusChunk } from '../../search/types.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { rankCandidates } from './rank-candidates.js';
import { corpusText } from './corpus-text.js';
import { itemsFromPerQuery } from '../items.js';
import { embedCorpusShare, shardsSplitCorpus } from './corpus-chunks.js';

export const RETRIEVAL_K_VALUES = [1, 3, 5, 10, 20, 100, 1000];
const CORPUS_CHUNK_ROWS = 50_000;
// Inside a chunk, text is embedded at most this many documents or characters at a time (read in pieces of 500
// that tile the chunks), so the text alive at once is bounded whatever the corpus's text size: peak RSS follows
// the vectors and ids, not the text (bench/memory/corpus-text.ts, docs/BENCHMARKS.md).
const TEXT_READ_ROWS = 500;
const TEXT_EMBED_ROWS = 5_000;
const TEXT_EMBED_CHARS = 8 * 2 ** 20;


/**
 * The corpus is embedded chunk by chunk as the search consumes it, so memory holds one chunk of vectors plus
 * the per-query top-k heaps, never the whole corpus (MSMARCO: 8.8M x 4096 floats would be 144 GB).
 */
function embeddedCorpus(ctx: EvalContext<RetrievalSpec | RerankingSpec>, data: RetrievalSplit, role: 'query' | 'passage'): CorpusProvider {
  const n = data.corpus.size;
  const dim = ctx.embedder.dimension;
  return {
    dim,
    size: n,
    // Text is read (or, for a large corpus, streamed from its file) in corpus order and embedded a bounded piece
    // at a time; the vectors of a whole chunk are gathered before the search sees them.
    async *chunks(): AsyncIterable<CorpusChunk> {
      let chunk: { start: number; rows: number; ids: string[]; data: Float32Array } | null = null;
      let texts: string[] = [];
      let textStart = 0;
      let chars = 0;
      // One pass over the corpus (a streamed file is read once) in small pieces that tile the chunks exactly.
      for await (const p of data.corpus.chunks(TEXT_READ_ROWS)) {
        if (!chunk) {
          const rows = Math.min(CORPUS_CHUNK_ROWS, n - p.start);
          chunk = { start: p.start, rows, ids: [], data: new Float32Array(rows * dim) };
        }
        if (!texts.length) textStart = p.start;
        for (const d of p.docs) {
          const t = corpusText(d);
          texts.push(t);
          chars += t.length;
        }
        for (const id of p.ids) chunk.ids.push(id);
        const chunkDone = chunk.ids.length === chunk.rows;
        if (chunkDone || texts.length >= TEXT_EMBED_ROWS || chars >= TEXT_EMBED_CHARS) {
          const m = await ctx.embed(texts, role, `corpus ${textStart + texts.length}/${n}`);
          chunk.data.set(m.data, (textStart - chunk.start) * dim);
          texts = [];
          chars = 0;
        }
        if (chunkDone) {
          yield { ids: chunk.ids, dim, data: chunk.data };
          chunk = null;
        }
      }
    },
  };
}

/** Keeps the queries mteb evaluates: 1.x drops queries absent from qrels, 2.x those whose qrels dict is empty. */
function evaluatedQueries(data: RetrievalSplit): { ids: string[]; texts: string[] } {
  const ids: string[] = [];
  const texts: string[] = [];
  for (const [id, text] of data.queries) {
    const rel = data.qrels.get(id);
    if (!rel || rel.size === 0) continue;
    ids.push(id);
    texts.push(text);
  }
  return { ids, texts };
}

export async function scoreRetrievalSplit(ctx: EvalContext<RetrievalSpec | RerankingSpec>, data: RetrievalSplit): Promise<SubsetResult> {
  const { spec } = ctx;
  const protocol = spec.protocol;
  const passageRole = spec.symmetric ? 'query' : 'passage';
  if (!data.topRanked && shardsSplitCorpus(ctx.shard, data.corpus.size)) {
    return embedCorpusShare(ctx, data, passageRole, corpusText);
  }
  if (ctx.shard && !ctx.shard.owner) return { scores: {}, deferred: 'evaluated by its owner shard' };
  const q = evaluatedQueries(data);
  const qEmb: Matrix = q.ids.length ? await ctx.embed(q.texts, 'query', 'queries') : makeMatrix(0, ctx.embedder.dimension);
  const similarity = ctx.embedder.meta?.().similarity_fn_name === 'dot' && protocol === 'mteb-2' ? 'dot' : 'cosine';
  let run: Map<string, Map<string, number>>;
  let metadata: Record<string, unknown> | undefined;
  if (data.topRanked) {
    run = await rankCandidates(ctx, data, q, qEmb, passageRole, similarity);
  } else {
    const backend = createSearchBackend(ctx.search ?? {});
    const k = Math.max(...RETRIEVAL_K_VALUES);
    const res = await backend.search(qEmb, embeddedCorpus(ctx, data, passageRole), k, { similarity });
    await backend.close?.();
    run = new Map();
    q.ids.forEach((qid, i) => {
      const m = new Map<string, number>();
      res.ids[i].forEach((d, r) => m.set(d, res.scores[i][r]));
      run.set(qid, m);
    });
    metadata = res.meta;
  }
  const opts = {
    kValues: RETRIEVAL_K_VALUES,
    protocol,
    ignoreIdenticalIds: spec.ignore_identical_ids,
    // 'mteb-1' = the last 1.x evaluator (1.12.8+: mean MRR, nAUC keys), which wrote the published result files.
    mteb1Variant: '1.12.8' as const,
  };
  const { scores, perQuery } = evaluateRetrieval(data.qrels, run, opts);
  // The run as searched (sub-queries as they are); the TREC file drops a query's own id as the scoring did.
  const ranking = ctx.savePredictions ? { run, dropIdenticalIds: opts.ignoreIdenticalIds } : undefined;
  if (!spec.max_over_subqueries) return { scores, items: itemsFromPerQuery(perQuery), metadata, ranking };
  // MindSmall (mteb 2.x): sub-queries `<id>_<i>` merged by max score; both key sets are written.
  const merged = evaluateMaxOverSubqueries(data.qrels, run, opts);
  return { scores: { ...scores, ...merged.scores }, items: itemsFromPerQuery(merged.perQuery), metadata, ranking };
}

/** Loads one (split, subset) in the retrieval format, data warnings to the run's warnings. */
export function loadRetrievalForContext(ctx: EvalContext<RetrievalSpec | RerankingSpec>): Promise<RetrievalSplit> {
  const [source, spec, split, subset, limit] = splitArgs(ctx);
  return loadRetrievalSplit(source, spec, split, subset, { ...limit, warn: ctx.warn });
}

export const retrievalAdapter: TaskAdapter<RetrievalSpec> = {
  async evaluate(ctx) {
    return scoreRetrievalSplit(ctx, await loadRetrievalForContext(ctx));
  },
};
