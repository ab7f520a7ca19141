/** The bit-for-bit comparison of two k-means fits (jest only). */
import { expect } from '@jest/globals';
import type { MiniBatchKMeansResult } from '../../../src/metrics/clustering/minibatch-kmeans.js';

const bytes = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

/** Two fits are the same bits: labels, centres, counts, inertia, step count. */
export function expectSameFit(a: MiniBatchKMeansResult, b: MiniBatchKMeansResult): void {
  expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
  expect(bytes(a.centers)).toBe(bytes(b.centers));
  expect(bytes(a.counts)).toBe(bytes(b.counts));
  expect(Object.is(a.inertia, b.inertia)).toBe(true);
  expect(a.nSteps).toBe(b.nSteps);
}
