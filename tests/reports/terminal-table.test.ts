import { describe, expect, test } from '@jest/globals';
import Table from 'cli-table3';
import { fitColumns, terminalTable, wrapWidths } from '../../src/util/terminal-table.js';

const head = ['Name', 'A', 'B', 'C', 'D'];
const rows = [['alpha', '1.00', '22.00', '333.00', '4444.00']];
const longest = (text: string) => Math.max(...text.split('\n').map((l) => [...l].length));

describe('terminal-table: sized to the terminal', () => {
  test('without a width every column is printed (pipes, files)', () => {
    const t = terminalTable(head, rows);
    expect(t.parts).toBe(1);
    expect(t.text.split('\n')[1]).toBe('│ Name  │    A │     B │      C │       D │');
  });
  test('fitColumns groups the non-frozen columns by the width left beside the frozen ones', () => {
    // Frozen column of 5 uses 1 + 8; each column adds its width + 3.
    expect(fitColumns([5, 4, 5, 6, 7], 1, 33)).toEqual([[1, 2, 3], [4]]);
    expect(fitColumns([5, 4, 5, 6, 7], 1, 32)).toEqual([[1, 2], [3, 4]]);
    expect(fitColumns([5, 4, 5, 6, 7], 1, undefined)).toEqual([[1, 2, 3, 4]]);
    // A single over-wide column still gets a group of its own instead of vanishing.
    expect(fitColumns([5, 40], 1, 20)).toEqual([[1]]);
  });
  test('wrap: the columns that do not fit go to a second table that repeats the frozen column', () => {
    const t = terminalTable(head, rows, { width: 33 });
    expect(t.parts).toBe(2);
    expect(longest(t.text)).toBeLessThanOrEqual(33);
    expect(t.text).toContain('│ Name  │       D │');
    expect(t.text).toContain('│ alpha │ 4444.00 │');
  });
  test('drop: the columns that do not fit are named, not printed', () => {
    const t = terminalTable(head, rows, { width: 33, overflow: 'drop' });
    expect(t.dropped).toEqual(['D']);
    expect(t.text).not.toContain('4444.00');
    expect(longest(t.text)).toBeLessThanOrEqual(33);
  });
  test('frozen columns wider than the terminal are shortened with an ellipsis', () => {
    const t = terminalTable(['Model', 'Avg'], [['organisation/a-very-long-model-name-that-never-ends', '70.00']], { width: 30, frozen: 2, overflow: 'drop' });
    expect(longest(t.text)).toBeLessThanOrEqual(30);
    expect(t.text).toContain('…');
    expect(t.text).toContain('70.00');
  });
  test('control characters never reach the terminal', () => {
    expect(terminalTable(['x'], [['a\u001b[31mb']]).text).toContain('a?[31mb');
  });
  test('wrapWidths: preferred widths when they fit, else shrunk in proportion so a word-wrapped box fits', () => {
    expect(wrapWidths([16, 24, 7, 70], undefined)).toEqual([16, 24, 7, 70]);
    expect(wrapWidths([16, 24, 7, 70], 200)).toEqual([16, 24, 7, 70]);
    const w = wrapWidths([16, 24, 7, 70], 80);
    expect(w.reduce((a, b) => a + b, 0) + 5).toBe(80);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(8);
    // The real thing: the benchmarks table's cells wrapped by cli-table3 into these widths stay within 80 columns.
    const t = new Table({ head: ['benchmark', 'aliases', 'tasks', 'description'], colWidths: w, wordWrap: true, style: { head: [], border: [] } });
    t.push(['MTEB(eng, v1)', 'mteb_eng_v1, MTEB(eng)', '56', 'The original English MTEB: 56 tasks over seven task types, as the first leaderboard scored them.']);
    expect(longest(t.toString())).toBeLessThanOrEqual(80);
    // Too narrow for every column's minimum: each keeps 8.
    expect(wrapWidths([16, 24, 7, 70], 20)).toEqual([8, 8, 8, 8]);
  });
});
