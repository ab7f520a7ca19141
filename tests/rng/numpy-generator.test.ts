import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { SeedSequence, PCG64, defaultRng } from '../../src/rng/numpy-generator.js';

// Produced by numpy 1.24.2: fixtures/golden/classification/make_stratified.py
const G = JSON.parse(readFileSync(new URL('../../fixtures/golden/classification/stratified.json', import.meta.url), 'utf8'));

describe('numpy default_rng (SeedSequence + PCG64 + Generator)', () => {
  test('SeedSequence pool and generated state', () => {
    const ss = new SeedSequence(42);
    expect(Array.from(ss.pool)).toEqual(G.seedseq42_pool);
    expect(ss.generateState64(4).map(String)).toEqual(G.seedseq42_state64_4);
    expect(Array.from(new SeedSequence(2 ** 40 + 7).generateState32(4))).toEqual(G.seedseq_2pow40plus7_state32_4);
  });
  test('PCG64 raw outputs and doubles', () => {
    const bg = new PCG64(42);
    expect(Array.from({ length: 5 }, () => bg.next64().toString())).toEqual(G.rng42_raw5);
    const g = defaultRng(42);
    expect([g.random(), g.random(), g.random()]).toEqual(G.rng42_random3);
  });
  test('permutation / shuffle (masked interval draws on buffered 32-bit outputs)', () => {
    expect(defaultRng(42).permutation(10)).toEqual(G.rng42_permutation10);
    const g = defaultRng(42);
    expect([g.permutation(5), g.permutation([10, 20, 30, 40])]).toEqual(G.rng42_perm5_then_perm_list);
  });
  test('choice without replacement: Floyd + Lemire shuffle, and the tail-shuffle branch', () => {
    expect(defaultRng(42).choiceWithoutReplacement(7, 3)).toEqual(G.rng42_choice7_3_noreplace);
    expect(defaultRng(3).choiceWithoutReplacement(1000, 40)).toEqual(G.rng3_choice1000_40_noreplace);
    const tail = defaultRng(5).choiceWithoutReplacement(20000, 500);
    expect(tail.slice(0, 20)).toEqual(G.rng5_choice20000_500_noreplace_first20);
    expect(tail.reduce((a, b) => a + b, 0)).toBe(G.rng5_choice20000_500_noreplace_sum);
  });
});
