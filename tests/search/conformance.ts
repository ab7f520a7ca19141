import { describe, test, expect, afterAll } from '@jest/globals';
import type { SearchBackend } from '../../src/search/types.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { bruteForce, floatMatrix, intMatrix } from './helpers.js';

/** One suite every SearchBackend passes (hono-style): exactness, tie order, exclusions, NaN, tiny corpora. */
export function searchConformance(name: string, make: () => SearchBackend): void {
  describe(`SearchBackend conformance: ${name}`, () => {
    const backend = make();
    afterAll(async () => backend.close?.());
    const ids = Array.from({ length: 300 }, (_, j) => `doc${(j * 7919) % 1000}`);

    test('dot, integer vectors with many ties, several chunks: identical to brute force', async () => {
      const q = intMatrix(25, 6, 1);
      const c = intMatrix(300, 6, 2);
      const got = await backend.search(q, matrixCorpus(ids, c, { chunkRows: 37 }), 10, { similarity: 'dot' });
      const ref = bruteForce(q, c, ids, 10, 'dot');
      expect(got.ids).toEqual(ref.ids);
      expect(got.scores.map((s) => Array.from(s))).toEqual(ref.scores);
    });

    test('all-equal scores are ranked by doc id descending in UTF-8 byte order', async () => {
      const tieIds = ['a', 'b', '\u00e9', '\uE000', '\u{1F600}', 'Z', 'ab', '\uFFFD', '10', '9'];
      const c = { rows: tieIds.length, dim: 2, data: new Float32Array(tieIds.length * 2).fill(1) };
      const q = { rows: 1, dim: 2, data: Float32Array.of(1, 1) };
      const got = await backend.search(q, matrixCorpus(tieIds, c, { chunkRows: 3 }), 6, { similarity: 'dot' });
      // UTF-8: 😀 (F0..) > U+FFFD (EF BF BD) > U+E000 (EE 80 80) > é (C3 A9) > b > ab > a > Z > 9 > 10
      expect(got.ids[0]).toEqual(['\u{1F600}', '\uFFFD', '\uE000', '\u00e9', 'b', 'ab']);
      expect(Array.from(got.scores[0])).toEqual([2, 2, 2, 2, 2, 2]);
    });

    test('excludeIds removes documents and still returns k others', async () => {
      const q = intMatrix(5, 6, 3);
      const c = intMatrix(300, 6, 4);
      const base = bruteForce(q, c, ids, 3, 'dot');
      const exclude = base.ids.map((r) => new Set([r[0], r[2]]));
      const got = await backend.search(q, matrixCorpus(ids, c, { chunkRows: 64 }), 3, { similarity: 'dot', excludeIds: exclude });
      expect(got.ids).toEqual(bruteForce(q, c, ids, 3, 'dot', exclude).ids);
    });

    test('non-finite corpus vectors score -1 and non-finite queries rank every document at -1', async () => {
      const c = { rows: 4, dim: 2, data: Float32Array.of(1, 0, NaN, 1, 0, 1, -1, -1) };
      const q = { rows: 2, dim: 2, data: Float32Array.of(0, 1, Infinity, 0) };
      const got = await backend.search(q, matrixCorpus(['d1', 'd2', 'd3', 'd4'], c), 4, { similarity: 'cosine' });
      expect(got.ids[0]).toEqual(['d3', 'd1', 'd4', 'd2']);
      expect(Array.from(got.scores[0]).map((s) => Math.round(s * 1e6) / 1e6)).toEqual([1, 0, -0.707107, -1]);
      expect(got.ids[1]).toEqual(['d4', 'd3', 'd2', 'd1']);
      expect(Array.from(got.scores[1])).toEqual([-1, -1, -1, -1]);
    });

    test('k larger than the corpus returns every document', async () => {
      const c = intMatrix(7, 3, 5);
      const q = intMatrix(2, 3, 6);
      const docIds = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
      const got = await backend.search(q, matrixCorpus(docIds, c, { chunkRows: 2 }), 50, { similarity: 'dot' });
      expect(got.ids).toEqual(bruteForce(q, c, docIds, 50, 'dot').ids);
      expect(got.ids[0]).toHaveLength(7);
    });

    test('cosine on float vectors: same ranking as float64 brute force, scores within 1e-6', async () => {
      const q = floatMatrix(8, 16, 7);
      const c = floatMatrix(200, 16, 8);
      const docIds = ids.slice(0, 200);
      const got = await backend.search(q, matrixCorpus(docIds, c, { chunkRows: 50 }), 5, { similarity: 'cosine' });
      const ref = bruteForce(q, c, docIds, 5, 'cosine');
      expect(got.ids).toEqual(ref.ids);
      got.scores.forEach((s, i) => s.forEach((v, r) => expect(Math.abs(v - ref.scores[i][r])).toBeLessThan(1e-6)));
    });
  });
}
