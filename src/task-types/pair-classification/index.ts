import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { tableFiles } from '../data-files.js';
import { PAIR_CLASSIFICATION_SCHEMA } from './schema.js';

/** PairClassification: best-threshold scan over pair similarities (average precision is the main score). */
export const pairClassificationType: TaskTypeEntry<'PairClassification'> = {
  type: 'PairClassification',
  schema: PAIR_CLASSIFICATION_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).pairClassificationAdapter),
  load: async (source, spec, split, subset, opts) => (await import('./load.js')).loadPairClassificationSplit(source, spec, split, subset, opts),
  dataFiles: (spec) => tableFiles(spec),
  splitsAcrossShards: false,
  producesRankings: false,
  scoresDependOn: { searchBackend: false, sklearnFlavour: false },
  leaderboard: { classicMetric: ['cos_sim_ap', 'cosine_ap'], mainScoreFallback: ['max_ap', 'ap'] },
};
