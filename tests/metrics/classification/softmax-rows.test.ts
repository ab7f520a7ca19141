/**
 * The multinomial objective's per-row work runs split over the workspace's threads (softmax-rows.ts, a dense64
 * row kernel that each worker compiles from source). Its loss and gradient must have the same bits for every
 * thread count and kernel choice (native / WebAssembly products), on a shape big enough to split, for both
 * objectives ('1.4' divides G by n), and the workers must really have run it (no silent fallback).
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { Dense64Workspace } from '../../../src/metrics/numeric/dense64/workspace.js';
import { multinomialObjective } from '../../../src/metrics/classification/logistic-regression.js';

function values(n: number, seed: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 31 - 1) * scale;
  }
  return out;
}

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

const workspaces = [
  new Dense64Workspace(1, { nativeLevel: 0 }),
  new Dense64Workspace(2, { nativeLevel: 0 }),
  new Dense64Workspace(2),
  new Dense64Workspace(4),
];
afterAll(() => workspaces.forEach((w) => w.close()));

describe('multinomial objective with its rows split over the threads', () => {
  // n · K · 16 > 2^21: the row kernel runs on the workers
  const [n, p, K] = [2100, 37, 77];
  const X = values(n * p, 3, 1);
  const y = Int32Array.from({ length: n }, (_, i) => (i * 13 + (i >> 4)) % K);
  for (const scale of [false, true]) {
    test(`same loss and gradient bits on every workspace (${scale ? "'1.4': G / n" : "'1.2'"})`, () => {
      const ws0 = values(K * (p + 1), 9, 0.3);
      let want: { loss: number; grad: Float64Array } | undefined;
      for (const ws of workspaces) {
        ws.setProblem(n, p, K).set(X);
        const f = multinomialObjective(ws, n, p, K, y, 1 / n, scale);
        // two evaluations at different points: the second reuses the layout (labels, intercepts rewritten)
        for (const w of [ws0, values(K * (p + 1), 10, 0.3)]) {
          const grad = new Float64Array(K * (p + 1));
          const loss = f(w, grad);
          expect(Number.isFinite(loss)).toBe(true);
          if (w === ws0) {
            if (!want) want = { loss, grad };
            else {
              expect(Object.is(loss, want.loss)).toBe(true);
              expect(bits(grad).equals(bits(want.grad))).toBe(true);
            }
          }
        }
        expect(ws.threadsUsable).toBe(true);
      }
    });
  }
});
