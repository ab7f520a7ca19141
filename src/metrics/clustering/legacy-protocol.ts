/**
 * mteb's legacy clustering protocol (`AbsTaskClustering` in 1.x, `AbsTaskClusteringLegacy` in 2.x), used by the
 * 11 MTEB(eng, v1) clustering tasks: every cluster set is clustered on its own with
 * MiniBatchKMeans(n_clusters = #labels, batch_size = 500, n_init = 1 k-means++) and scored by V-measure.
 * 1.x leaves random_state None but its evaluator reseeds numpy's global RNG with 42 for every set; 2.x passes
 * random_state = 42. Both start each set from a fresh RandomState(42), so the two protocols give the same
 * numbers; the option is kept so callers can say which one they reproduce.
 */
import { MtebError } from '../../core/errors.js';
import { miniBatchKMeans, type DenseRows, type KMeansPlusPlusVariant } from './minibatch-kmeans.js';
import { numpyMean, numpyStd } from '../numeric/numpy-sum.js';
import { uniqueInverse, vMeasureScore, type Label } from './v-measure.js';

export type ClusteringProtocol = 'mteb-1' | 'mteb-2';

export interface ClusterSet {
  /** Embeddings of the set's sentences, in dataset order. */
  X: DenseRows;
  labels: Label[];
}

export interface LegacyClusteringOptions {
  protocol: ClusteringProtocol;
  /** mteb's `clustering_batch_size` (500). */
  batchSize?: number;
  seed?: number;
  kmeansPlusPlus?: KMeansPlusPlusVariant;
  onProgress?: (message: string) => void;
}

export interface LegacyClusteringScores {
  v_measure: number;
  v_measure_std: number;
  v_measures: number[];
}

export interface ClusteringResult<S> {
  scores: S;
  /** V-measure per cluster set (legacy) or per bootstrap round (fast), in output order. */
  perItem: number[];
}

export function evaluateLegacyClustering(
  sets: readonly ClusterSet[],
  opts: LegacyClusteringOptions,
): ClusteringResult<LegacyClusteringScores> {
  if (sets.length === 0) throw new MtebError('E_BAD_VALUE', 'legacy clustering needs at least one cluster set');
  const seed = opts.seed ?? 42;
  const vMeasures: number[] = [];
  sets.forEach((set, i) => {
    if (set.X.rows !== set.labels.length) {
      throw new MtebError('E_EMBEDDING_MISSING', `cluster set ${i}: ${set.X.rows} embeddings for ${set.labels.length} labels`, {
        field: 'labels',
      });
    }
    const k = uniqueInverse(set.labels).nUnique;
    // 2.x skips single-label sets with v_measure 1.0; clustering them into one cluster gives the same 1.0.
    if (k <= 1) {
      vMeasures.push(1.0);
      return;
    }
    const assignment = miniBatchKMeans(set.X, {
      nClusters: k,
      batchSize: opts.batchSize ?? 500,
      seed,
      kmeansPlusPlus: opts.kmeansPlusPlus,
    });
    const v = vMeasureScore(set.labels, assignment);
    vMeasures.push(v);
    opts.onProgress?.(`clustering set ${i + 1}/${sets.length}: n=${set.X.rows} k=${k} v_measure=${v.toFixed(4)}`);
  });
  return {
    scores: { v_measure: numpyMean(vMeasures), v_measure_std: numpyStd(vMeasures), v_measures: vMeasures },
    perItem: vMeasures.slice(),
  };
}
