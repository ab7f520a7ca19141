// The bucket merge of list heads (src/shard/chunk-lists/run-merge.ts) against the heap merge (heap-merge.ts, the
// k-way merge that reads tails) on score shapes that stress it: uniform, a few outliers that stretch the key range
// (crowded buckets), negative scores, +0 and -0, and exact ties across chunks whose doc ids order differently by
// UTF-8 bytes and by JavaScript's UTF-16; and the case where the heads do not suffice (it answers null).
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { compareUtf8 } from '../../src/search/id-order.js';
import { encodeChunkList, readChunkList, sha256Hex } from '../../src/shard/chunk-lists/format.js';
import { chunkListPath } from '../../src/shard/chunk-lists/paths.js';
import { RunMerger } from '../../src/shard/chunk-lists/run-merge.js';
import { heapMerge } from '../../src/shard/chunk-lists/heap-merge.js';

const M = 20;

/** Lists of `of` chunks, k entries a query, scores from `draw`, each list in rank order (score desc, id desc by UTF-8). */
function lists(of: number, k: number, draw: (r: () => number, c: number) => number) {
  const dir = mkdtempSync(path.join(tmpdir(), 'run-merge-'));
  const r = mulberry32(of * 1000 + k);
  for (let c = 0; c < of; c++) {
    const ids: string[][] = [];
    const scores: Float32Array[] = [];
    for (let q = 0; q < M; q++) {
      // Ids that UTF-8 and UTF-16 order differently (U+FFFD vs an astral character), unique across chunks.
      const e = Array.from({ length: k }, (_, i) => ({ id: `${i % 2 ? '\uFFFD' : '\u{1F600}'}c${c}r${i}`, s: Math.fround(draw(r, c)) }));
      e.sort((a, b) => b.s - a.s || compareUtf8(b.id, a.id));
      ids.push(e.map((x) => x.id));
      scores.push(Float32Array.from(e, (x) => x.s));
    }
    const info = { chunk: c, of, rows: 1000, k, similarity: 'cosine', queries: M, query_ids_sha256: sha256Hex('q'), query_vectors_sha256: sha256Hex('v'), meta: {} };
    writeFileSync(chunkListPath(dir, c, of), encodeChunkList(info, ids, scores));
  }
  return Array.from({ length: of }, (_, c) => readChunkList(chunkListPath(dir, c, of)));
}

const shapes: Record<string, (r: () => number, c: number) => number> = {
  uniform: (r) => r(),
  outliers: (r) => (r() < 0.01 ? 50 + r() : r() * 1e-3),
  negative: (r) => -r(),
  'signed zeros and ties': (r) => [0, -0, 0.5, -0.5, 1][Math.floor(r() * 5)],
  'coarse ties': (r) => Math.floor(r() * 40) / 8 - 2,
};

describe('bucket merge of list heads = heap merge', () => {
  for (const [name, draw] of Object.entries(shapes)) {
    test(`${name}: 1, 2, 5 and 16 chunks, k = 50 and 300`, () => {
      let merged = 0;
      for (const chunks of [1, 2, 5, 16])
        for (const k of [50, 300]) {
          const ls = lists(chunks, k, draw);
          const runs = new RunMerger(ls);
          for (let q = 0; q < M; q++) {
            const want = heapMerge(ls, q, k);
            const got = runs.merge(q, k);
            if (!got) continue;
            merged++;
            expect({ chunks, k, q, ids: got.ids }).toEqual({ chunks, k, q, ids: want.ids });
            expect(Array.from(new Uint32Array(got.scores.buffer))).toEqual(Array.from(new Uint32Array(want.scores.buffer)));
          }
        }
      // Most queries are merged from the heads alone (the rest go to the heap merge, checked in chunk-lists.test.ts).
      expect(merged).toBeGreaterThan(0.8 * 4 * 2 * M);
    });
  }

  test('a chunk that gives its whole head while it has a tail: null (the heads do not suffice)', () => {
    // Chunk 0 holds every query's best k entries.
    const ls = lists(4, 100, (r, c) => (c === 0 ? 2 : 0) + r());
    const runs = new RunMerger(ls);
    for (let q = 0; q < M; q++) expect(runs.merge(q, 100)).toBeNull();
    expect(heapMerge(ls, 0, 100).ids.every((id) => id.includes('c0r'))).toBe(true);
  });
});
