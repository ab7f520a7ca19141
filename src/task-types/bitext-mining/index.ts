import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { tableFiles } from '../data-files.js';
import { BITEXT_MINING_SCHEMA } from './schema.js';

/** BitextMining: nearest-neighbour translation matching (F1 is the main score). */
export const bitextMiningType: TaskTypeEntry<'BitextMining'> = {
  type: 'BitextMining',
  schema: BITEXT_MINING_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).bitextMiningAdapter),
  load: async (source, spec, split, subset, opts) => (await import('./load.js')).loadBitextSplit(source, spec, split, subset, opts),
  dataFiles: (spec) => tableFiles(spec),
  splitsAcrossShards: false,
  producesRankings: false,
  scoresDependOn: { searchBackend: false, sklearnFlavour: false },
  leaderboard: { classicMetric: ['f1'], mainScoreFallback: ['f1'] },
};
