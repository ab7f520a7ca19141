import { describe, test, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { pythonRound } from '../../../src/metrics/rounding.js';

const golden = JSON.parse(readFileSync(new URL('../../../fixtures/golden/retrieval/rounding.json', import.meta.url), 'utf8')) as {
  rows: [string, number, string][];
};

/** Python repr -> number ('-0.0', '1e+300', 'inf' never occur here). */
const py = (s: string) => Number(s);

describe('pythonRound', () => {
  test('known CPython results', () => {
    expect(pythonRound(0.125, 2)).toBe(0.12); // exact tie -> even
    expect(pythonRound(0.375, 2)).toBe(0.38);
    expect(pythonRound(2.675, 2)).toBe(2.67); // 2.67499999... in binary
    expect(pythonRound(1.005, 2)).toBe(1.0);
    expect(pythonRound(0.015625, 5)).toBe(0.01562); // toFixed(5) gives 0.01563
    expect(pythonRound(0.046875, 5)).toBe(0.04688);
    expect(pythonRound(-2.675, 2)).toBe(-2.67);
    expect(pythonRound(2.5, 0)).toBe(2);
    expect(pythonRound(-0.5, 0)).toBe(-0);
    expect(Object.is(pythonRound(-1e-7, 5), -0)).toBe(true);
    expect(pythonRound(1250, -2)).toBe(1200);
    expect(pythonRound(1350, -2)).toBe(1400);
    expect(pythonRound(5e-324, 400)).toBe(5e-324);
    expect(Object.is(pythonRound(-3.5, -400), -0)).toBe(true);
    expect(pythonRound(Infinity, 2)).toBe(Infinity);
    expect(pythonRound(NaN, 2)).toBeNaN();
  });

  test(`matches CPython round() on ${golden.rows.length} (value, ndigits) pairs`, () => {
    const bad: string[] = [];
    for (const [v, nd, want] of golden.rows) {
      const got = pythonRound(py(v), nd);
      if (!Object.is(got, py(want))) bad.push(`round(${v}, ${nd}) = ${want}, got ${got}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(golden.rows.length).toBeGreaterThan(5000);
  });
});
