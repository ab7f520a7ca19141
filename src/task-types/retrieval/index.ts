import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { retrievalFiles } from '../data-files.js';
import { RETRIEVAL_SCHEMA } from './schema.js';

/** Retrieval: BEIR / mteb retrieval-format data, searched over the whole corpus, scored as trec_eval does. */
export const retrievalType: TaskTypeEntry<'Retrieval'> = {
  type: 'Retrieval',
  schema: RETRIEVAL_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).retrievalAdapter),
  load: async (source, spec, split, subset, opts) => (await import('./load.js')).loadRetrievalSplit(source, spec, split, subset, opts),
  dataFiles: (spec, listing) => retrievalFiles(spec, listing),
  splitsAcrossShards: true,
  producesRankings: true,
  scoresDependOn: { searchBackend: true, sklearnFlavour: false },
  leaderboard: { classicMetric: ['ndcg_at_10'], mainScoreFallback: ['ndcg_at_10'] },
};
