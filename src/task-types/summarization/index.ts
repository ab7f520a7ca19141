import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { tableFiles } from '../data-files.js';
import { SUMMARIZATION_SCHEMA } from './schema.js';

/** Summarization: machine summaries scored by similarity to human ones, correlated with human relevance. */
export const summarizationType: TaskTypeEntry<'Summarization'> = {
  type: 'Summarization',
  schema: SUMMARIZATION_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).summarizationAdapter),
  load: async (source, spec, split, subset, opts) => (await import('./load.js')).loadSummarizationSplit(source, spec, split, subset, opts),
  dataFiles: (spec) => tableFiles(spec),
  splitsAcrossShards: false,
  producesRankings: false,
  scoresDependOn: { searchBackend: false, sklearnFlavour: false },
  leaderboard: { classicMetric: ['cos_sim_spearman', 'cosine_spearman'], mainScoreFallback: ['cos_sim_spearman', 'cosine_spearman'] },
};
