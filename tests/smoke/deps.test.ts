import { describe, expect, test } from '@jest/globals';
import * as ort from 'onnxruntime-node';
import { tableFromArrays } from 'apache-arrow';

describe('dependencies load', () => {
  test('onnxruntime-node CPU backend is usable', () => {
    expect(typeof ort.InferenceSession.create).toBe('function');
  });
  test('apache-arrow builds a table', () => {
    const t = tableFromArrays({ a: Float32Array.from([1, 2, 3]) });
    expect(t.numRows).toBe(3);
  });
});
