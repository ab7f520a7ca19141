/**
 * The L-BFGS-B port's result bits are pinned: its two-loop recursion runs fused passes (each update of q with the
 * dot product that reads it next), which must give exactly the separate passes' bits. The hash below is of the
 * final x computed by the unfused version (main at fd3553d) on this problem: 40 iterations, 46 evaluations, so
 * the 10-pair memory wraps around and the line search takes steps other than 1.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { minimizeLbfgsb } from '../../../src/metrics/classification/lbfgsb.js';

describe('L-BFGS-B result bits', () => {
  test('a coupled quartic in 5,000 variables: the same x, bit for bit, as the unfused recursion', () => {
    const n = 5000;
    const c = new Float64Array(n);
    const t = new Float64Array(n);
    let s = 7;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      c[i] = 1 + (s % 1000) / 10;
      t[i] = (s >>> 8) / 2 ** 24 - 0.5;
    }
    const fun = (x: Float64Array, g: Float64Array) => {
      let f = 0;
      g.fill(0);
      for (let i = 0; i < n; i++) {
        const d = x[i] - t[i];
        f += c[i] * d * d;
        g[i] += 2 * c[i] * d;
      }
      for (let i = 0; i + 1 < n; i++) {
        const p = x[i] * x[i + 1];
        f += 0.1 * p * p;
        g[i] += 0.2 * p * x[i + 1];
        g[i + 1] += 0.2 * p * x[i];
      }
      return f;
    };
    const r = minimizeLbfgsb(fun, new Float64Array(n), { maxiter: 40, gtol: 1e-14, maxls: 20, ftol: 1e-30 });
    expect([r.nit, r.nfev, r.f]).toEqual([40, 46, 3.4486508400175784]);
    expect(createHash('sha256').update(Buffer.from(r.x.buffer)).digest('hex')).toBe('6472754992b7bb053395910931c4a4d15595cc44337cf44c0cddfee477c29d7e');
  });
});
