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
  test.each(g.cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const r = await evaluateBitextMining(mat(c.emb1, c.dim), mat(c.emb2, c.dim), {
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

describe('bitext from 64 rows on: exact search (canonical top-1) = the torch-style scan', () => {
  // Random embeddings (no near-ties at this size) plus exact duplicates (ties: the lowest index, as torch.topk).
  const rnd = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  test.each([
    [64, 64, 32, 'cosine'],
    [300, 500, 96, 'cosine'],
    [200, 1000, 48, 'dot'],
  ] as const)('%i x %i x %i %s', async (n1, n2, dim, fn) => {
    const r = rnd(n1 * 7 + n2);
    const e2 = Float32Array.from({ length: n2 * dim }, r);
    // Rows 10..19 of sentence2 repeat rows 0..9: every query nearest to one of them meets an exact tie.
    for (let j = 10; j < 20; j++) e2.copyWithin(j * dim, (j - 10) * dim, (j - 9) * dim);
    const e1 = Float32Array.from({ length: n1 * dim }, (_, i) => e2[(i % (n2 * dim))] + r() * 0.3);
    const a = { rows: n1, dim, data: e1 };
    const b = { rows: n2, dim, data: e2 };
    const { nearestNeighbours } = await import('../../../src/metrics/bitext/evaluate.js');
    const searched = await nearestNeighbours(a, b, fn);
    // The scan path: the same call below 64 rows is what mteb's torch code gives (goldens above).
    const { similarityMatrix } = await import('../../../src/metrics/stats/paired.js');
    const sim = similarityMatrix(a, b, fn);
    const scanned = Array.from({ length: n1 }, (_, i) => torchTop1Index(sim, i * n2, n2));
    expect(searched).toEqual(scanned);
    expect(searched.filter((j) => j >= 10 && j < 20)).toEqual([]); // ties went to the lower duplicate
    const own = (i: number) => (i % n2 >= 10 && i % n2 < 20 ? (i % n2) - 10 : i % n2); // a duplicate's lower twin
    expect(searched.filter((j, i) => j === own(i)).length).toBeGreaterThan(n1 * 0.9);
  });
});
