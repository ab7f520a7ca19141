import { describe, test, expect } from '@jest/globals';
import { evaluateRerankingLegacy, type RerankingRow } from '../../../src/metrics/reranking/index.js';
import { torchArgsortDesc } from '../../../src/metrics/stats/index.js';
import type { SimilarityFn } from '../../../src/metrics/stats/paired.js';
import { close, loadGolden, mat, mismatches } from '../pair-classification/golden-helpers.js';

interface Golden {
  dim: number;
  rows: { dim: number; query: number[]; positive: number[]; negative: number[] }[];
  cases: { similarity: SimilarityFn; scores: Record<string, number | null>; perItem: number[] }[];
  argsort: { values: number[]; order: number[] }[];
}
const g = loadGolden<Golden>('reranking');
const rows: RerankingRow[] = g.rows.map((r) => ({
  query: mat(r.query, r.dim),
  positive: mat(r.positive, r.dim),
  negative: mat(r.negative, r.dim),
}));

describe('evaluateRerankingLegacy vs mteb 1.39.7 RerankingEvaluator + sklearn', () => {
  test.each(g.cases.map((c) => [c.similarity, c] as const))('%s', (_n, c) => {
    const r = evaluateRerankingLegacy(rows, { similarity: c.similarity });
    expect(mismatches(r.scores, c.scores)).toEqual([]);
    expect(r.perItem).toHaveLength(c.perItem.length);
    expect(r.perItem.every((v, i) => close(v, c.perItem[i], 1e-12))).toBe(true);
  });

  test('rows without a positive or a negative are dropped', () => {
    const r = evaluateRerankingLegacy(rows);
    expect(r.rowIndex).not.toContain(35);
    expect(r.rowIndex).not.toContain(36);
    expect(r.rowIndex).toContain(37);
    expect(r.perItem).toHaveLength(rows.length - 2);
  });

  test('a query with no sub-query embeddings is a user error', () => {
    const bad: RerankingRow = { query: mat([], g.dim), positive: rows[0].positive, negative: rows[0].negative };
    expect(() => evaluateRerankingLegacy([bad])).toThrow(/no \(sub-\)query embeddings/);
  });
});

describe('torchArgsortDesc reproduces torch.argsort(-x) (CPU, torch 1.13)', () => {
  test('200 tie-heavy vectors', () => {
    const bad = g.argsort.filter((c) => torchArgsortDesc(c.values).join(',') !== c.order.join(','));
    expect(bad.length).toBe(0);
  });
  test('short inputs sort stably (insertion sort below 17 items)', () => {
    expect(torchArgsortDesc([0, 1, 1, 0, 1])).toEqual([1, 2, 4, 0, 3]);
  });
});
