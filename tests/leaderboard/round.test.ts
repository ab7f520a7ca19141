import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { npRound, pyRound } from '../../src/leaderboard/round.js';

const golden = JSON.parse(readFileSync('fixtures/golden/stats/rounding.json', 'utf8')) as {
  cases: Array<{ x: number; py_round2: number; np_round2: number }>;
};

describe('rounding matches Python and numpy (fixtures/golden/stats/make_rounding.py)', () => {
  test('pyRound(x, 2) === Python round(x, 2) on every golden value', () => {
    const bad = golden.cases.filter((c) => pyRound(c.x, 2) !== c.py_round2);
    expect(bad).toEqual([]);
  });
  test('npRound(x, 2) === numpy.round(x, 2) on every golden value', () => {
    const bad = golden.cases.filter((c) => npRound(c.x, 2) !== c.np_round2);
    expect(bad).toEqual([]);
  });
  test('known cases: binary ties go to even, 2.675 is below the tie', () => {
    expect(pyRound(0.125, 2)).toBe(0.12);
    expect(pyRound(0.375, 2)).toBe(0.38);
    expect(pyRound(2.675, 2)).toBe(2.67);
    expect(pyRound(-0.125, 2)).toBe(-0.12);
    expect(golden.cases.some((c) => c.py_round2 !== c.np_round2)).toBe(true);
  });
});
