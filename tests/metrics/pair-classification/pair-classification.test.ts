import { describe, test, expect } from '@jest/globals';
import { evaluatePairClassification } from '../../../src/metrics/pair-classification/index.js';
import { averagePrecisionScore } from '../../../src/metrics/stats/index.js';
import type { Protocol } from '../../../src/task-types/spec.js';
import type { SimilarityFn } from '../../../src/metrics/stats/paired.js';
import { close, loadGolden, mat, mismatches } from './golden-helpers.js';

interface Case {
  name: string;
  protocol: Protocol;
  similarity: SimilarityFn | null;
  dim: number;
  emb1: number[];
  emb2: number[];
  labels: number[];
  scores: Record<string, number>;
  cosine: number[];
  arithmetic?: 'float32';
}
const golden = loadGolden<{ cases: Case[]; ap: { name: string; y: number[]; scores: number[]; ap: number }[] }>(
  'pair-classification',
);

describe('evaluatePairClassification vs mteb loops + sklearn', () => {
  test.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = evaluatePairClassification(mat(c.emb1, c.dim), mat(c.emb2, c.dim), c.labels, {
      protocol: c.protocol,
      similarity: c.similarity ?? undefined,
      arithmetic: c.arithmetic,
    });
    if (c.arithmetic === 'float32') {
      // sklearn's float32 cosine/manhattan/euclidean are reproduced bit for bit; np.dot (BLAS sdot) and the
      // torch similarity only to float32 rounding.
      const approx = (k: string) => k.startsWith('dot_') || (c.protocol === 'mteb-2' && k.startsWith('similarity_')) || k.startsWith('max_');
      const exact = Object.fromEntries(Object.entries(c.scores).filter(([k]) => !approx(k)));
      const rest = Object.fromEntries(Object.entries(c.scores).filter(([k]) => approx(k)));
      const pick = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, r.scores[k]]));
      expect(mismatches(pick(Object.keys(exact)), exact)).toEqual([]);
      expect(mismatches(pick(Object.keys(rest)), rest, 1e-6)).toEqual([]);
      expect(r.perItem.every((v, i) => v === c.cosine[i])).toBe(true);
      return;
    }
    expect(mismatches(r.scores, c.scores)).toEqual([]);
    expect(r.perItem.every((v, i) => close(v, c.cosine[i], 1e-12))).toBe(true);
  });

  test('mteb-1 writes thresholds, mteb-2 does not', () => {
    const c = golden.cases.find((x) => x.name === 'random/mteb-1')!;
    const r1 = evaluatePairClassification(mat(c.emb1, c.dim), mat(c.emb2, c.dim), c.labels, { protocol: 'mteb-1' });
    const r2 = evaluatePairClassification(mat(c.emb1, c.dim), mat(c.emb2, c.dim), c.labels, { protocol: 'mteb-2' });
    expect(Object.keys(r1.scores)).toHaveLength(5 * 7 + 5);
    expect(Object.keys(r2.scores)).toHaveLength(5 * 5 + 5);
    expect(r1.scores.cosine_f1_threshold).toBeDefined();
    expect(r2.scores.cosine_f1_threshold).toBeUndefined();
    expect(r1.scores.max_ap).toBe(Math.max(r1.scores.cosine_ap, r1.scores.dot_ap, r1.scores.manhattan_ap, r1.scores.euclidean_ap));
  });

  test('zero-vector cosine follows sklearn (0.5 against a non-zero vector, 1 against zero)', () => {
    const r = evaluatePairClassification(mat([0, 0, 1, 0, 0, 0], 2), mat([1, 0, 0, 0, 0, 0], 2), [1, 0, 1], {
      protocol: 'mteb-1',
    });
    expect(r.perItem).toEqual([0.5, 0.5, 1]);
  });

  test('rejects labels other than 0/1 with the field named', () => {
    expect(() => evaluatePairClassification(mat([1, 0], 2), mat([1, 0], 2), [2], { protocol: 'mteb-1' })).toThrow(/labels must be 0 or 1/);
  });
});

describe('averagePrecisionScore vs sklearn', () => {
  test.each(golden.ap.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    expect(close(averagePrecisionScore(c.y, c.scores), c.ap, 1e-12)).toBe(true);
  });
});
