import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { tableFiles } from '../data-files.js';
import { STS_SCHEMA } from './schema.js';

/** STS: correlation of pair similarities with gold scores. */
export const stsType: TaskTypeEntry<'STS'> = {
  type: 'STS',
  schema: STS_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).stsAdapter),
  load: async (source, spec, split, subset, opts) => (await import('./load.js')).loadSTSSplit(source, spec, split, subset, opts),
  dataFiles: (spec) => tableFiles(spec),
  splitsAcrossShards: false,
  producesRankings: false,
  scoresDependOn: { searchBackend: false, sklearnFlavour: false },
  leaderboard: { classicMetric: ['cos_sim_spearman', 'cosine_spearman'], mainScoreFallback: ['cos_sim_spearman', 'cosine_spearman'] },
};
