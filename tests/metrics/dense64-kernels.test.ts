/**
 * The multinomial logistic regression's products run on dense64.wasm (src/metrics/numeric/dense64/) split over
 * worker threads. Here the plain JavaScript loops they replaced are kept as the reference: every score and
 * gradient entry must have the SAME BITS, for every thread count, on shapes whose sizes are not multiples of
 * the kernels' 4 x 4 tiles, and a whole fit must give bit-identical coefficients with 1, 2 and 3 threads and
 * with the reference objective.
 */
import { dot64 } from '../../src/metrics/clustering/dot64.js';
import { afterAll, describe, expect, test } from '@jest/globals';
import fs from 'node:fs';
import { compileKernels } from '../../src/search/blas/build-kernels.js';
import { Dense64Workspace } from '../../src/metrics/numeric/dense64/workspace.js';
import { fitLogisticRegression } from '../../src/metrics/classification/logistic-regression.js';
import { minimizeLbfgsb } from '../../src/metrics/classification/lbfgsb.js';
import { numpySum64 } from '../../src/metrics/numeric/numpy-sum.js';
import { makeMatrix } from '../../src/core/matrix.js';
import { encodeLabels, uniqueLabels } from '../../src/metrics/classification/labels.js';

/** Deterministic values in [-1, 1) with many exact ties and zeros (a 32-bit LCG, no Math.random). */
function values(n: number, seed: number, zeros = 0): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s & 0xff) < zeros ? 0 : s / 2 ** 31 - 1;
  }
  return out;
}

/** The loops of the pre-kernel objective: one sequential sum per output. */
function refForward(X: Float64Array, n: number, p: number, w: Float64Array, K: number): Float64Array {
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += X[i * p + j] * w[j * K + k];
      out[i * K + k] = s;
    }
  }
  return out;
}
function refGradient(X: Float64Array, n: number, p: number, gp: Float64Array, K: number): Float64Array {
  const out = new Float64Array(p * K);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < K; k++) {
      const g = gp[i * K + k];
      if (g === 0) continue; // the old loop skipped zero terms: +0 added to a sum never changes it
      for (let j = 0; j < p; j++) out[j * K + k] += g * X[i * p + j];
    }
  }
  return out;
}

const sameBits = (a: Float64Array, b: Float64Array) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;

const workspaces = [1, 2, 3].map((t) => new Dense64Workspace(t));
afterAll(() => workspaces.forEach((w) => w.close()));

describe('dense64 products equal the sequential loops bit for bit', () => {
  test('the committed dense64.wasm is dense64.wat compiled', async () => {
    const committed = fs.readFileSync(new URL('../../src/metrics/numeric/dense64/dense64.wasm', import.meta.url));
    expect(Buffer.compare(committed, Buffer.from(await compileKernels('../metrics/numeric/dense64/dense64')))).toBe(0);
  });

  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 3],
    [7, 9, 5],
    [33, 17, 77],
    [301, 101, 77], // n·p·K > 2^21: split over the threads
    [1030, 257, 10],
  ];
  for (const [n, p, K] of shapes) {
    test(`n=${n} p=${p} K=${K}, threads 1/2/3`, () => {
      const X = values(n * p, n * 31 + p, 40);
      const w = values(p * K, K * 7 + 1);
      const gp = values(n * K, n + K, 60);
      const f = refForward(X, n, p, w, K);
      const g = refGradient(X, n, p, gp, K);
      for (const ws of workspaces) {
        ws.setProblem(n, p, K).set(X);
        expect(sameBits(ws.forward(w), f)).toBe(true);
        expect(sameBits(ws.gradient(gp), g)).toBe(true);
        // A second call on the same workspace (fresh panels, G zeroed again) gives the same bits.
        expect(sameBits(ws.gradient(gp), g)).toBe(true);
      }
    });
  }

  test('stale memory (NaN everywhere) never reaches a result: every padding is zeroed before use', () => {
    // The panels live in the shared memory and are rewritten in place (no fresh zeroed arrays): rows past n,
    // features past p and outputs past K must be zeroed each time, or NaN x 0 poisons the sums.
    for (const [n, p, K] of [[5, 6, 5], [301, 101, 77]] as const) {
      const X = values(n * p, n + 3, 40);
      const w = values(p * K, K + 5);
      const gp = values(n * K, n + K + 1, 60);
      const f = refForward(X, n, p, w, K);
      const g = refGradient(X, n, p, gp, K);
      for (const ws of workspaces) {
        ws.setProblem(n + 40, p + 9, K + 7);
        new Uint8Array(ws.buffer, 2048).fill(0xff); // all-ones float64s are NaN
        ws.setProblem(n, p, K).set(X);
        expect(sameBits(ws.forward(w), f)).toBe(true);
        expect(sameBits(ws.gradient(gp), g)).toBe(true);
      }
    }
  });

  test('float32 rows (k-means labelling): widened exactly, centres given centre-major', () => {
    for (const [n, p, K] of [[9, 13, 7], [517, 130, 100]] as const) {
      const X32 = Float32Array.from(values(n * p, p + 5, 30));
      const C = values(K * p, K + 9); // K x p, as k-means keeps its centres
      const asPK = new Float64Array(p * K);
      for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) asPK[j * K + k] = C[k * p + j];
      const f = refForward(Float64Array.from(X32), n, p, asPK, K);
      for (const ws of workspaces) {
        ws.setProblem32(n, p, K).set(X32);
        expect(sameBits(ws.forward(C, true), f)).toBe(true);
      }
    }
  });

  test("dots32 (k-means++ distances) equal dot64's four-accumulator order bit for bit", () => {
    for (const [m, d] of [[5, 1], [6, 3], [7, 4], [9, 5], [11, 7], [3, 17], [1500, 513], [700, 1024]] as const) {
      const rows = Float32Array.from(values(m * d, m * 3 + d, 20));
      const ids = [0, m - 1, Math.floor(m / 2)];
      const want = new Float64Array(ids.length * m);
      ids.forEach((c, t) => {
        for (let i = 0; i < m; i++) want[t * m + i] = dot64(rows, c * d, rows, i * d, d);
      });
      for (const ws of workspaces) {
        ws.setRows32(m, d, 6).set(rows);
        expect(sameBits(ws.dots32(ids), want)).toBe(true);
      }
    }
  });

  test('a wrong reference is caught: one reordered sum changes the bits', () => {
    const n = 5;
    const p = 64;
    const X = values(n * p, 3);
    const w = values(p * 3, 4);
    const f = refForward(X, n, p, w, 3);
    const reordered = new Float64Array(f);
    let s = 0;
    for (let j = p - 1; j >= 0; j--) s += X[j] * w[j * 3];
    reordered[0] = s;
    expect(reordered[0]).not.toBe(f[0]); // summation order matters at these sizes
    const ws = workspaces[0];
    ws.setProblem(n, p, 3).set(X);
    expect(sameBits(ws.forward(w), reordered)).toBe(false);
  });
});

describe('multinomial fit: same coefficients whatever the thread count, and as the reference objective', () => {
  const n = 400;
  const p = 96;
  const K = 77;
  const X = values(n * p, 11, 10);
  const labels = Array.from({ length: n }, (_, i) => `c${(i * 7 + (i >> 3)) % K}`);
  const mat = makeMatrix(n, p, Float32Array.from(X));

  test('threads 1, 2, 3 and the plain-loop objective agree bit for bit', () => {
    const fits = [1, 2, 3].map((threads) => fitLogisticRegression(mat, labels, { threads, maxIter: 20 }));
    const flat = (m: (typeof fits)[number]) => Float64Array.from([...m.coef.flatMap((c) => [...c]), ...m.intercept]);
    for (const f of fits.slice(1)) {
      expect(sameBits(flat(f), flat(fits[0]))).toBe(true);
      expect(f.nIter).toBe(fits[0].nIter);
    }
    // The pre-kernel objective, loops as they were, through the same L-BFGS-B port.
    const Xf = Float64Array.from(Float32Array.from(X));
    const classes = uniqueLabels(labels);
    expect(classes).toHaveLength(K);
    const y = encodeLabels(labels, classes);
    const l2 = 1 / n;
    const objective = (w: Float64Array, grad: Float64Array): number => {
      const raw = refForward(Xf, n, p, w, K);
      const gp = new Float64Array(n * K);
      const lossArr = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = i * K;
        for (let k = 0; k < K; k++) raw[r + k] = raw[r + k] + w[p * K + k];
        let mx = raw[r];
        for (let k = 1; k < K; k++) if (raw[r + k] > mx) mx = raw[r + k];
        let sum = 0;
        const probs = new Float64Array(K);
        for (let k = 0; k < K; k++) sum += probs[k] = Math.exp(raw[r + k] - mx);
        lossArr[i] = Math.log(sum) + mx - raw[r + y[i]];
        for (let k = 0; k < K; k++) gp[r + k] = probs[k] / sum - (k === y[i] ? 1 : 0);
      }
      let loss = numpySum64(lossArr) / n;
      for (let i = 0; i < n * K; i++) gp[i] /= n;
      let ww = 0;
      for (let q = 0; q < p * K; q++) ww += w[q] * w[q];
      loss += 0.5 * l2 * ww;
      const g = refGradient(Xf, n, p, gp, K);
      for (let k = 0; k < K; k++) {
        let b = 0;
        for (let i = 0; i < n; i++) b += gp[i * K + k];
        grad[p * K + k] = b;
      }
      for (let q = 0; q < p * K; q++) grad[q] = g[q] + l2 * w[q];
      return loss;
    };
    const res = minimizeLbfgsb(objective, new Float64Array(K * (p + 1)), { maxiter: 20, gtol: 1e-4, maxls: 50, ftol: 64 * 2.220446049250313e-16 });
    const refFlat = new Float64Array(K * (p + 1));
    for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) refFlat[k * p + j] = res.x[j * K + k];
    for (let k = 0; k < K; k++) refFlat[K * p + k] = res.x[p * K + k];
    expect(sameBits(flat(fits[0]), refFlat)).toBe(true);
    expect(fits[0].nIter).toBe(Math.min(res.nit, 20));
  });
});
