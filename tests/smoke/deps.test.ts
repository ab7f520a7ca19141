import { describe, expect, test } from '@jest/globals';
import { tableFromArrays } from 'apache-arrow';
import { loadOptional, requireOptional } from '../../src/native/optional-module.js';
import { createScoreEngine } from '../../src/search/score-engine.js';

// Each native dependency does real work with known answers: a broken install (missing binary, wrong ABI,
// a build that loads but computes nothing) fails here rather than deep inside a run.
describe('dependencies work', () => {
  // Through the onnx score engine: inside jest's vm realm onnxruntime cannot hand back its output tensors, and
  // the engine then runs the same session in a worker thread (a plain Node realm), as a test process must.
  test('onnxruntime-node runs a graph: queries . corpus^T and its top-k give the exact values', async () => {
    const engine = await createScoreEngine('onnx', 1);
    try {
      expect(engine.name).toBe('onnx');
      await engine.setChunk(Float32Array.of(1, 2, 3, 4, -1, 0.25), 3, 2, 'dot');
      const q = Float32Array.of(1, 0, 0.5, 2);
      // row 0: (1,0)·(1,2)=1, ·(3,4)=3, ·(-1,0.25)=-1; row 1: (0.5,2)· = 4.5, 9.5, 0
      expect(Array.from(await engine.scores(q, 2))).toEqual([1, 3, -1, 4.5, 9.5, 0]);
      const top = await engine.topk(q, 2, 2);
      expect(Array.from(top.values)).toEqual([3, 1, 9.5, 4.5]);
      expect(Array.from(top.indices, Number)).toEqual([1, 0, 1, 0]);
    } finally {
      await engine.close();
    }
  });

  test('hnswlib-node builds a graph and finds the nearest neighbour', async () => {
    const { HierarchicalNSW } = await loadOptional<typeof import('hnswlib-node')>('hnswlib-node', 'smoke test');
    const index = new HierarchicalNSW('l2', 3);
    index.initIndex(4, 8, 50, 7);
    const points = [
      [0, 0, 0],
      [10, 0, 0],
      [0, 10, 0],
      [0, 0, 10],
    ];
    points.forEach((p, i) => index.addPoint(p, i));
    const r = index.searchKnn([9, 1, 0], 2);
    expect(r.neighbors).toEqual([1, 0]);
    expect(r.distances[0]).toBeCloseTo(2, 5); // (9-10)^2 + 1^2
  });

  // koffi calls into the C library: libm's cos and pow, whose answers are exact for these inputs.
  (process.platform === 'linux' ? test : test.skip)('koffi calls a C function (libm cos, pow) and returns its value', () => {
    const koffi = requireOptional<any>('koffi', 'smoke test');
    const libm = koffi.load('libm.so.6');
    const cos = libm.func('double cos(double)');
    const pow = libm.func('double pow(double, double)');
    expect(cos(0)).toBe(1);
    expect(pow(2, 10)).toBe(1024);
  });

  test('apache-arrow builds a table', () => {
    const t = tableFromArrays({ a: Float32Array.from([1, 2, 3]) });
    expect(t.numRows).toBe(3);
    expect(Array.from(t.getChild('a')!.toArray() as Float32Array)).toEqual([1, 2, 3]);
  });
});
