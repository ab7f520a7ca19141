import { describe, test, expect } from '@jest/globals';
import { evaluateSTS } from '../../../src/metrics/sts/index.js';
import type { Protocol } from '../../../src/task-types/spec.js';
import type { SimilarityFn } from '../../../src/metrics/stats/paired.js';
import { close, loadGolden, mat, mismatches } from '../pair-classification/golden-helpers.js';

interface Case {
  name: string;
  protocol: Protocol;
  similarity: SimilarityFn | null;
  scoreRange: [number, number] | null;
  dim: number;
  emb1: number[];
  emb2: number[];
  gold: number[];
  scores: Record<string, number | null>;
  cosine: number[];
  arithmetic?: 'float32';
}
const golden = loadGolden<{ cases: Case[] }>('sts');

describe('evaluateSTS vs scipy/sklearn', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const r = evaluateSTS(mat(c.emb1, c.dim), mat(c.emb2, c.dim), c.gold, {
      protocol: c.protocol,
      similarity: c.similarity ?? undefined,
      scoreRange: c.scoreRange ?? undefined,
      arithmetic: c.arithmetic,
    });
    expect(mismatches(r.scores, c.scores)).toEqual([]);
    expect(r.perItem).toHaveLength(c.gold.length);
    expect(r.perItem.every((v, i) => close(v, c.cosine[i], 0))).toBe(true);
  });

  test('float64 scores differ from sklearn-on-float32 in the last float32 bits, which the float32 mode reproduces', () => {
    const c = golden.cases.find((x) => x.name === 'float32')!;
    const r64 = evaluateSTS(mat(c.emb1, c.dim), mat(c.emb2, c.dim), c.gold);
    const differing = r64.perItem.filter((v, i) => v !== c.cosine[i]).length;
    expect(differing).toBeGreaterThan(c.gold.length / 2);
    expect(r64.perItem.every((v, i) => Math.abs(v - c.cosine[i]) < 1e-6)).toBe(true);
  });

  test('main score is Spearman of cosine: a perfectly monotone set gives exactly 1', () => {
    const r = evaluateSTS(mat([1, 0, 1, 1, 0, 1], 2), mat([1, 0, 1, 0, 1, 0], 2), [3, 2, 1]);
    expect(r.scores.cosine_spearman).toBe(1);
    expect(r.scores.spearman).toBe(1);
  });

  test('mismatched gold length names the field', () => {
    expect(() => evaluateSTS(mat([1, 0, 0, 1], 2), mat([1, 0, 0, 1], 2), [1])).toThrow(/2 embedding pairs but 1 gold/);
  });
});
