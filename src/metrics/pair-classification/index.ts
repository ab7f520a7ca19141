export {
  evaluatePairClassification,
  scorePairs,
  type PairClassificationOptions,
  type PairClassificationResult,
  type PairScoreSet,
} from './evaluate.js';
export { bestAccuracyAndThreshold, bestF1AndThreshold } from './threshold-scan.js';
