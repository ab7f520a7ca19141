/** mteb classification protocol: sampling, logistic regression (sklearn lbfgs port), metrics. */
export { undersampleExperiments, unionOfExperiments, remapToUnion, type UndersampleOptions } from './undersample.js';
export {
  evaluateClassification,
  planClassification,
  type ClassificationInput,
  type ClassificationOptions,
  type ClassificationPlan,
  type ClassificationProtocol,
  type ClassificationResult,
  type ExperimentScores,
} from './evaluate.js';
export {
  fitLogisticRegression,
  predict,
  decisionFunction,
  type LogisticRegressionModel,
  type LogisticRegressionOptions,
  type SklearnFlavour,
} from './logistic-regression.js';
export { minimizeLbfgsb, type LbfgsbOptions, type LbfgsbResult, type ObjectiveWithGradient } from './lbfgsb.js';
export {
  accuracyScore,
  prfCounts,
  precisionRecallF1,
  averagePrecisionFromLabels,
  type FFormula,
} from './metrics.js';
export { stratifiedSubsample, type StratifiedSubsampleOptions } from './stratified-subsample.js';
export { uniqueLabels, compareLabels, type Label } from './labels.js';
