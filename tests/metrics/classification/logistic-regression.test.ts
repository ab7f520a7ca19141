import { describe, test, expect } from '@jest/globals';
import { fitLogisticRegression, predict, decisionFunction } from '../../../src/metrics/classification/logistic-regression.js';
import { minimizeLbfgsb } from '../../../src/metrics/classification/lbfgsb.js';
import { MtebError } from '../../../src/core/errors.js';
import { makeMatrix } from '../../../src/core/matrix.js';
import { G, mat } from './golden.js';

// Coefficients of a 1.2.1 fit agree to ~1e-11 (the two-loop recursion vs scipy's compact form and BLAS
// summation order differ in the last bits); we assert 1e-9 absolute, identical n_iter and predictions.
const COEF_TOL = 1e-9;

function maxDiff(a: number[][], b: Float64Array[]): number {
  let m = 0;
  a.forEach((row, k) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[k][j])))));
  return m;
}

describe('LogisticRegression(lbfgs) vs sklearn', () => {
  for (const c of G.logreg) {
    for (const [flavour, key] of [
      ['1.2', 'sklearn_1_2_1'],
      ['1.4', 'emulated_1_4'],
    ] as const) {
      test(`${c.name} (${key})`, () => {
        const ref = c[key];
        const model = fitLogisticRegression(mat(c.X_train), c.y_train, { sklearn: flavour, maxIter: c.max_iter });
        expect(model.nIter).toBe(ref.n_iter);
        expect(model.converged).toBe(ref.n_iter < c.max_iter);
        expect(maxDiff(ref.coef, model.coef)).toBeLessThan(COEF_TOL);
        expect(maxDiff([ref.intercept], [model.intercept])).toBeLessThan(COEF_TOL);
        expect(predict(model, mat(c.X_test))).toEqual(ref.predict);
        if (flavour === '1.2') {
          expect(model.classes).toEqual(c.sklearn_1_2_1.classes);
          const dec = decisionFunction(model, mat(c.X_test));
          const K = model.coef.length;
          ref.decision.forEach((row: number[], i: number) =>
            row.forEach((v, k) => expect(Math.abs(v - dec[i * K + k])).toBeLessThan(1e-8)),
          );
        } else {
          expect(Math.abs(model.objective - ref.fun)).toBeLessThan(1e-12);
        }
      });
    }
  }

  test('a single training class is an MtebError (sklearn raises ValueError)', () => {
    expect(G.single_class_error).toMatch(/at least 2 classes/);
    const X = makeMatrix(3, 2, Float32Array.from([1, 0, 0, 1, 1, 1]));
    expect(() => fitLogisticRegression(X, [1, 1, 1], { task: 'T' })).toThrow(MtebError);
    expect(() => fitLogisticRegression(X, [1, 1, 1], { task: 'T' })).toThrow(/at least 2 classes/);
  });

  test('binary decision exactly 0 predicts the first class', () => {
    const model = { classes: ['a', 'b'], coef: [Float64Array.of(1)], intercept: Float64Array.of(0), nIter: 0, converged: true, objective: 0, message: '' };
    expect(predict(model, makeMatrix(2, 1, Float32Array.from([0, 1e-30])))).toEqual(['a', 'b']);
  });
});

describe('L-BFGS-B port vs scipy 1.10.1 on Rosenbrock', () => {
  const rosen = (x: Float64Array, g: Float64Array): number => {
    let f = 0;
    g.fill(0);
    for (let i = 0; i < x.length - 1; i++) {
      const a = x[i + 1] - x[i] * x[i];
      const b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] += -400 * x[i] * a - 2 * b;
      g[i + 1] += 200 * a;
    }
    return f;
  };
  for (const r of G.lbfgsb_rosenbrock) {
    test(`n=${r.x0.length} ${r.message}`, () => {
      const res = minimizeLbfgsb(rosen, r.x0, {
        maxiter: r.options.maxiter,
        gtol: r.options.gtol,
        ftol: r.options.ftol,
        maxls: r.options.maxls,
      });
      expect(res.nit).toBe(r.nit);
      expect(res.nfev).toBe(r.nfev);
      expect(res.status).toBe(r.status);
      expect(res.message).toBe(r.message);
      r.x.forEach((v: number, i: number) => expect(Math.abs(v - res.x[i])).toBeLessThan(1e-8));
    });
  }

  test('already optimal start: zero iterations', () => {
    const res = minimizeLbfgsb((x, g) => { g[0] = 2 * x[0]; return x[0] * x[0]; }, [0], { maxiter: 10, gtol: 1e-5, ftol: 1e-9, maxls: 20 });
    expect(res.nit).toBe(0);
    expect(res.status).toBe(0);
  });
});
