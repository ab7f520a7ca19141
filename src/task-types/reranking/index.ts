import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { retrievalFiles, tableFiles } from '../data-files.js';
import { usesRetrievalFormat } from './format.js';
import { RERANKING_SCHEMA } from './schema.js';

/** Reranking: v1 rows (query, positives, negatives) or v2 retrieval format with top_ranked; see ./format.ts. */
export const rerankingType: TaskTypeEntry<'Reranking'> = {
  type: 'Reranking',
  schema: RERANKING_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).rerankingAdapter),
  load: async (source, spec, split, subset, opts) =>
    usesRetrievalFormat(spec)
      ? (await import('../retrieval/load.js')).loadRetrievalSplit(source, spec, split, subset, opts)
      : (await import('./load.js')).loadRerankingLegacySplit(source, spec, split, subset, opts),
  dataFiles: (spec, listing) => (usesRetrievalFormat(spec) ? retrievalFiles(spec, listing) : tableFiles(spec)),
  splitsAcrossShards: false,
  producesRankings: true,
  scoresDependOn: { searchBackend: false, sklearnFlavour: false },
  // v1 Reranking files written by mteb >= 2 store `map_at_1000` (their main_score) instead of `map`.
  leaderboard: { classicMetric: ['map'], classicMteb2Metric: ['map_at_1000'], mainScoreFallback: ['map_at_1000', 'map'] },
};
