import type { TaskAdapter } from '../adapter.js';
import type { ClassificationSpec } from '../spec.js';
import { splitArgs } from '../context.js';
import { loadClassificationSplit } from './load.js';
import { planClassification, evaluateClassification, stratifiedSubsample } from './metrics.js';
import { itemsFromArray } from '../items.js';

/**
 * mteb's protocol: 10 experiments, each a logistic regression fitted on `samples_per_label` rows per class
 * drawn by numpy's legacy shuffle; only the union of the sampled training rows is embedded.
 */
export const classificationAdapter: TaskAdapter<ClassificationSpec> = {
  async evaluate(ctx) {
    const { spec } = ctx;
    const [source, , split, subset, limit] = splitArgs(ctx);
    // The training split is read whole even under --limit: undersampling needs every class.
    const train = await loadClassificationSplit(source, spec, spec.train_split, subset);
    let test = await loadClassificationSplit(source, spec, split, subset, limit);
    if (spec.test_subsample_size && test.texts.length > spec.test_subsample_size) {
      // ToxicConversations: mteb evaluates a stratified 2048-row subset drawn by HF datasets (seed 42).
      const keep = stratifiedSubsample(test.labels, spec.test_subsample_size, 42).test;
      test = { texts: keep.map((i) => test.texts[i]), labels: keep.map((i) => test.labels[i]) };
    }
    const plan = planClassification(train.labels, { samplesPerLabel: spec.samples_per_label, nExperiments: spec.n_experiments, seed: 42 });
    const trainX = await ctx.embed(plan.union.map((i) => train.texts[i]), 'query', 'train');
    const testX = await ctx.embed(test.texts, 'query', 'test');
    const { scores, perItem } = evaluateClassification(
      { trainX, trainY: plan.union.map((i) => train.labels[i]), testX, testY: test.labels, experiments: plan.experimentsInUnion },
      { protocol: spec.protocol, sklearn: ctx.sklearn === '1.2' ? '1.2' : '1.4', task: spec.name },
    );
    return { scores: scores as Record<string, unknown>, items: itemsFromArray('accuracy', perItem) };
  },
};
