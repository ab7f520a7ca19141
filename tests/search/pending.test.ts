import { describe, test, expect } from '@jest/globals';
import { Pending, kthLargest } from '../../src/search/pending.js';
import { rng } from './helpers.js';

describe('pending candidates', () => {
  test('kthLargest equals sorting, with heavy ties, for every k', () => {
    const r = rng(4);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const vals = Float64Array.from({ length: n }, () => Math.floor(r() * (n > 50 ? 20 : 5)));
      const sorted = Array.from(vals).sort((a, b) => b - a);
      for (let k = 1; k <= n; k += Math.max(1, Math.floor(n / 37))) expect(kthLargest(vals.slice(), n, k)).toBe(sorted[k - 1]);
    }
  });

  test('prune keeps everything within 2δ of the k-th engine score and above the ranked line; dropFrom removes a chunk', () => {
    const p = new Pending();
    [0.9, 0.8, 0.7, 0.69, 0.5, 0.3].forEach((v, i) => p.add(i, v));
    p.prune(3, 0.02, -Infinity, new Float64Array(16));
    // k-th (3rd) largest 0.7; line 0.7 - 0.02 = 0.68: 0.69 stays, 0.5 and 0.3 go
    expect(Array.from(p.rows.subarray(0, p.n))).toEqual([0, 1, 2, 3]);
    expect(p.cut).toBe(Math.fround(0.7) - 0.02); // engine scores are float32
    p.add(10, 0.6); // below the cut: not kept
    p.add(11, 0.95);
    expect(p.n).toBe(5);
    p.prune(3, 0.02, 0.85, new Float64Array(16)); // the ranked line is higher
    expect(Array.from(p.rows.subarray(0, p.n))).toEqual([0, 11]);
    p.add(20, 0.99);
    p.dropFrom(11);
    expect(Array.from(p.rows.subarray(0, p.n))).toEqual([0]);
    // A larger bound (a later chunk with larger norms) lowers the line; it is never kept from a smaller one.
    expect(p.ek).toBe(Math.fround(0.8));
    expect(p.line(0.5, -Infinity)).toBe(Math.fround(0.8) - 0.5);
    p.add(30, 0.4);
    expect(p.n).toBe(2);
  });
});
