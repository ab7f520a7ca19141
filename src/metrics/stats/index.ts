export { rankdataAverage } from './rank.js';
export {
  pearson,
  spearman,
  pearsonr,
  spearmanr,
  pearsonPValue,
  spearmanPValue,
  type CorrelationResult,
} from './correlation.js';
export { betaIncReg, betaIncRegComplement, studentTSf, lnGamma, lnBeta } from './special.js';
export { averagePrecisionScore } from './average-precision.js';
export {
  pairedCosine,
  pairedCosineTorch,
  pairedManhattan,
  pairedEuclidean,
  pairedDot,
  pairedModelSimilarity,
  similarityMatrix,
  pairedCosineF32,
  pairedManhattanF32,
  pairedEuclideanF32,
  pairedDotF32,
  pairedModelSimilarityF32,
  pairedScoreFns,
  type PairedScoreFns,
  type SimilarityFn,
  type Arithmetic,
} from './paired.js';
export { weightedPrecisionRecallF1, type WeightedPrf } from './weighted-prf.js';
export { confidenceScores, nAUC, nAUCScores, type ConfidenceScores } from './nauc.js';
export { torchTop1Index } from './torch-topk.js';
export { torchArgsortDesc } from './torch-sort.js';
