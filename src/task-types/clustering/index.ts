import type { TaskTypeEntry } from '../entry.js';
import { lazyAdapter } from '../entry.js';
import { tableFiles } from '../data-files.js';
import { CLUSTERING_SCHEMA } from './schema.js';

/** Clustering: legacy (one k-means per cluster set) or fast (downsampled, bootstrapped per label level). */
export const clusteringType: TaskTypeEntry<'Clustering'> = {
  type: 'Clustering',
  schema: CLUSTERING_SCHEMA,
  adapter: lazyAdapter(async () => (await import('./adapter.js')).clusteringAdapter),
  load: async (source, spec, split, subset, opts) => {
    const m = await import('./load.js');
    return spec.clustering_variant === 'fast'
      ? m.loadClusteringFastSplit(source, spec, split, subset, { ...opts, labelSeparator: spec.label_separator })
      : m.loadClusteringLegacySplit(source, spec, split, subset, opts);
  },
  dataFiles: (spec) => tableFiles(spec),
  splitsAcrossShards: false,
  producesRankings: false,
  scoresDependOn: { searchBackend: false, sklearnFlavour: true },
  leaderboard: { classicMetric: ['v_measure'], mainScoreFallback: ['v_measure'] },
};
