export { vMeasure, vMeasureScore, labelEntropy, uniqueInverse, type Label, type VMeasureScores } from './v-measure.js';
export {
  miniBatchKMeans,
  fitMiniBatchKMeans,
  type DenseRows,
  type KMeansPlusPlusVariant,
  type MiniBatchKMeansOptions,
  type MiniBatchKMeansResult,
} from './minibatch-kmeans.js';
export {
  evaluateLegacyClustering,
  type ClusterSet,
  type ClusteringProtocol,
  type ClusteringResult,
  type LegacyClusteringOptions,
  type LegacyClusteringScores,
} from './legacy-protocol.js';
export {
  planFastClustering,
  evaluateFastClustering,
  type FastPlanOptions,
  type FastClusteringOptions,
  type FastClusteringScores,
} from './fast-protocol.js';
export { adjustedMutualInfoScore, expectedMutualInformation } from './ami.js';
