import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { MT19937 } from '../../src/rng/mt19937.js';
import { RandomState } from '../../src/rng/numpy-random-state.js';

// Produced by numpy 1.24.2: fixtures/golden/classification/make_rng_vectors.py
const G = JSON.parse(readFileSync(new URL('../../fixtures/golden/classification/rng-vectors.json', import.meta.url), 'utf8'));

describe('MT19937 core', () => {
  test('init_genrand(42) state and first outputs', () => {
    const mt = new MT19937();
    mt.init_genrand(42);
    expect(Array.from(mt.getState().key.slice(0, 8))).toEqual(G.state_first8);
    expect(Array.from({ length: 20 }, () => mt.nextUint32())).toEqual(G.uint32_first20);
  });
  test('stream across the 624-word twist boundary', () => {
    const rs = new RandomState(123);
    const all = Array.from({ length: 700 }, () => rs.randint(0, 2 ** 32));
    expect(all.slice(-5)).toEqual(G.uint32_700_seed_123_last5);
  });
  test('init_by_array([42]) matches CPython random.Random(42).random()', () => {
    const mt = new MT19937();
    mt.init_by_array([42]);
    expect(mt.nextDouble()).toBe(0.6394267984578837);
  });
  test('setState restores the stream', () => {
    const mt = new MT19937();
    mt.init_genrand(5);
    mt.nextUint32();
    const s = mt.getState();
    const a = mt.nextUint32();
    mt.setState(s);
    expect(mt.nextUint32()).toBe(a);
  });
  test('rejects invalid seeds', () => {
    expect(() => new MT19937().init_genrand(-1)).toThrow(RangeError);
    expect(() => new MT19937().init_genrand(2 ** 32)).toThrow(RangeError);
  });
});

describe('RandomState legacy methods', () => {
  test('random_sample and uniform', () => {
    expect(Array.from(new RandomState(42).randomSample(5))).toEqual(G.random_sample_5);
    expect(new RandomState(42).randomSample()).toBe(G.random_sample_5[0]);
    expect(Array.from(new RandomState(7).uniform(-2, 3, 4))).toEqual(G.uniform_m2_3_size4_seed7);
  });
  test('randint: masked rejection, negative low, large spans, span-1 consumes nothing', () => {
    expect(Array.from(new RandomState(42).randintArray(0, 1000, 10))).toEqual(G.randint_0_1000_10);
    expect(Array.from(new RandomState(1).randintArray(-5, 5, 12))).toEqual(G.randint_m5_5_12_seed1);
    expect(Array.from(new RandomState(3).randintArray(0, 2 ** 31, 6))).toEqual(G.randint_0_2pow31_6_seed3);
    expect(Array.from(new RandomState(3).randintArray(0, 2 ** 32, 4))).toEqual(G.randint_0_2pow32_4_seed3);
    const rs = new RandomState(9);
    expect([rs.randint(1), rs.randint(5), rs.randint(0, 1), rs.randint(3, 10)]).toEqual(G.randint_scalars_seed9_with_span1);
    expect(() => rs.randint(3, 3)).toThrow(RangeError);
  });
  test('shuffle: mteb pattern (fresh RandomState(42) on the previous list)', () => {
    const lst = Array.from({ length: 20 }, (_, i) => i);
    const got: number[][] = [];
    for (let k = 0; k < 3; k++) {
      new RandomState(42).shuffle(lst);
      got.push([...lst]);
    }
    expect(got).toEqual(G.shuffle_range20_fresh42_x3);
    const big = Array.from({ length: 1000 }, (_, i) => i);
    new RandomState(42).shuffle(big);
    expect(big.slice(0, 10)).toEqual(G.shuffle_range1000_seed42_first10);
  });
  test('permutation', () => {
    expect(new RandomState(42).permutation(10)).toEqual(G.permutation_10_seed42);
    const rs = new RandomState(42);
    expect([rs.permutation(1), rs.randomSample()]).toEqual(G.permutation_1_seed42_then_random);
  });
  test('choice variants', () => {
    expect(new RandomState(42).choice(20, { size: 4, replace: false })).toEqual(G.choice_20_size4_noreplace_seed42);
    expect(new RandomState(42).choice(10, { size: 5 })).toEqual(G.choice_10_size5_replace_seed42);
    expect(new RandomState(5).choice(5, { size: 8, p: G.choice_p_weights })).toEqual(G.choice_p_size8_seed5);
    expect(new RandomState(5).choice(5, { size: 3, replace: false, p: G.choice_p_weights })).toEqual(G.choice_p_noreplace_size3_seed5);
    expect(new RandomState(5).choiceScalar(5, { p: G.choice_p_weights })).toBe(G.choice_p_scalar_seed5);
    const p32 = new Array(7).fill(Math.fround(1 / 7));
    expect(new RandomState(42).choice(7, { size: 5, p: p32, pDtype: 'float32' })).toEqual(G.choice_p32_uniform7_size5_seed42);
    // float32 1/7 sums to 1 + 1.2e-7: fine for float32 p, still inside sqrt(eps64) too.
    expect(() => new RandomState(1).choice(3, { p: [0.5, 0.5, 0.5] })).toThrow(/sum to 1/);
    expect(() => new RandomState(1).choice(3, { p: [0.5, -0.5, 1] })).toThrow(/non-negative/);
  });
});

// numpy 1.24.2 outputs from the shared reference set, committed (trimmed to these keys) under fixtures/golden/rng.
const S = JSON.parse(readFileSync(new URL('../../fixtures/golden/rng/numpy-legacy-randomstate.json', import.meta.url), 'utf8')).numpy_legacy_randomstate;

describe('reference vectors of numpy.random.RandomState(42) (fixtures/golden/rng/numpy-legacy-randomstate.json)', () => {
  const rs42 = () => new RandomState(42);
  test('seeding: state key and position', () => {
    const mt = new MT19937();
    mt.init_genrand(42);
    expect(Array.from(mt.getState().key.slice(0, 8))).toEqual(S.state_after_seed_42_key_first8);
    expect(mt.getState().pos).toBe(S.state_after_seed_42_pos);
  });
  test('raw 32-bit outputs and random_sample', () => {
    const rs = rs42();
    expect(Array.from({ length: 20 }, () => rs.randint(0, 2 ** 32))).toEqual(S.uint32_first20);
    expect(Array.from(rs42().randomSample(5))).toEqual(S.random_sample_5);
  });
  test('randint: arrays, scalar, and one stream across calls', () => {
    expect(Array.from(rs42().randintArray(0, 1000, 10))).toEqual(S.randint_0_1000_10);
    expect(Array.from(rs42().randintArray(0, 7, 10))).toEqual(S.randint_0_7_10);
    expect(rs42().randint(0, 90)).toBe(S.randint_scalar_90);
    expect(Array.from(rs42().randintArray(0, 90, 5))).toEqual(S.randint_0_90_5);
    const rs = rs42();
    rs.randintArray(0, 1000, 10);
    expect(Array.from(rs.randintArray(0, 7, 10))).toEqual(S.randint_0_7_10_after_randint_0_1000_10_same_stream);
  });
  test('permutation and choice without replacement', () => {
    expect(rs42().permutation(10)).toEqual(S.permutation_10);
    expect(rs42().choice(20, { size: 4, replace: false })).toEqual(S.choice_20_size4_replace_false);
  });
});
