// Per-chunk top-k lists (src/shard/chunk-lists/): a corpus searched chunk by chunk, each chunk's list written
// and read back, merges into exactly the top-k one search over the whole corpus gives (ids and float32 scores
// bit for bit), on near-tied and exactly tied scores, for many chunk sizes; damaged or foreign lists are refused.
import { describe, test, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExactSearch, matrixCorpus } from '../../src/search/index.js';
import { makeMatrix, type Matrix } from '../../src/core/matrix.js';
import { mulberry32 } from '../../src/util/mulberry32.js';
import { canonicalScore } from '../../src/search/canonical/canonical.js';
import { encodeChunkList, headRows, readChunkList, sha256Hex, type ChunkListInfo } from '../../src/shard/chunk-lists/format.js';
import { mergeChunkLists, mergeChunkListsWithStats, queryIdsDigest } from '../../src/shard/chunk-lists/merge-lists.js';
import { chunkListPath, chunkMarker, missingChunks } from '../../src/shard/chunk-lists/paths.js';

const DIM = 24;
const N = 600;
const M = 12;

/**
 * Documents in 3 tight groups (noise 2e-6: canonical scores within a group differ in the last bits), every 10th
 * an exact copy of another in a different chunk (equal scores: the doc id decides), the two ids ordered one way by
 * UTF-8 bytes and the other by JavaScript's UTF-16 (an astral character sorts after U+FFFD in UTF-8, before it in
 * UTF-16).
 */
function data(): { ids: string[]; docs: Matrix; queries: Matrix } {
  const r = mulberry32(7);
  const bases = [0, 1, 2].map(() => Float32Array.from({ length: DIM }, () => r() * 2 - 1));
  const docs = makeMatrix(N, DIM);
  for (let i = 0; i < N; i++) {
    const b = bases[i % 3];
    for (let d = 0; d < DIM; d++) docs.data[i * DIM + d] = Math.fround(b[d] + (r() - 0.5) * 2e-6);
  }
  const ids = Array.from({ length: N }, (_, i) => `d${i}`);
  for (let i = 0; i < N; i += 10) {
    const j = (i * 7 + 301) % N;
    docs.data.copyWithin(i * DIM, j * DIM, (j + 1) * DIM);
    // Equal scores, ids equal up to U+FFFD / U+1F600: UTF-8 ranks the copy first, UTF-16 the original.
    ids[j] = `t${j}\uFFFD`;
    ids[i] = `t${j}\u{1F600}`;
  }
  const queries = makeMatrix(M, DIM);
  for (let q = 0; q < M; q++) {
    const b = bases[q % 3];
    for (let d = 0; d < DIM; d++) queries.data[q * DIM + d] = Math.fround(b[d] + (r() - 0.5) * 0.3);
  }
  return { ids, docs, queries };
}

const slice = (m: Matrix, a: number, b: number): Matrix => makeMatrix(b - a, m.dim, m.data.slice(a * m.dim, b * m.dim));
const queryIds = Array.from({ length: M }, (_, q) => `q${q}`);

function header(c: number, of: number, rows: number, k: number): ChunkListInfo {
  return {
    chunk: c,
    of,
    rows,
    k,
    similarity: 'cosine',
    queries: M,
    query_ids_sha256: queryIdsDigest(queryIds),
    query_vectors_sha256: sha256Hex('vectors'),
    meta: { search: 'exact', search_scores: 'canonical-f64-v1' },
  };
}

/** Searches each chunk of `chunkRows` on its own, writes its list, and merges the lists. */
async function viaLists(k: number, chunkRows: number, engine: 'js' | 'auto') {
  const { ids, docs, queries } = data();
  const dir = mkdtempSync(path.join(tmpdir(), 'chunk-lists-'));
  const of = Math.ceil(N / chunkRows);
  const search = new ExactSearch({ engine });
  for (let c = 0; c < of; c++) {
    const [a, b] = [c * chunkRows, Math.min(N, (c + 1) * chunkRows)];
    const res = await search.search(queries, matrixCorpus(ids.slice(a, b), slice(docs, a, b), { chunkRows: 37 }), k, { similarity: 'cosine' });
    writeFileSync(chunkListPath(dir, c, of), encodeChunkList({ ...header(c, of, b - a, k), meta: res.meta! }, res.ids, res.scores));
    writeFileSync(chunkMarker(dir, c, of), '{}\n');
  }
  await search.close();
  return { dir, of, merged: mergeChunkLists(dir, of, queryIds, N) };
}

async function whole(k: number, engine: 'js' | 'auto') {
  const { ids, docs, queries } = data();
  const search = new ExactSearch({ engine });
  const res = await search.search(queries, matrixCorpus(ids, docs), k, { similarity: 'cosine' });
  await search.close();
  return res;
}

/** The reference, independent of the search code: every canonical score, sorted by score desc, UTF-8 bytes desc. */
function bruteForce(k: number): { ids: string[][]; scores: Float32Array[] } {
  const { ids, docs, queries } = data();
  const out = { ids: [] as string[][], scores: [] as Float32Array[] };
  for (let q = 0; q < M; q++) {
    const all = ids.map((id, i) => ({ id, s: Math.fround(canonicalScore(queries.data, docs.data, DIM, 'cosine', q * DIM, i * DIM)) }));
    all.sort((a, b) => b.s - a.s || Buffer.compare(Buffer.from(b.id), Buffer.from(a.id)));
    out.ids.push(all.slice(0, k).map((x) => x.id));
    out.scores.push(Float32Array.from(all.slice(0, k), (x) => x.s));
  }
  return out;
}

const bits = (s: Float32Array) => Array.from(new Uint32Array(s.buffer, s.byteOffset, s.length));

describe('per-chunk top-k lists merge into the whole corpus top-k', () => {
  test('the data has what the merge must get right: exact ties across chunks, near-ties, UTF-8 id order', async () => {
    const res = bruteForce(50);
    let exactTies = 0;
    let utf16Differs = 0;
    for (const [q, s] of res.scores.entries())
      for (let r = 1; r < s.length; r++) {
        if (s[r] !== s[r - 1]) continue;
        exactTies++;
        // Ranked by UTF-8 bytes, the reverse of what JavaScript's (UTF-16) string order would give.
        if (res.ids[q][r - 1] < res.ids[q][r]) utf16Differs++;
      }
    expect(exactTies).toBeGreaterThan(10);
    expect(utf16Differs).toBeGreaterThan(0);
    // Near-ties: unequal neighbours closer than the engines' error bound at 24 dims (1.25 · 56 · 2⁻²⁴ ≈ 4.2e-6);
    // most group members round to a few float32 values, so ties far outnumber them.
    let near = 0;
    for (const s of res.scores) for (let r = 1; r < s.length; r++) if (s[r] !== s[r - 1] && s[r - 1] - s[r] < 4e-6) near++;
    expect(near).toBeGreaterThan(5);
  });

  for (const k of [10, 50]) {
    test(`k = ${k}: chunk sizes 600, 250, 101, 37, 7 give the whole search's ids and score bits (js and default engine)`, async () => {
      const want = await whole(k, 'js');
      const reference = bruteForce(k);
      expect(want.ids).toEqual(reference.ids);
      expect(want.scores.map(bits)).toEqual(reference.scores.map(bits));
      for (const engine of ['js', 'auto'] as const) {
        for (const rows of [600, 250, 101, 37, 7]) {
          const { merged } = await viaLists(k, rows, engine);
          expect({ engine, rows, ids: merged.ids }).toEqual({ engine, rows, ids: want.ids });
          expect({ engine, rows, bits: merged.scores.map(bits) }).toEqual({ engine, rows, bits: want.scores.map(bits) });
          expect(merged.meta).toEqual(want.meta);
        }
      }
    }, 120_000);
  }

  test('a list round-trips; its bytes are the same for the same search', async () => {
    const a = await viaLists(10, 101, 'js');
    const b = await viaLists(10, 101, 'js');
    for (let c = 0; c < a.of; c++) expect(readFileSync(chunkListPath(a.dir, c, a.of)).equals(readFileSync(chunkListPath(b.dir, c, b.of)))).toBe(true);
    const l = readChunkList(chunkListPath(a.dir, 2, a.of));
    expect(l.header).toMatchObject({ format: 'mteb-ts.topk/2', chunk: 2, of: 6, rows: 101, k: 10, queries: M, head: 10, tail_ids: 0 });
    expect(Array.from(l.counts)).toEqual(Array(M).fill(10));
    expect(l.idCount).toBeLessThanOrEqual(101);
  });

  test('head rows: k / chunks plus 4 standard deviations of a binomial share, + 8, at most k', () => {
    expect(headRows(1000, 1)).toBe(1000);
    expect(headRows(1000, 4)).toBe(314 + 8); // ceil(250 + 4 · 15.81)
    expect(headRows(1000, 16)).toBe(95 + 8); // ceil(62.5 + 4 · 7.91)
    expect(headRows(10, 6)).toBe(10);
  });

  /** Lists of `of` chunks, k entries per query each, scores from `score(c, q, r)`; the reference sorts them all. */
  function synthetic(of: number, k: number, score: (c: number, q: number, r: number) => number) {
    const dir = mkdtempSync(path.join(tmpdir(), 'chunk-heads-'));
    const all: { id: string; s: number }[][] = Array.from({ length: M }, () => []);
    for (let c = 0; c < of; c++) {
      const ids: string[][] = [];
      const scores: Float32Array[] = [];
      for (let q = 0; q < M; q++) {
        ids.push(Array.from({ length: k }, (_, r) => `c${c}-q${q}-r${String(r).padStart(3, '0')}`));
        scores.push(Float32Array.from({ length: k }, (_, r) => score(c, q, r)));
        ids[q].forEach((id, r) => all[q].push({ id, s: scores[q][r] }));
      }
      writeFileSync(chunkListPath(dir, c, of), encodeChunkList({ ...header(c, of, 100, k), meta: {} }, ids, scores));
    }
    for (const l of all) l.sort((a, b) => b.s - a.s || Buffer.compare(Buffer.from(b.id), Buffer.from(a.id)));
    return { dir, want: all.map((l) => l.slice(0, k).map((x) => x.id)), stats: () => mergeChunkListsWithStats(dir, of, queryIds, of * 100) };
  }

  test('merge reads only the heads when every chunk gives its share; a chunk that gives more: its tail, same result', () => {
    // Interleaved scores: each of 4 chunks gives 10 of the top-40 (head: 31 ranks), ties across chunks included.
    const even = synthetic(4, 40, (c, q, r) => Math.fround(1 - 0.001 * (4 * r + (c === 3 ? 2 : c))));
    const a = even.stats();
    expect(a.merged.ids).toEqual(even.want);
    expect(a.stats.tailsRead).toBe(0);
    expect(a.stats.bytesRead / a.stats.bytesTotal).toBeLessThan(0.85);
    // Query q's whole top-40 in chunk q mod 4: that chunk's tail is read, and the result is still every entry sorted.
    const skew = synthetic(4, 40, (c, q, r) => Math.fround((c === q % 4 ? 1 : 0.5) - 0.001 * r));
    const b = skew.stats();
    expect(b.merged.ids).toEqual(skew.want);
    expect(b.merged.ids[1].slice(30, 40)).toEqual(Array.from({ length: 10 }, (_, i) => `c1-q1-r0${30 + i}`));
    expect(b.stats.tailsRead).toBe(4);
  });

  test('a damaged tail is found when the tail is read', () => {
    const skew = synthetic(4, 40, (c, q, r) => Math.fround((c === q % 4 ? 1 : 0.5) - 0.001 * r));
    const f = chunkListPath(skew.dir, 2, 4);
    const bytes = readFileSync(f);
    bytes[bytes.length - 64 - 8] ^= 1; // a tail entry's score
    writeFileSync(f, bytes);
    expect(() => skew.stats()).toThrow(/damaged \(tail checksum mismatch: truncated or altered\)/);
  });

  test('a truncated, altered or foreign list is an E_RESULTS error naming the file; a missing one is reported', async () => {
    const { dir, of } = await viaLists(10, 101, 'js');
    const f1 = chunkListPath(dir, 1, of);
    const bytes = readFileSync(f1);
    writeFileSync(f1, bytes.subarray(0, bytes.length - 100));
    expect(() => mergeChunkLists(dir, of, queryIds, N)).toThrow(/damaged \(\d+ bytes, its header says \d+: truncated or altered\)/);
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 200] ^= 1;
    writeFileSync(f1, flipped);
    expect(() => mergeChunkLists(dir, of, queryIds, N)).toThrow(new RegExp(`chunk-1-of-6\\.topk|checksum`));
    writeFileSync(f1, bytes);
    expect(() => mergeChunkLists(dir, of, queryIds.map((q) => q + 'x'), N)).toThrow(/searched for other queries \(12\) than merge evaluates \(12\)/);
    expect(() => mergeChunkLists(dir, of, queryIds, N + 1)).toThrow(/cover 600 documents, the corpus has 601/);
    // Lists searched with other query vectors than chunk 0's.
    const { ids, docs, queries } = data();
    const res = await new ExactSearch({ engine: 'js' }).search(queries, matrixCorpus(ids.slice(101, 202), slice(docs, 101, 202)), 10, { similarity: 'cosine' });
    writeFileSync(f1, encodeChunkList({ ...header(1, of, 101, 10), query_vectors_sha256: sha256Hex('other'), meta: res.meta! }, res.ids, res.scores));
    expect(() => mergeChunkLists(dir, of, queryIds, N)).toThrow(/its query vectors differ from those of .*chunk-0-of-6\.topk/);
    writeFileSync(f1, 'not a list');
    expect(() => mergeChunkLists(dir, of, queryIds, N)).toThrow(/not a mteb-ts top-k list/);
    expect(missingChunks(dir)).toEqual({ missing: [], total: 6 });
    writeFileSync(f1, bytes);
    rmSync(chunkListPath(dir, 4, of));
    rmSync(chunkMarker(dir, 5, of));
    expect(missingChunks(dir)).toEqual({ missing: [4, 5], total: 6 });
  });
});
