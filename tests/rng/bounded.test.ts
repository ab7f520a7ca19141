import { describe, test, expect } from '@jest/globals';
import { bitMask, fisherYates, maskedInterval } from '../../src/rng/bounded.js';

function words(list: number[]): () => number {
  let i = 0;
  return () => list[i++];
}

describe('numpy masked bounded draws', () => {
  test('bitMask is the smallest 2^k - 1 covering the value', () => {
    expect([0, 1, 2, 5, 8, 255, 256, 0x80000000, 0xffffffff].map(bitMask)).toEqual([
      0, 1, 3, 7, 15, 255, 511, 0xffffffff, 0xffffffff,
    ]);
  });

  test('maskedInterval rejects masked words above max and consumes nothing for max 0', () => {
    const next = words([0xffffffff, 0xfffffffe, 0x13]);
    expect(maskedInterval(next, 5)).toBe(3); // 7 and 6 rejected, 0x13 & 7 = 3 kept
    const none = words([]);
    expect(maskedInterval(none, 0)).toBe(0);
    expect(maskedInterval(words([0xdeadbeef]), 0xffffffff)).toBe(0xdeadbeef);
    expect(() => maskedInterval(none, 2 ** 32)).toThrow(RangeError);
  });

  test('fisherYates swaps from the end with j = interval(i)', () => {
    const x = ['a', 'b', 'c', 'd'];
    const draws: number[] = [];
    fisherYates(x, (max) => {
      draws.push(max);
      return 0;
    });
    expect(draws).toEqual([3, 2, 1]);
    expect(x).toEqual(['b', 'c', 'd', 'a']);
  });
});
