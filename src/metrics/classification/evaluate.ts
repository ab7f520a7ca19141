/**
 * mteb's classification protocol after embedding: for each experiment, fit the logistic regression on
 * that experiment's sampled training rows, predict the whole test set, score it, and report the mean
 * over experiments plus `scores_per_experiment`, with the key set of the chosen mteb generation.
 */
import type { Matrix } from '../../core/matrix.js';
import { MtebError } from '../../core/errors.js';
import { fitLogisticRegression, predict, type SklearnFlavour } from './logistic-regression.js';
import { accuracyScore, averagePrecisionFromLabels, prfCounts, precisionRecallF1, type FFormula } from './metrics.js';
import { numpyMean } from '../numeric/numpy-sum.js';
import { uniqueLabels, type Label } from './labels.js';
import { remapToUnion, undersampleExperiments, unionOfExperiments } from './undersample.js';

/**
 * - 'mteb-1-early': mteb 1.0-1.12.28 keys accuracy, f1 (+ ap when the training labels are binary).
 * - 'mteb-1': mteb 1.12.29-1.39 adds f1_weighted and ap_weighted.
 * - 'mteb-2': mteb 2.x adds precision/recall (macro, weighted); binary is decided on the test labels and
 *   non-binary tasks carry ap/ap_weighted = null per experiment and NaN as the average.
 */
export type ClassificationProtocol = 'mteb-1-early' | 'mteb-1' | 'mteb-2';

export interface ClassificationInput {
  /** Embeddings of the training rows used by any experiment (e.g. the union of all experiments). */
  trainX: Matrix;
  /** Label of each trainX row. */
  trainY: readonly Label[];
  testX: Matrix;
  testY: readonly Label[];
  /** Per experiment, indices into trainX rows in mteb's selection order. */
  experiments: readonly number[][];
}

export interface ClassificationOptions {
  protocol: ClassificationProtocol;
  /** sklearn generation to reproduce (objective scaling, L-BFGS-B options, F formula); default '1.4'. */
  sklearn?: SklearnFlavour;
  maxIter?: number;
  task?: string;
  /** Called after each experiment (for progress reporting by the caller). */
  onExperiment?: (done: number, total: number) => void;
}

export type ExperimentScores = Record<string, number | null>;

export interface ClassificationResult {
  /** Averages (mteb's `np.mean` over experiments) plus `scores_per_experiment`. */
  scores: Record<string, unknown> & { scores_per_experiment: ExperimentScores[] };
  /** Per test item: fraction of experiments that predicted it correctly (mean = accuracy). */
  perItem: number[];
  /** sklearn `n_iter_` of each experiment's fit (100 = stopped by max_iter). */
  nIter: number[];
  predictions: Label[][];
}

function scoreExperiment(
  yTest: readonly Label[],
  yPred: readonly Label[],
  yTrain: readonly Label[],
  protocol: ClassificationProtocol,
  fFormula: FFormula,
  task?: string,
): ExperimentScores {
  const s: ExperimentScores = {};
  s.accuracy = accuracyScore(yTest, yPred);
  const counts = prfCounts(yTest, yPred);
  const macro = precisionRecallF1(counts, 'macro', fFormula);
  s.f1 = macro.f1;
  if (protocol !== 'mteb-1-early') s.f1_weighted = precisionRecallF1(counts, 'weighted', fFormula).f1;
  if (protocol === 'mteb-2') {
    const weighted = precisionRecallF1(counts, 'weighted', fFormula);
    s.precision = macro.precision;
    s.precision_weighted = weighted.precision;
    s.recall = macro.recall;
    s.recall_weighted = weighted.recall;
    s.ap = null;
    s.ap_weighted = null;
  }
  const binary = protocol === 'mteb-2' ? uniqueLabels(yTest as Label[]).length === 2 : uniqueLabels(yTrain as Label[]).length === 2;
  if (binary) {
    // For binary y_true sklearn ignores `average`, so ap_weighted equals ap.
    const ap = averagePrecisionFromLabels(yTest, yPred, task);
    s.ap = ap;
    if (protocol !== 'mteb-1-early') s.ap_weighted = ap;
  }
  return s;
}

export function evaluateClassification(input: ClassificationInput, opts: ClassificationOptions): ClassificationResult {
  const { trainX, trainY, testX, testY, experiments } = input;
  const flavour = opts.sklearn ?? '1.4';
  const fFormula: FFormula = flavour === '1.2' ? 'precision-recall' : 'counts';
  if (trainY.length !== trainX.rows) {
    throw new MtebError('E_INTERNAL', `trainX has ${trainX.rows} rows but trainY has ${trainY.length} labels`, { task: opts.task });
  }
  if (testY.length !== testX.rows) {
    throw new MtebError('E_INTERNAL', `testX has ${testX.rows} rows but testY has ${testY.length} labels`, { task: opts.task });
  }
  if (trainX.dim !== testX.dim) {
    throw new MtebError('E_EMBEDDING_DIM', `train embeddings have dim ${trainX.dim}, test embeddings ${testX.dim}`, {
      task: opts.task,
    });
  }
  if (experiments.length === 0) throw new MtebError('E_BAD_VALUE', 'no experiments to run', { task: opts.task, field: 'n_experiments' });

  const perExperiment: ExperimentScores[] = [];
  const correct = new Float64Array(testY.length);
  const nIter: number[] = [];
  const predictions: Label[][] = [];
  experiments.forEach((rows, e) => {
    for (const r of rows) {
      if (!Number.isInteger(r) || r < 0 || r >= trainX.rows) {
        throw new MtebError('E_INTERNAL', `experiment ${e}: training row ${r} outside trainX (${trainX.rows} rows)`, { task: opts.task });
      }
    }
    const yTrain = rows.map((r) => trainY[r]);
    const model = fitLogisticRegression(trainX, yTrain, { rows, sklearn: flavour, maxIter: opts.maxIter, task: opts.task });
    const yPred = predict(model, testX);
    for (let i = 0; i < yPred.length; i++) if (yPred[i] === testY[i]) correct[i]++;
    perExperiment.push(scoreExperiment(testY, yPred, yTrain, opts.protocol, fFormula, opts.task));
    nIter.push(model.nIter);
    predictions.push(yPred);
    opts.onExperiment?.(e + 1, experiments.length);
  });

  const scores: Record<string, unknown> = {};
  for (const key of Object.keys(perExperiment[0])) {
    const values = perExperiment.map((s) => s[key]).filter((v): v is number => v !== null && v !== undefined);
    scores[key] = values.length ? numpyMean(values) : NaN;
  }
  const n = experiments.length;
  return {
    scores: { ...scores, scores_per_experiment: perExperiment },
    perItem: Array.from(correct, (c) => c / n),
    nIter,
    predictions,
  };
}

export interface ClassificationPlan {
  /** Per experiment, original training-row indices in selection order. */
  experiments: number[][];
  /** Sorted training rows to embed (union over experiments). */
  union: number[];
  /** Per experiment, positions within `union` (pass as `experiments` to evaluateClassification). */
  experimentsInUnion: number[][];
}

/** Sampling plan so an adapter embeds only the training rows some experiment uses. */
export function planClassification(
  trainLabels: readonly Label[],
  opts: { samplesPerLabel: number; nExperiments: number; seed?: number },
): ClassificationPlan {
  const experiments = undersampleExperiments(trainLabels, opts);
  const union = unionOfExperiments(experiments);
  return { experiments, union, experimentsInUnion: remapToUnion(experiments, union) };
}
