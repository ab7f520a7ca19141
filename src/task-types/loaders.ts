import type { EvalContext } from './adapter.js';
import {
  loadRetrievalSplit,
  loadRerankingLegacySplit,
  loadClassificationSplit,
  loadClusteringLegacySplit,
  loadClusteringFastSplit,
  loadPairClassificationSplit,
  loadSTSSplit,
  loadSummarizationSplit,
  loadBitextSplit,
  type DatasetSource,
} from '../data/index.js';

/** The adapters' view of src/data: the context's split, subset and --limit applied to each type's loader. */
const src = (ctx: EvalContext) => ctx.source as DatasetSource;
const lim = (ctx: EvalContext) => ({ limit: ctx.limit });

export const loaders = {
  retrieval: (ctx: EvalContext) => loadRetrievalSplit(src(ctx), ctx.spec, ctx.split, ctx.subset, { ...lim(ctx), warn: ctx.warn }),
  rerankingLegacy: (ctx: EvalContext) => loadRerankingLegacySplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
  /** The training split is read whole even under --limit: undersampling needs every class. */
  classification: (ctx: EvalContext, split: string, o: { noLimit?: boolean }) =>
    loadClassificationSplit(src(ctx), ctx.spec, split, ctx.subset, o.noLimit ? {} : lim(ctx)),
  clusteringLegacy: (ctx: EvalContext) => loadClusteringLegacySplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
  clusteringFast: (ctx: EvalContext) => loadClusteringFastSplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
  pairClassification: (ctx: EvalContext) => loadPairClassificationSplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
  sts: (ctx: EvalContext) => loadSTSSplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
  summarization: (ctx: EvalContext) => loadSummarizationSplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
  bitext: (ctx: EvalContext) => loadBitextSplit(src(ctx), ctx.spec, ctx.split, ctx.subset, lim(ctx)),
};
