import { describe, test, expect, afterEach } from '@jest/globals';
import { ExactSearch } from '../../src/search/exact.js';
import { matrixCorpus } from '../../src/search/corpus.js';
import { BlasEngine } from '../../src/search/blas/blas-engine.js';
import { loadCblas, blasCandidates, type Cblas } from '../../src/search/blas/cblas.js';
import { createScoreEngine } from '../../src/search/score-engine.js';
import { searchConformance } from './conformance.js';
import { bruteForce, floatMatrix, intMatrix, rng } from './helpers.js';

/**
 * A CBLAS stand-in in plain JS (float32 products summed in float64, then rounded: exact for small integers),
 * finishing in random order after random delays, so the engine's pipeline is tested without a system library
 * and with GEMMs completing out of order.
 */
function fakeCblas(seed = 1, failAt = -1): Cblas & { calls: number } {
  const r = rng(seed);
  const fake = {
    library: 'fake',
    description: 'fake CBLAS',
    perCallThreads: true,
    calls: 0,
    sgemmABt(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array) {
      const call = fake.calls++;
      return new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          if (call === failAt) return reject(new Error('injected BLAS failure'));
          for (let i = 0; i < m; i++)
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let d = 0; d < k; d++) s += a[i * k + d] * b[j * k + d];
              c[i * n + j] = s;
            }
          resolve();
        }, Math.floor(r() * 3));
      });
    },
  };
  return fake;
}

let system: Cblas | undefined;
try {
  system = loadCblas();
} catch {
  system = undefined;
}

searchConformance('exact (BLAS engine, fake CBLAS: pipeline, kernels, floors)', () => new ExactSearch({ engine: new BlasEngine(fakeCblas(5), 3), queryBatch: 7 }));
if (system) searchConformance(`exact (BLAS engine, ${system.description})`, () => new ExactSearch({ engine: 'blas', queryBatch: 7 }));

describe('BLAS engine', () => {
  const ids = Array.from({ length: 5000 }, (_, j) => `d${j}`);

  test('identical runs to the JS engine on tie-heavy integer data, across blocks, chunks and query batches (fake CBLAS)', async () => {
    // 5,000 docs of dim 24: blocks of 4,096 rows, so chunks of 1,800 split into 1-2 GEMM blocks each.
    const q = intMatrix(40, 24, 31, -3, 3);
    const c = intMatrix(5000, 24, 32, -3, 3);
    for (const similarity of ['dot', 'cosine'] as const) {
      for (const storage of ['float32', 'float16'] as const) {
        const a = await new ExactSearch({ engine: new BlasEngine(fakeCblas(7), 2), queryBatch: 16 }).search(q, matrixCorpus(ids, c, { chunkRows: 1800, storage }), 30, { similarity });
        const b = await new ExactSearch({ engine: 'js' }).search(q, matrixCorpus(ids, c, { chunkRows: 1800, storage }), 30, { similarity });
        expect(a.ids).toEqual(b.ids);
        if (similarity === 'dot') expect(a.scores).toEqual(b.scores);
        // The result files record how scores are computed (the same everywhere); the engine is a diagnostic.
        expect(a.meta).toEqual({ search: 'exact', search_scores: 'canonical-f64-v1' });
        expect(a.diagnostics).toMatchObject({ engine: 'blas', engineDetail: 'fake CBLAS, 3 GEMMs in flight' });
      }
    }
  });

  test('topk honours floors: only scores at or above a query\'s floor, ties at the floor included, empty slots marked -1', async () => {
    const e = new BlasEngine(fakeCblas(2), 2);
    const c = Float32Array.from({ length: 300 }, (_, j) => j % 10); // dim 1: scores = q * (j mod 10)
    await e.setChunk(c, 300, 1, 'dot');
    const { values, indices: idx } = await e.topk(Float32Array.of(1, 1), 2, 50, Float32Array.of(9, 8));
    const indices = idx as Int32Array;
    // query 0: the 30 columns scoring 9; query 1: 30 nines then 20 of the 30 eights (lowest columns first)
    expect(Array.from(values.subarray(0, 50))).toEqual([...Array(30).fill(9), ...Array(20).fill(-Infinity)]);
    expect(Array.from(indices.subarray(0, 30))).toEqual(Array.from({ length: 30 }, (_, i) => 9 + 10 * i));
    expect(Array.from(indices.subarray(30, 50))).toEqual(Array(20).fill(-1));
    expect(Array.from(values.subarray(50, 100))).toEqual([...Array(30).fill(9), ...Array(20).fill(8)]);
    expect(Array.from(indices.subarray(80, 100))).toEqual(Array.from({ length: 20 }, (_, i) => 8 + 10 * i));
  });

  test('kernel memory is reused after close() (one idle per process), never shared by two live engines', async () => {
    const c = intMatrix(40, 4, 5);
    const q = intMatrix(3, 4, 6);
    const a = new BlasEngine(fakeCblas(5), 2);
    await a.setChunk(c.data, 40, 4, 'dot');
    const first = await a.scores(q.data, 3);
    const held = (a as unknown as { k: object }).k;
    await a.close();
    await a.close(); // a second close must not hand the memory out twice
    await expect(a.setChunk(c.data, 40, 4, 'dot')).rejects.toThrow('used after close()');
    await expect(a.scores(q.data, 3)).rejects.toThrow('used after close()');
    const b = new BlasEngine(fakeCblas(6), 2);
    const other = new BlasEngine(fakeCblas(7), 2);
    expect((b as unknown as { k: object }).k).toBe(held);
    expect((other as unknown as { k: object }).k).not.toBe(held);
    await b.setChunk(c.data, 40, 4, 'dot');
    await other.setChunk(c.data, 40, 4, 'dot');
    const [x, y] = await Promise.all([b.scores(q.data, 3), other.scores(q.data, 3)]);
    expect(Array.from(x)).toEqual(Array.from(first));
    expect(Array.from(y)).toEqual(Array.from(first));
    await b.close();
    await other.close();
  });

  test('scores() equals the JS engine\'s full matrix with NaN as -1', async () => {
    const e = new BlasEngine(fakeCblas(3), 2);
    const c = intMatrix(50, 4, 3);
    c.data[4 * 7 + 2] = NaN;
    await e.setChunk(c.data, 50, 4, 'dot');
    const q = intMatrix(3, 4, 4);
    const got = await e.scores(q.data, 3);
    const ref = bruteForce(q, c, Array.from({ length: 50 }, (_, j) => String(j)), 50, 'dot');
    expect(got[7]).toBe(-1);
    expect(Array.from(got).sort((x, y) => x - y)).toEqual(ref.scores.flat().sort((x, y) => x - y));
  });

  test('a failing BLAS call rejects the search with its error, and the engine works again afterwards', async () => {
    const blas = fakeCblas(4, 1);
    const e = new BlasEngine(blas, 2);
    const q = intMatrix(3, 8, 1);
    const c = intMatrix(9000, 8, 2); // three blocks of 4,096 rows at dim 8
    const s = new ExactSearch({ engine: e });
    await expect(s.search(q, matrixCorpus(ids.concat(ids).slice(0, 9000), c), 5, { similarity: 'dot' })).rejects.toThrow('injected BLAS failure');
    const again = await s.search(q, matrixCorpus(ids.concat(ids).slice(0, 9000), c), 5, { similarity: 'dot' });
    expect(again.ids).toEqual(bruteForce(q, c, ids.concat(ids).slice(0, 9000), 5, 'dot').ids);
  });

  (system ? test : test.skip)('system BLAS: same ranking as the JS engine on floats (cosine, dot), scores within 2e-6; integer data identical', async () => {
    const q = floatMatrix(20, 64, 41);
    const c = floatMatrix(5000, 64, 42);
    for (const similarity of ['cosine', 'dot'] as const) {
      const a = await new ExactSearch({ engine: 'blas' }).search(q, matrixCorpus(ids, c, { chunkRows: 2000 }), 25, { similarity });
      const b = await new ExactSearch({ engine: 'js' }).search(q, matrixCorpus(ids, c, { chunkRows: 2000 }), 25, { similarity });
      expect(a.ids).toEqual(b.ids);
      a.scores.forEach((row, i) => row.forEach((v, r) => expect(Math.abs(v - b.scores[i][r])).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)))));
    }
    const qi = intMatrix(20, 16, 43);
    const ci = intMatrix(5000, 16, 44);
    const a = await new ExactSearch({ engine: 'blas' }).search(qi, matrixCorpus(ids, ci, { storage: 'float16' }), 40, { similarity: 'dot' });
    const b = await new ExactSearch({ engine: 'js' }).search(qi, matrixCorpus(ids, ci, { storage: 'float16' }), 40, { similarity: 'dot' });
    expect(a).toMatchObject({ ids: b.ids, scores: b.scores });
    expect(a.diagnostics?.engineDetail).toMatch(/^(OpenBLAS|BLIS|Intel MKL|Apple Accelerate)/);
  });
});

describe('BLAS engine selection', () => {
  const saved = process.env.MTEB_TS_BLAS;
  afterEach(() => {
    if (saved === undefined) delete process.env.MTEB_TS_BLAS;
    else process.env.MTEB_TS_BLAS = saved;
  });

  test('MTEB_TS_BLAS names the library to try; an explicit library beats it', () => {
    process.env.MTEB_TS_BLAS = '/opt/x/libcblas.so';
    expect(blasCandidates()).toEqual(['/opt/x/libcblas.so']);
    expect(blasCandidates('/y/libopenblas.so')).toEqual(['/y/libopenblas.so']);
    delete process.env.MTEB_TS_BLAS;
    if (process.platform === 'linux') expect(blasCandidates()[0]).toBe('libopenblas.so.0');
  });

  test("'blas' without a loadable library: E_PROVIDER_UNAVAILABLE naming what was tried and how to fix it; 'auto' falls back to onnxruntime", async () => {
    await expect(createScoreEngine('blas', 2, '/nonexistent/libopenblas.so.0')).rejects.toMatchObject({
      code: 'E_PROVIDER_UNAVAILABLE',
      message: expect.stringMatching(/tried \/nonexistent\/libopenblas\.so\.0 \(.*\).*apt-get install libopenblas0-pthread.*--search-engine onnx/s),
    });
    const auto = await createScoreEngine('auto', 2, '/nonexistent/libopenblas.so.0');
    expect(auto.name).toBe('onnx');
    await auto.close();
  });
});
