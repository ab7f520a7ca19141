import { describe, test, expect } from '@jest/globals';
import { PythonRandom, sampleSetSize } from '../../../src/rng/python-random.js';
import { goldens } from './helpers.js';

const G = goldens.python_random;
interface DrawCase {
  n: number;
  k: number;
  result: number[];
  next_random: number;
}
const sampleCases: [number, number, DrawCase][] = (G.sample as DrawCase[]).map((c) => [c.n, c.k, c]);
const choicesCases: [number, number, DrawCase][] = (G.choices as DrawCase[]).map((c) => [c.n, c.k, c]);

describe('PythonRandom matches CPython random.Random', () => {
  test('Random(42).random() first value', () => {
    expect(new PythonRandom(42).random()).toBe(0.6394267984578837);
  });

  test.each(Object.keys(G.seeds) as string[])('seed %s: random() then getrandbits(32)', (seed) => {
    const r = new PythonRandom(Number(seed));
    const got = [0, 1, 2, 3, 4].map(() => r.random());
    expect(got).toEqual(G.seeds[seed].random);
    expect([0, 1, 2, 3, 4].map(() => r.getrandbits(32))).toEqual(G.seeds[seed].u32);
  });

  test('getrandbits for 1..53 bits in one stream', () => {
    const r = new PythonRandom(42);
    for (const c of G.getrandbits) expect(r.getrandbits(c.bits)).toBe(c.value);
  });

  test.each(sampleCases)(
    'sample(range(%i), %i) incl. pool/set switch and the next draw',
    (_n, _k, c) => {
      const r = new PythonRandom(42);
      expect(r.sampleRange(c.n, c.k)).toEqual(c.result);
      expect(r.random()).toBe(c.next_random);
    },
  );

  test.each(choicesCases)('choices(range(%i), k=%i)', (_n, _k, c) => {
    const r = new PythonRandom(42);
    expect(r.choicesRange(c.n, c.k)).toEqual(c.result);
    expect(r.random()).toBe(c.next_random);
  });

  test('shuffle', () => {
    const x = Array.from({ length: 30 }, (_, i) => i);
    new PythonRandom(42).shuffle(x);
    expect(x).toEqual(G.shuffle[0].result);
  });

  test('sample set-size table', () => {
    expect([1, 5, 6, 21, 100, 2048, 16384].map(sampleSetSize)).toEqual([21, 21, 85, 85, 1045, 16405, 65557]);
  });

  test('invalid arguments throw', () => {
    expect(() => new PythonRandom(42).sampleRange(3, 4)).toThrow(RangeError);
    expect(() => new PythonRandom(42).randbelow(0)).toThrow(RangeError);
  });
});
