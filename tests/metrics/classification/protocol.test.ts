import { describe, test, expect } from '@jest/globals';
import { undersampleExperiments, unionOfExperiments, remapToUnion } from '../../../src/metrics/classification/undersample.js';
import { evaluateClassification, planClassification } from '../../../src/metrics/classification/evaluate.js';
import { gather } from '../../../src/core/matrix.js';
import { MtebError } from '../../../src/core/errors.js';
import { G, mat } from './golden.js';

const KEYS_V2 = ['accuracy', 'f1', 'f1_weighted', 'precision', 'precision_weighted', 'recall', 'recall_weighted', 'ap', 'ap_weighted'];

describe('undersampling (numpy RandomState(42).shuffle carried over experiments)', () => {
  for (const c of G.protocol) {
    test(`${c.name}: selected indices identical to mteb`, () => {
      const got = undersampleExperiments(c.y_train, { samplesPerLabel: c.samples_per_label, nExperiments: c.n_experiments });
      expect(got).toEqual(c.selected);
    });
  }
  test('union and remap', () => {
    const ex = [[5, 1], [1, 9]];
    const u = unionOfExperiments(ex);
    expect(u).toEqual([1, 5, 9]);
    expect(remapToUnion(ex, u)).toEqual([[1, 0], [0, 2]]);
    expect(() => remapToUnion([[4]], u)).toThrow(MtebError);
  });
  test('invalid parameters are reported with the field name', () => {
    expect(() => undersampleExperiments([0, 1], { samplesPerLabel: 0, nExperiments: 10 })).toThrow(/samples_per_label/);
    expect(() => undersampleExperiments([0, 1], { samplesPerLabel: 8, nExperiments: 0 })).toThrow(/n_experiments/);
  });
});

describe('full protocol vs sklearn (10 experiments)', () => {
  for (const c of G.protocol) {
    for (const [flavour, key] of [
      ['1.2', 'sklearn_1_2_1'],
      ['1.4', 'emulated_1_4'],
    ] as const) {
      test(`${c.name} ${key}`, () => {
        // Embed only the union of sampled rows, as an adapter does.
        const plan = planClassification(c.y_train, { samplesPerLabel: c.samples_per_label, nExperiments: c.n_experiments });
        expect(plan.experiments).toEqual(c.selected);
        const trainAll = mat(c.X_train);
        const res = evaluateClassification(
          {
            trainX: gather(trainAll, plan.union),
            trainY: plan.union.map((i) => c.y_train[i]),
            testX: mat(c.X_test),
            testY: c.y_test,
            experiments: plan.experimentsInUnion,
          },
          { protocol: 'mteb-2', sklearn: flavour },
        );
        const ref = c[key];
        expect(res.nIter).toEqual(ref.experiments.map((e: { n_iter: number }) => e.n_iter));
        expect(res.predictions).toEqual(ref.experiments.map((e: { predict: number[] }) => e.predict));
        res.scores.scores_per_experiment.forEach((s, e) => {
          expect(Object.keys(s)).toEqual(KEYS_V2);
          for (const k of KEYS_V2) {
            const want = ref.experiments[e].scores[k];
            if (want === null) expect(s[k]).toBeNull();
            else expect(Math.abs((s[k] as number) - want)).toBeLessThanOrEqual(1e-12);
          }
        });
        for (const k of KEYS_V2) {
          const want = ref.mean[k];
          if (want === null) expect(res.scores[k]).toBeNaN();
          else expect(Math.abs((res.scores[k] as number) - want)).toBeLessThanOrEqual(1e-12);
        }
        const meanPerItem = res.perItem.reduce((a, b) => a + b, 0) / res.perItem.length;
        expect(Math.abs(meanPerItem - (res.scores.accuracy as number))).toBeLessThan(1e-12);
      });
    }
  }

  test('mteb-1 key sets (binary decided on training labels) and mteb-1-early', () => {
    const c = G.protocol.find((p: { name: string }) => p.name === 'binary_spl16');
    const plan = planClassification(c.y_train, { samplesPerLabel: 16, nExperiments: 2 });
    const input = {
      trainX: gather(mat(c.X_train), plan.union),
      trainY: plan.union.map((i) => c.y_train[i]),
      testX: mat(c.X_test),
      testY: c.y_test,
      experiments: plan.experimentsInUnion,
    };
    const v1 = evaluateClassification(input, { protocol: 'mteb-1', sklearn: '1.2' });
    expect(Object.keys(v1.scores)).toEqual(['accuracy', 'f1', 'f1_weighted', 'ap', 'ap_weighted', 'scores_per_experiment']);
    const ref0 = c.sklearn_1_2_1.experiments[0].scores;
    expect(Math.abs((v1.scores.scores_per_experiment[0].ap as number) - ref0.ap)).toBeLessThan(1e-12);
    const early = evaluateClassification(input, { protocol: 'mteb-1-early', sklearn: '1.2' });
    expect(Object.keys(early.scores)).toEqual(['accuracy', 'f1', 'ap', 'scores_per_experiment']);
    const multi = G.protocol.find((p: { name: string }) => p.name === 'multi5_spl8');
    const mplan = planClassification(multi.y_train, { samplesPerLabel: 8, nExperiments: 1 });
    const m1 = evaluateClassification(
      {
        trainX: gather(mat(multi.X_train), mplan.union),
        trainY: mplan.union.map((i) => multi.y_train[i]),
        testX: mat(multi.X_test),
        testY: multi.y_test,
        experiments: mplan.experimentsInUnion,
      },
      { protocol: 'mteb-1' },
    );
    expect(Object.keys(m1.scores)).toEqual(['accuracy', 'f1', 'f1_weighted', 'scores_per_experiment']);
  });

  test('shape errors name the problem', () => {
    const c = G.protocol[0];
    const X = mat(c.X_train.slice(0, 4));
    expect(() =>
      evaluateClassification({ trainX: X, trainY: [0, 1, 2], testX: X, testY: [0, 1, 2, 3], experiments: [[0, 1]] }, { protocol: 'mteb-2' }),
    ).toThrow(/trainY/);
    expect(() =>
      evaluateClassification({ trainX: X, trainY: [0, 1, 2, 3], testX: X, testY: [0, 1, 2, 3], experiments: [[0, 7]] }, { protocol: 'mteb-2' }),
    ).toThrow(/outside trainX/);
    expect(() =>
      evaluateClassification({ trainX: X, trainY: [0, 0, 0, 0], testX: X, testY: [0, 1, 2, 3], experiments: [[0, 1]] }, { protocol: 'mteb-2', task: 'Toy' }),
    ).toThrow(MtebError);
  });
});
