import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { tableFiles } from '../data-files.js';
import { CLASSIFICATION_SCHEMA } from './schema.js';

/** Classification: logistic regression on embeddings of sampled training rows (mteb's 10 experiments). */
export const classificationType: TaskTypeEntry<'Classification'> = {
  type: 'Classification',
  schema: CLASSIFICATION_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).classificationAdapter),
  load: async (source, spec, split, subset, opts) => (await import('./load.js')).loadClassificationSplit(source, spec, split, subset, opts),
  // The training split is read too.
  dataFiles: (spec) => tableFiles(spec, [...spec.eval_splits, spec.train_split]),
  splitsAcrossShards: false,
  producesRankings: false,
  scoresDependOn: { searchBackend: false, sklearnFlavour: true },
  leaderboard: { classicMetric: ['accuracy'], mainScoreFallback: ['accuracy'] },
};
