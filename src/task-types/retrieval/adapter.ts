import type { TaskAdapter, EvalContext, SubsetResult } from '../adapter.js';
import type { RetrievalSplit } from '../../core/datasets.js';
import type { RerankingSpec, RetrievalSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadRetrievalSplit } from './load.js';
import { evaluateRetrieval, evaluateMaxOverSubqueries } from './metrics.js';
import { createSearchBackend } from '../../search/index.js';
import { makeMatrix, type Matrix } from '../../core/matrix.js';
import { rankCandidates } from './rank-candidates.js';
import { itemsFromPerQuery } from '../items.js';
import { corpusFromLists, mergedChunkLists, searchCorpusShare, shardsSplitCorpus } from './corpus-chunks.js';
import { embeddedCorpus } from './embedded-corpus.js';
import { EarlyEmbeddings } from './early-embed.js';

export const RETRIEVAL_K_VALUES = [1, 3, 5, 10, 20, 100, 1000];

/** A search result (ids and scores per query, in rank order) as the run the metrics score. */
function runOf(queryIds: string[], res: { ids: string[][]; scores: ArrayLike<number>[] }): Map<string, Map<string, number>> {
  const run = new Map<string, Map<string, number>>();
  queryIds.forEach((qid, i) => {
    const m = new Map<string, number>();
    res.ids[i].forEach((d, r) => m.set(d, res.scores[i][r]));
    run.set(qid, m);
  });
  return run;
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

const passageRoleOf = (spec: RetrievalSpec | RerankingSpec): 'query' | 'passage' => (spec.symmetric ? 'query' : 'passage');

/** `early`: what was embedded while the split loaded (early-embed.ts), used where the split has the same texts. */
export async function scoreRetrievalSplit(ctx: EvalContext<RetrievalSpec | RerankingSpec>, data: RetrievalSplit, early?: EarlyEmbeddings): Promise<SubsetResult> {
  const { spec } = ctx;
  const protocol = spec.protocol;
  const passageRole = passageRoleOf(spec);
  const similarity = ctx.embedder.meta?.().similarity_fn_name === 'dot' && protocol === 'mteb-2' ? 'dot' : 'cosine';
  const k = Math.max(...RETRIEVAL_K_VALUES);
  if (!data.topRanked && shardsSplitCorpus(ctx.shard, data.corpus.size)) {
    return searchCorpusShare(ctx, data, evaluatedQueries(data), passageRole, similarity, k);
  }
  if (ctx.shard && !ctx.shard.owner) return { scores: {}, deferred: 'evaluated by its owner shard' };
  const q = evaluatedQueries(data);
  // Under merge, a corpus the shards split and searched is scored from their top-k lists: nothing is embedded.
  const fromLists = !data.topRanked && ctx.chunkLists ? mergedChunkLists(ctx.chunkLists.dir, q.ids, data.corpus) : null;
  let run: Map<string, Map<string, number>>;
  let metadata: Record<string, unknown> | undefined;
  if (fromLists) {
    run = runOf(q.ids, fromLists);
    metadata = fromLists.meta;
  } else {
    const qEmb: Matrix = q.ids.length ? await (early?.takeQueries(q.texts) ?? ctx.embed(q.texts, 'query', 'queries')) : makeMatrix(0, ctx.embedder.dimension);
    if (data.topRanked) run = await rankCandidates(ctx, data, q, qEmb, passageRole, similarity);
    else {
      const backend = createSearchBackend(ctx.search ?? {});
      const n = data.corpus.size;
      try {
        const res = await backend.search(qEmb, embeddedCorpus(ctx, data.corpus, undefined, [0, n], passageRole, 'corpus', early), k, { similarity });
        run = runOf(q.ids, res);
        metadata = res.meta;
      } finally {
        await backend.close?.();
      }
    }
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
export function loadRetrievalForContext(ctx: EvalContext<RetrievalSpec | RerankingSpec>, early?: EarlyEmbeddings): Promise<RetrievalSplit> {
  const [source, spec, split, subset, limit] = splitArgs(ctx);
  // A shard of several embeds only its chunks' rows (or none), read back from the file: its first pass takes ids.
  const corpusTextUnheld = !!ctx.shard && ctx.shard.count > 1;
  return loadRetrievalSplit(source, spec, split, subset, { ...limit, warn: ctx.warn, corpusUnread: corpusFromLists(ctx), corpusTextUnheld, early });
}

export const retrievalAdapter: TaskAdapter<RetrievalSpec> = {
  async evaluate(ctx) {
    // The queries and the corpus's first documents embed while the split loads (the embedder would wait for the
    // corpus file's parsing otherwise), except under --shard or merge, whose corpus work is split by chunk.
    const early = ctx.shard || ctx.chunkLists ? undefined : new EarlyEmbeddings(ctx, passageRoleOf(ctx.spec));
    let data: RetrievalSplit;
    try {
      data = await loadRetrievalForContext(ctx, early);
    } catch (e) {
      await early?.abandon();
      throw e;
    }
    early?.loaded();
    try {
      return await scoreRetrievalSplit(ctx, data, early);
    } finally {
      await early?.settle();
    }
  },
};
