import { describe, test, expect } from '@jest/globals';
import { compareCodePoints, trecPrecedes, trecSim } from '../../../src/metrics/retrieval/order.js';
import { glibcLog2 } from '../../../src/metrics/retrieval/log2.js';
import { numpyStd, numpySum64 as numpySum } from '../../../src/metrics/numeric/numpy-sum.js';
import { pythonSum } from '../../../src/metrics/numeric/python-sum.js';

describe('orderings', () => {
  test('code point order, not UTF-16 order', () => {
    // U+1F600 (surrogate pair D83D DE00) sorts after U+FF21 in UTF-8/code points, before it in UTF-16.
    expect('\u{1F600}' < '\uFF21').toBe(true);
    expect(compareCodePoints('\u{1F600}', '\uFF21')).toBeGreaterThan(0);
    expect(compareCodePoints('\uFF21', '\u{1F600}')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
    expect(compareCodePoints('b', 'abc')).toBeGreaterThan(0);
    expect(compareCodePoints('\u00e9', 'z')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
  });

  test('trec_eval ties on float32 and breaks them by doc id descending', () => {
    const a = 0.1;
    const b = 0.1 + 1e-12; // same float32
    expect(trecSim(a)).toBe(trecSim(b));
    expect(trecPrecedes(trecSim(a), 'd1', trecSim(b), 'd2')).toBe(false);
    expect(trecPrecedes(trecSim(b), 'd2', trecSim(a), 'd1')).toBe(true);
    expect(trecPrecedes(trecSim(0.5), 'a', trecSim(0.25), 'z')).toBe(true);
    expect(Object.is(trecSim(-0), 0)).toBe(true);
  });

  test('glibc log2 where V8 differs', () => {
    expect(glibcLog2(1375)).toBe(10.425215903299383);
    expect(Math.log2(1375)).toBe(10.425215903299385);
    expect(glibcLog2(1001)).toBe(Math.log2(1001));
  });
});

describe('Python / numpy sums', () => {
  test('CPython sum(): naive before 3.12, Neumaier from 3.12', () => {
    const tenth = new Array(10).fill(0.1);
    expect(pythonSum(tenth, 'naive')).toBe(0.9999999999999999);
    expect(pythonSum(tenth, 'neumaier')).toBe(1.0);
    expect(pythonSum([1e16, 1.0, -1e16], 'naive')).toBe(0);
    expect(pythonSum([1e16, 1.0, -1e16], 'neumaier')).toBe(1);
  });

  test('numpy pairwise sum differs from a left-to-right sum like numpy does', () => {
    // np.sum(np.full(10, 0.1)) == 1.0 (8-way unrolled block) while sum() gives 0.9999999999999999
    expect(numpySum(new Float64Array(10).fill(0.1))).toBe(1.0);
    expect(numpyStd([1, 2, 3, 4])).toBe(1.118033988749895);
  });
});
