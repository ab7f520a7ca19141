import { describe, test, expect } from '@jest/globals';
import { ExactSearch } from '../../src/search/exact.js';
import { HnswSearch } from '../../src/search/hnsw.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { compareUtf8 } from '../../src/search/id-order.js';
import { shardOf, tryParseShard } from '../../src/shard/shard-of.js';
import { retrievalSearchPlan } from '../../src/search/plan.js';
import { createSearchBackend } from '../../src/search/index.js';
import { floatToHalf, halfToFloat, toHalf, torchNormalizeInto } from '../../src/search/vectors.js';
import { searchConformance } from './conformance.js';
import { floatMatrix, intMatrix, rng } from './helpers.js';

searchConformance('exact (onnxruntime)', () => new ExactSearch({ engine: 'onnx', queryBatch: 7 }));
searchConformance('exact (js)', () => new ExactSearch({ engine: 'js' }));
searchConformance('hnsw (ef high enough to be exact on tiny corpora)', () => new HnswSearch({ efSearch: 400, recallSample: 0 }));

describe('exact search details', () => {
  test('onnx and js engines return identical runs on integer data', async () => {
    const q = intMatrix(30, 12, 11, -3, 3);
    const c = intMatrix(1000, 12, 12, -3, 3);
    const ids = Array.from({ length: 1000 }, (_, j) => `d${j}`);
    const a = await new ExactSearch({ engine: 'onnx' }).search(q, matrixCorpus(ids, c, { chunkRows: 128 }), 20, { similarity: 'dot' });
    const b = await new ExactSearch({ engine: 'js' }).search(q, matrixCorpus(ids, c, { chunkRows: 333 }), 20, { similarity: 'dot' });
    expect(a.ids).toEqual(b.ids);
    expect(a.scores).toEqual(b.scores);
  });

  test('fp16 corpus storage equals a float32 search over the fp16-rounded vectors', async () => {
    const q = floatMatrix(4, 8, 21);
    const c = floatMatrix(100, 8, 22);
    const ids = Array.from({ length: 100 }, (_, j) => `d${j}`);
    const rounded = { rows: 100, dim: 8, data: Float32Array.from(toHalf(c.data), halfToFloat) };
    const s = new ExactSearch();
    const a = await s.search(q, matrixCorpus(ids, c, { storage: 'float16', chunkRows: 30 }), 5, { similarity: 'cosine' });
    const b = await s.search(q, matrixCorpus(ids, rounded, { chunkRows: 30 }), 5, { similarity: 'cosine' });
    expect({ ids: a.ids, scores: a.scores, meta: a.meta }).toEqual({ ids: b.ids, scores: b.scores, meta: b.meta });
    expect(floatToHalf(1)).toBe(0x3c00);
    expect(floatToHalf(-2.5)).toBe(0xc100);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
  });

  test('a tie at the k-th score is resolved from TopK\'s margin; only a longer tie run rescans the chunk', async () => {
    // Scores 10, 9, 8 x 3 (straddling k = 3), then 1 x 97: the 8s fit in the margin, no full score row needed.
    const n = 103;
    const data = new Float32Array(n).fill(1);
    data.set([10, 9, 8, 8, 8]);
    const ids = Array.from({ length: n }, (_, j) => `d${String(j).padStart(3, '0')}`);
    const q = { rows: 1, dim: 1, data: Float32Array.of(1) };
    for (const engine of ['onnx', 'js'] as const) {
      const s = new ExactSearch({ engine });
      await s.search(q, matrixCorpus(ids.slice(0, 2), { rows: 2, dim: 1, data: data.subarray(0, 2) }), 1, { similarity: 'dot' });
      const eng = (s as any).engine;
      let rescans = 0;
      const scores = eng.scores.bind(eng);
      eng.scores = (...a: unknown[]) => (rescans++, scores(...a));
      const got = await s.search(q, matrixCorpus(ids, { rows: n, dim: 1, data }), 3, { similarity: 'dot' });
      expect(got.ids[0]).toEqual(['d000', 'd001', 'd004']);
      // (The JS engine's topk is built on its own scores(), so only onnx calls count rescans.)
      if (engine === 'onnx') expect(rescans).toBe(0);
      // k = 6 cuts inside the run of 97 equal scores, longer than the margin: one rescan, highest ids win.
      const long = await s.search(q, matrixCorpus(ids, { rows: n, dim: 1, data }), 6, { similarity: 'dot' });
      expect(long.ids[0]).toEqual(['d000', 'd001', 'd004', 'd003', 'd002', 'd102']);
      expect(Array.from(long.scores[0])).toEqual([10, 9, 8, 8, 8, 1]);
      if (engine === 'onnx') expect(rescans).toBe(1);
      await s.close();
    }
  });

  test('torchNormalizeInto (JS engine): float32 norm, eps 1e-12, NaN/Inf propagate', () => {
    const out = torchNormalizeInto(Float32Array.of(3, 4, 0, 0, 1e-13, 0, NaN, 1, Infinity, 1), new Float32Array(10), 2);
    expect(Array.from(out.subarray(0, 4))).toEqual([Math.fround(0.6), Math.fround(0.8), 0, 0]);
    // Below eps the row is divided by float32(1e-12), not scaled to unit length (torch clamp_min).
    expect(out[4]).toBe(Math.fround(Math.fround(1e-13) / Math.fround(1e-12)));
    expect(Number.isNaN(out[6]) && Number.isNaN(out[7])).toBe(true);
    expect(Number.isNaN(out[8])).toBe(true);
    expect(out[9]).toBe(0);
  });

  test('no queries: the corpus is never pulled (so never embedded)', async () => {
    const untouchable = { dim: 4, chunks: () => { throw new Error('pulled'); } };
    expect(await new ExactSearch().search({ rows: 0, dim: 4, data: new Float32Array(0) }, untouchable as any, 10, { similarity: 'cosine' })).toEqual({ ids: [], scores: [] });
  });

  test('rejects bad k and mismatched dimensions with MtebError', async () => {
    const s = new ExactSearch({ engine: 'js' });
    const c = matrixCorpus(['a'], { rows: 1, dim: 2, data: Float32Array.of(1, 2) });
    await expect(s.search({ rows: 1, dim: 2, data: Float32Array.of(1, 1) }, c, 0, { similarity: 'dot' })).rejects.toMatchObject({ code: 'E_USAGE' });
    await expect(s.search({ rows: 1, dim: 3, data: Float32Array.of(1, 1, 1) }, c, 1, { similarity: 'dot' })).rejects.toMatchObject({ code: 'E_EMBEDDING_DIM' });
    expect(() => createSearchBackend('faiss')).toThrow(/unknown search backend "faiss"/);
  });
});

describe('hnsw', () => {
  test('reports parameters and sampled recall@k against exact search', async () => {
    const q = floatMatrix(40, 16, 31);
    const c = floatMatrix(2000, 16, 32);
    const ids = Array.from({ length: 2000 }, (_, j) => `d${j}`);
    const res = await new HnswSearch({ M: 8, efConstruction: 100, efSearch: 200, recallSample: 20 }).search(q, matrixCorpus(ids, c), 10, { similarity: 'cosine' });
    expect(res.meta).toMatchObject({ backend: 'hnsw', M: 8, efConstruction: 100, efSearch: 200, space: 'ip', recall_sample: 20 });
    expect(res.meta!.recall_at_10 as number).toBeGreaterThan(0.9);
    expect(res.meta!.recall_at_10 as number).toBeLessThanOrEqual(1);
    expect(res.ids[0]).toHaveLength(10);
  });
});

describe('UTF-8 id order, shards, search plan', () => {
  test('compareUtf8 agrees with Buffer.compare on random strings with astral and high-BMP characters', () => {
    const r = rng(5);
    const alphabet = ['a', 'Z', '0', '\u00e9', '\u07ff', '\u0800', '\uD7FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}'];
    const rand = () => Array.from({ length: 1 + Math.floor(r() * 4) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    for (let i = 0; i < 3000; i++) {
      const a = rand();
      const b = rand();
      expect(Math.sign(compareUtf8(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
    }
  });

  test('shardOf is a fixed function of the key and spreads keys evenly', () => {
    expect([shardOf('MSMARCO', 4), shardOf('NQ', 4), shardOf('ArguAna', 4)]).toEqual(SHARDS);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf(`task-${i}`, 4)]++;
    for (const n of counts) expect(Math.abs(n - 1000)).toBeLessThan(120);
    expect(tryParseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(tryParseShard('4/4')).toBeNull();
    expect(() => shardOf('x', 0)).toThrow(RangeError);
  });

  test('retrievalSearchPlan: exclude self during search only for mteb <= 1.12.52', () => {
    expect(retrievalSearchPlan({ topK: 1000, ignoreIdenticalIds: true, mtebVersion: '1.12.41' })).toEqual({ k: 1000, excludeSelf: true });
    expect(retrievalSearchPlan({ topK: 1000, ignoreIdenticalIds: true, mtebVersion: '1.12.53' })).toEqual({ k: 1000, excludeSelf: false });
    expect(retrievalSearchPlan({ topK: 1000, ignoreIdenticalIds: true })).toEqual({ k: 1000, excludeSelf: false });
  });
});

const SHARDS = [0, 0, 2];

describe('createSearchBackend', () => {
  test('accepts a name or the runner config object', () => {
    expect(createSearchBackend('hnsw').name).toBe('hnsw');
    expect(createSearchBackend({ backend: 'hnsw', M: undefined, efSearch: 50 }).name).toBe('hnsw');
    expect(createSearchBackend({}).name).toBe('exact');
    expect(() => createSearchBackend({ backend: 'annoy' })).toThrow(/unknown search backend "annoy"/);
  });
});

describe('npyCorpus', () => {
  test('reads float32 and float16 .npy files chunk by chunk; header writer round-trips', async () => {
    const { npyCorpus, npyHeader } = await import('../../src/search/corpus.js');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npy-'));
    const f = path.join(dir, 'a.npy');
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 2);
    fs.writeFileSync(f, Buffer.concat([npyHeader(3, 4), Buffer.from(data.buffer)]));
    expect(npyHeader(3, 4).length % 64).toBe(0);
    const c = await npyCorpus(f, ['a', 'b', 'c'], { chunkRows: 2 });
    const got: number[] = [];
    const ids: string[] = [];
    for await (const ch of c.chunks()) {
      got.push(...Array.from(ch.data));
      ids.push(...ch.ids);
    }
    expect(got).toEqual(Array.from(data));
    expect(ids).toEqual(['a', 'b', 'c']);
    // fp16 file: numpy's own bytes for np.arange(12, dtype=float16).reshape(3, 4)
    const f16 = path.join(dir, 'b.npy');
    fs.writeFileSync(f16, Buffer.concat([npyHeader(3, 4, '<f2'), Buffer.from(Uint16Array.from({ length: 12 }, (_, i) => floatToHalf(i)).buffer)]));
    const res = await new ExactSearch({ engine: 'js' }).search({ rows: 1, dim: 4, data: Float32Array.of(0, 0, 0, 1) }, await npyCorpus(f16, ['a', 'b', 'c']), 2, { similarity: 'dot' });
    expect(res.ids[0]).toEqual(['c', 'b']);
    expect(Array.from(res.scores[0])).toEqual([11, 7]);
    await expect(npyCorpus(f, ['a'])).rejects.toMatchObject({ code: 'E_EMBEDDING_MISSING' });
  });
});

describe('onnxruntime on the calling thread (outside jest)', () => {
  test('a plain Node process uses the in-process engine and matches the JS engine', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, ['bin/run-ts.js', 'tests/search/inprocess-check.ts'], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ inProcess: true, same: [true, true, true, true] });
  }, 60_000);
});
