import { describe, test, expect } from '@jest/globals';
import { evaluateBitextMining } from '../../../src/metrics/bitext/index.js';
import { torchTop1Index } from '../../../src/metrics/stats/index.js';
import type { SimilarityFn } from '../../../src/metrics/stats/paired.js';
import { loadGolden, mat, mismatches } from '../pair-classification/golden-helpers.js';

interface Golden {
  cases: {
    name: string;
    similarity: SimilarityFn | null;
    gold: number[] | null;
    dim: number;
    emb1: number[];
    emb2: number[];
    scores: Record<string, number>;
    topkIndex: number[];
  }[];
  topk: { values: number[]; index: number }[];
}
const g = loadGolden<Golden>('bitext');

describe('evaluateBitextMining vs mteb BitextMiningEvaluator + sklearn', () => {
  test.each(g.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const r = evaluateBitextMining(mat(c.emb1, c.dim), mat(c.emb2, c.dim), {
      similarity: c.similarity ?? undefined,
      gold: c.gold ?? undefined,
    });
    expect(r.predictions).toEqual(c.topkIndex);
    expect(mismatches(r.scores, c.scores)).toEqual([]);
    expect(r.perItem.reduce((s, v) => s + v, 0) / r.perItem.length).toBeCloseTo(c.scores.accuracy, 15);
  });
});

describe('torchTop1Index reproduces torch.topk(k=1) tie order (CPU, torch 1.13)', () => {
  test('300 tie-heavy vectors', () => {
    const bad = g.topk.filter((t) => torchTop1Index(t.values) !== t.index);
    expect(bad.length).toBe(0);
  });
  test('from 64 values on, the first maximum wins', () => {
    const v = Array.from({ length: 64 }, (_, i) => (i % 5 === 3 ? 1 : 0));
    expect(torchTop1Index(v)).toBe(3);
  });
});
