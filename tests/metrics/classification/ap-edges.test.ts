import { describe, test, expect } from '@jest/globals';
import { averagePrecisionFromLabels } from '../../../src/metrics/classification/index.js';

describe('AP on hard predictions: sklearn 1.2.1 edge cases', () => {
  test('no positive in y_true gives -0.0 as sklearn does (recall set to 1)', () => {
    expect(Object.is(averagePrecisionFromLabels([0, 0, 0], [1, 0, 1]), -0)).toBe(true);
    expect(Object.is(averagePrecisionFromLabels([0, 0, 0, 0], [0, 0, 0, 0]), -0)).toBe(true);
  });
  test('more than two classes is an error, as in sklearn (mteb would stop there)', () => {
    expect(() => averagePrecisionFromLabels([0, 1, 2, 1], [0, 1, 1, 1], 'T')).toThrow(/multiclass is not supported/);
  });
});
