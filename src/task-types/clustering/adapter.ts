import type { TaskAdapter } from '../adapter.js';
import type { ClusteringSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadClusteringFastSplit, loadClusteringLegacySplit } from './load.js';
import { evaluateLegacyClustering, planFastClustering, evaluateFastClustering } from './metrics.js';
import { PythonRandom } from '../../rng/python-random.js';
import { itemsFromArray } from '../items.js';
import { applyClusteringTransforms } from './transforms.js';

/**
 * Legacy clustering (MTEB(eng, v1)): every row is a cluster set scored on its own. Fast clustering (.v2 and
 * hierarchical tasks): the task's dataset transforms (label levels, singleton drop, subsample; see
 * clustering-transforms.ts) run first, then documents are downsampled before embedding and bootstrapped per
 * hierarchy level. mteb keeps one Random(seed) per task object across its subsets; every v2 clustering task
 * has one (split, subset), so a fresh Random(42) per call is the same stream.
 */
export const clusteringAdapter: TaskAdapter<ClusteringSpec> = {
  async evaluate(ctx) {
    const { spec } = ctx;
    const protocol = spec.protocol;
    const kmeansPlusPlus = ctx.sklearn === '1.2' ? '1.2' : '1.3';
    if (spec.clustering_variant === 'legacy') {
      const { sets } = await loadClusteringLegacySplit(...splitArgs(ctx));
      const embedded = [];
      for (let i = 0; i < sets.length; i++) {
        embedded.push({ X: await ctx.embed(sets[i].sentences, 'query', `set ${i + 1}/${sets.length}`), labels: sets[i].labels });
      }
      const { scores, perItem } = evaluateLegacyClustering(embedded, { protocol, kmeansPlusPlus });
      return { scores: scores as unknown as Record<string, unknown>, items: itemsFromArray('v_measure', perItem) };
    }
    // mteb order: flatten + label split (loader), drop singletons, subsample, then the 4 % draw below.
    const [source, , split, subset, limit] = splitArgs(ctx);
    const loaded = await loadClusteringFastSplit(source, spec, split, subset, { ...limit, labelSeparator: spec.label_separator });
    const data = applyClusteringTransforms(loaded, spec, { limited: ctx.limit !== undefined, warn: ctx.warn });
    // One Python Random(42) drives both the downsampling and the bootstrap draws, as in mteb.
    const rng = new PythonRandom(42);
    const maxFraction = spec.max_fraction_of_documents_to_embed;
    const plan = planFastClustering(data.sentences.length, { maxFractionOfDocumentsToEmbed: maxFraction, rng });
    const X = await ctx.embed(plan.map((i) => data.sentences[i]), 'query', 'documents');
    const { scores, perItem } = evaluateFastClustering(X, plan.map((i) => data.labels[i]), {
      protocol,
      rng,
      maxFractionOfDocumentsToEmbed: maxFraction,
      maxDocumentsPerCluster: spec.max_documents_per_cluster,
      nClusters: spec.n_bootstrap_rounds,
      kmeansPlusPlus,
    });
    return { scores: scores as unknown as Record<string, unknown>, items: itemsFromArray('v_measure', perItem) };
  },
};
