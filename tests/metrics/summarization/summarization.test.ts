import { describe, test, expect } from '@jest/globals';
import { evaluateSummarization, type SummarizationDoc } from '../../../src/metrics/summarization/index.js';
import type { SimilarityFn } from '../../../src/metrics/stats/paired.js';
import { close, loadGolden, mat, mismatches } from '../pair-classification/golden-helpers.js';

interface Golden {
  dim: number;
  docs: { human: number[]; machine: number[]; relevance: number[] }[];
  cases: {
    variant: 'legacy' | 'fixed';
    similarity: SimilarityFn | null;
    relevanceRange: [number, number] | null;
    scores: Record<string, number | null>;
    perItem: (number | null)[];
    skipped: number[];
  }[];
}
const g = loadGolden<Golden>('summarization');
const docs: SummarizationDoc[] = g.docs.map((d) => ({
  human: mat(d.human, g.dim),
  machine: mat(d.machine, g.dim),
  relevance: d.relevance,
}));

describe('evaluateSummarization vs mteb SummarizationEvaluator loop + scipy', () => {
  test.each(g.cases.map((c) => [`${c.variant}/${c.similarity ?? 'default'}/${c.relevanceRange ? 'range' : 'raw'}`, c] as const))(
    '%s',
    (_n, c) => {
      const r = evaluateSummarization(docs, {
        variant: c.variant,
        similarity: c.similarity ?? undefined,
        relevanceRange: c.relevanceRange ?? undefined,
      });
      expect(mismatches(r.scores, c.scores)).toEqual([]);
      expect(r.skipped).toEqual(c.skipped);
      expect(r.perItem.every((v, i) => close(v, c.perItem[i], 1e-12))).toBe(true);
    },
  );

  test('legacy = (mean statistic + mean p-value) / 2 of the fixed statistic', () => {
    const legacy = evaluateSummarization(docs, { variant: 'legacy' }).scores.cosine_spearman;
    const fixed = evaluateSummarization(docs, { variant: 'fixed' }).scores.cosine_spearman;
    expect(legacy).toBeLessThan(fixed);
    expect(legacy).toBeCloseTo(0.3480637264040539, 12);
    expect(fixed).toBeCloseTo(0.44846376581744046, 12);
  });

  test('skips exactly the constant-relevance and constant-prediction documents', () => {
    const r = evaluateSummarization(docs, { variant: 'fixed' });
    expect(r.skipped).toEqual([11, 12]);
    expect(Number.isNaN(r.perItem[11])).toBe(true);
  });

  test('key order follows the protocol', () => {
    expect(Object.keys(evaluateSummarization(docs, { variant: 'fixed' }).scores)).toEqual([
      'pearson', 'spearman', 'cosine_spearman', 'cosine_pearson', 'dot_spearman', 'dot_pearson',
    ]);
    expect(Object.keys(evaluateSummarization(docs, { variant: 'fixed', protocol: 'mteb-2' }).scores).slice(4)).toEqual([
      'dot_pearson', 'dot_spearman',
    ]);
  });

  test('no document left gives NaN like np.mean([])', () => {
    const r = evaluateSummarization([docs[11]], { variant: 'fixed' });
    expect(r.scores.cosine_spearman).toBeNaN();
  });

  test('relevance length mismatch is a user error', () => {
    expect(() =>
      evaluateSummarization([{ human: docs[0].human, machine: docs[0].machine, relevance: [1, 2] }], { variant: 'legacy' }),
    ).toThrow(/16 machine summaries but 2 relevance scores/);
  });
});
