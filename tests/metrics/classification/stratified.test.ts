import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { stratifiedSubsample } from '../../../src/metrics/classification/stratified-subsample.js';
import { MtebError } from '../../../src/core/errors.js';

// numpy 1.24.2 + datasets' stratify.py algorithm: fixtures/golden/classification/make_stratified.py
const G = JSON.parse(readFileSync(new URL('../../../fixtures/golden/classification/stratified.json', import.meta.url), 'utf8'));

const toxicLike = (n: number) => Array.from({ length: n }, (_, i) => ((i * 7919) % 100 < 8 ? 1 : 0));

describe('stratifiedSubsample = datasets train_test_split(stratify_by_column, seed)["test"]', () => {
  for (const c of G.cases) {
    test(c.name, () => {
      const labels = c.labels === 'toxic_like' ? toxicLike(c.n) : c.labels;
      const res = stratifiedSubsample(labels, c.test_size, c.seed ?? 42, { withTrain: true });
      expect(res.test).toEqual(c.test);
      if (c.train) expect(res.train).toEqual(c.train);
      else {
        expect(res.train!.slice(0, 20)).toEqual(c.train_first20);
        expect(res.train!.length).toBe(c.train_len);
      }
    });
  }
  test('class proportions are kept (toxic-like 8% positives -> 164 of 2048)', () => {
    const labels = toxicLike(50000);
    const { test } = stratifiedSubsample(labels, 2048);
    expect(test.filter((i) => labels[i] === 1).length).toBe(Math.round((2048 * 4000) / 50000));
  });
  test('errors: singleton class, bad size', () => {
    expect(() => stratifiedSubsample([0, 0, 0, 1], 2)).toThrow(MtebError);
    expect(() => stratifiedSubsample([0, 0, 1, 1], 4)).toThrow(/test_size/);
  });
});
