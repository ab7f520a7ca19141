// The native canonical kernel (src/search/canonical/canonical-native.c) against canonical.wasm and the JavaScript
// definition, bit for bit, and exact search with it on and off (MTEB_TS_NATIVE=0): same ids and score bits
// across thread counts, chunk layouts and providers that do or do not reuse their chunk buffers.
import fs from 'node:fs';
import { describe, test, expect, afterEach } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { canonicalNorm, canonicalScore } from '../../src/search/canonical/canonical.js';
import { CanonicalScorer } from '../../src/search/canonical/scorer.js';
import { nativeIsas, nativeKernel } from '../../src/search/canonical/native-kernel.js';
import { nativePlatform, openNativeLibrary, sourceHash } from '../../src/native/native-library.js';
import { ExactSearch } from '../../src/search/exact.js';
import { matrixCorpus, npyCorpus, npyHeader } from '../../src/search/corpus.js';
import type { CorpusChunk, CorpusProvider, Similarity } from '../../src/search/types.js';
import type { Matrix } from '../../src/core/matrix.js';
import { canonicalTopK, nearTieData } from './near-ties.js';
import { floatMatrix, rng } from './helpers.js';

const base = new URL('../../src/search/canonical/canonical-native', import.meta.url);
const linux = nativePlatform() === 'linux-x64';
const savedNative = process.env.MTEB_TS_NATIVE;
afterEach(() => {
  if (savedNative === undefined) delete process.env.MTEB_TS_NATIVE;
  else process.env.MTEB_TS_NATIVE = savedNative;
});

/** float32 values over 2^±40 (lane order matters), with zero rows, NaN, Inf, huge and subnormal values. */
function awkward(rows: number, dim: number, seed: number): Float32Array {
  const r = rng(seed);
  const data = Float32Array.from({ length: rows * dim }, () => Math.fround((r() * 2 - 1) * 2 ** Math.floor(r() * 80 - 40)));
  data.fill(0, 0, dim); // a zero row
  if (rows > 4) {
    data[dim + (dim >> 1)] = NaN;
    data[2 * dim] = Infinity;
    data[3 * dim + dim - 1] = 3e38; // huge: its square overflows float32 but not float64
    data[4 * dim] = 1e-45; // the smallest subnormal float32
    for (let i = 0; i < dim; i++) if (rows > 6) data[5 * dim + i] = Math.fround(1e-40 * (i + 1)); // a subnormal row
  }
  return data;
}

/** Pairs of a batch of m queries: row r goes to (r mod 10) queries (0-9 pairs a row: every kernel path), shuffled. */
function batch(rows: number, m: number, seed: number) {
  const r = rng(seed);
  const per: number[][] = Array.from({ length: m }, () => []);
  for (let row = 0; row < rows; row++) for (let c = 0; c < row % 10; c++) per[Math.floor(r() * m)].push(row);
  for (const list of per) list.sort(() => r() - 0.5);
  const counts = Int32Array.from(per, (l) => l.length);
  const starts = new Int32Array(m);
  for (let i = 1; i < m; i++) starts[i] = starts[i - 1] + counts[i - 1];
  return { rows: Int32Array.from(per.flat()), starts, counts };
}

describe('the native canonical kernel', () => {
  (linux ? test : test.skip)('the committed library is built from the committed source and loads here', () => {
    const so = fileURLToPath(`${base.href}.linux-x64.so`);
    expect(fs.existsSync(so)).toBe(true);
    delete process.env.MTEB_TS_NATIVE;
    const lib = openNativeLibrary(base);
    expect(lib).toBeDefined(); // undefined would mean stale (a hash other than the source's), or koffi missing
    expect(lib!.lib.func('const char *mteb_native_source_hash(void)')()).toBe(sourceHash(fileURLToPath(`${base.href}.c`)));
    // x86-64 machines without AVX2 exist, but not among ours: the kernel must run where the tests run.
    expect(nativeIsas().length).toBeGreaterThan(0);
  });

  test('MTEB_TS_NATIVE=avx2 keeps it to the AVX2 path (what a CPU without AVX-512 runs)', () => {
    process.env.MTEB_TS_NATIVE = 'avx2';
    expect(nativeIsas()).toEqual(['avx2']);
    expect(nativeKernel()?.isa).toBe('avx2');
    delete process.env.MTEB_TS_NATIVE;
    expect(nativeIsas()[0]).toBe(fs.readFileSync('/proc/cpuinfo', 'utf8').includes(' avx512f') ? 'avx512' : 'avx2');
  });

  test('MTEB_TS_NATIVE=0 turns it off', () => {
    process.env.MTEB_TS_NATIVE = '0';
    expect(nativeIsas()).toEqual([]);
    expect(nativeKernel()).toBeUndefined();
    expect(new CanonicalScorer(1).native).toBeUndefined();
  });

  test('every instruction set equals canonical.wasm and the JavaScript definition bit for bit: dims 1-17, 100, 1,023-1,025, 4,099, specials, 0-9 queries a row, copies and arrays held in place, 1 and 2 threads', async () => {
    const isas = nativeIsas();
    if (!isas.length) return; // no native kernel on this platform: the WebAssembly tests cover it
    let checked = 0;
    const dims = [...Array.from({ length: 17 }, (_, i) => i + 1), 100, 1023, 1024, 1025, 4099];
    for (const dim of dims) {
      const rows = dim > 2000 ? 24 : dim > 500 ? 60 : 200;
      const m = 7;
      const data = awkward(rows, dim, dim);
      const queries = awkward(m, dim, 1000 + dim);
      queries[dim + 3 < queries.length ? dim + 3 : 0] = Math.fround(-2.5e-38);
      const { rows: idx, starts, counts } = batch(rows, m, dim);
      // Three pieces: the first copied, the second held in place, the third streamed (read in place too).
      const cut1 = Math.floor(rows / 3);
      const cut2 = Math.floor((2 * rows) / 3);
      for (const similarity of ['cosine', 'dot'] as Similarity[]) {
        const wasm = new CanonicalScorer(1, undefined);
        wasm.setChunk(data, dim, similarity, true);
        const want = new Float32Array(idx.length);
        await wasm.scoreBatch(queries, m, idx, starts, counts, want);
        for (let i = 0; i < m; i++) {
          for (let p = starts[i]; p < starts[i] + counts[i]; p++) {
            expect(want[p]).toBe(canonicalScore(queries, data, dim, similarity, i * dim, idx[p] * dim));
          }
        }
        for (const isa of isas) {
          for (const threads of [1, 2]) {
            const s = new CanonicalScorer(threads, nativeKernel(isa));
            s.setChunk(data.slice(0, cut1 * dim), dim, similarity, true);
            s.appendResident(data.subarray(cut1 * dim, cut2 * dim), false, true);
            s.streamTail(data.slice(cut2 * dim), false);
            const got = new Float32Array(idx.length);
            await s.scoreBatch(queries, m, idx, starts, counts, got);
            expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer))).toBe(0);
            const whole = new CanonicalScorer(threads, nativeKernel(isa));
            expect(whole.setChunk(data, dim, similarity, false, false, true)).toBeUndefined(); // in place: no copy
            got.fill(0);
            await whole.scoreBatch(queries, m, idx, starts, counts, got);
            expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer))).toBe(0);
            await s.close();
            await whole.close();
            checked += 2 * idx.length;
          }
        }
        await wasm.close();
      }
    }
    expect(checked).toBeGreaterThan(20000);
  });

  test('query norms: every instruction set gives canonicalNorm bit for bit (dims 1-17, 1,023-1,025, specials)', () => {
    for (const isa of nativeIsas()) {
      for (const dim of [...Array.from({ length: 17 }, (_, i) => i + 1), 1023, 1024, 1025]) {
        const m = 9;
        const q = awkward(m, dim, 77 + dim);
        const out = new Float64Array(m);
        nativeKernel(isa)!.norms(q, m, dim, out);
        for (let i = 0; i < m; i++) expect(Object.is(out[i], canonicalNorm(q, dim, i * dim))).toBe(true);
      }
    }
  });

  test('a batch large enough for several threads (1,024 dims, 6,000 pairs) splits between rows and gives the same bits', async () => {
    const isas = nativeIsas();
    if (!isas.length) return;
    const dim = 1024;
    const rows = 1500;
    const m = 40;
    const data = floatMatrix(rows, dim, 5).data;
    const queries = floatMatrix(m, dim, 6).data;
    const r = rng(9);
    const idx = Int32Array.from({ length: 6000 }, () => Math.floor(r() * rows));
    const counts = new Int32Array(m).fill(150);
    const starts = Int32Array.from({ length: m }, (_, i) => 150 * i);
    for (const similarity of ['cosine', 'dot'] as Similarity[]) {
      const want = new Float32Array(idx.length);
      const wasm = new CanonicalScorer(2, undefined);
      wasm.setChunk(data, dim, similarity, true);
      await wasm.scoreBatch(queries, m, idx, starts, counts, want);
      await wasm.close();
      for (const threads of [1, 2, 3]) {
        const s = new CanonicalScorer(threads, nativeKernel(isas[0]));
        s.setChunk(data, dim, similarity, true, false, true);
        const got = new Float32Array(idx.length);
        await s.scoreBatch(queries, m, idx, starts, counts, got);
        expect(Buffer.compare(Buffer.from(got.buffer), Buffer.from(want.buffer))).toBe(0);
      }
    }
  });
});

/** A provider that refills one buffer for every chunk (as npyCorpus does by default): nothing may be read late. */
function reusingProvider(ids: string[], c: Matrix, chunkRows: number): CorpusProvider {
  return {
    dim: c.dim,
    size: ids.length,
    async *chunks(): AsyncIterable<CorpusChunk> {
      const buf = new Float32Array(chunkRows * c.dim);
      for (let s = 0; s < ids.length; s += chunkRows) {
        const e = Math.min(ids.length, s + chunkRows);
        buf.fill(NaN); // whatever the last chunk left is garbage now
        buf.set(c.data.subarray(s * c.dim, e * c.dim));
        yield { ids: ids.slice(s, e), dim: c.dim, data: buf.subarray(0, (e - s) * c.dim) };
      }
      buf.fill(NaN);
    },
  };
}

describe('what the native kernel is given is checked first (it has no bounds checks)', () => {
  test('a candidate row outside the rows held, or too few query values: a typed error, no crash', async () => {
    if (!nativeIsas().length) return;
    const dim = 16;
    const data = floatMatrix(10, dim, 1).data;
    const s = new CanonicalScorer(1, nativeKernel());
    s.setChunk(data, dim, 'cosine', true, false, true);
    const q = floatMatrix(2, dim, 2).data;
    const out = new Float32Array(2);
    await expect(s.scoreBatch(q, 2, Int32Array.of(3, 10), Int32Array.of(0, 1), Int32Array.of(1, 1), out)).rejects.toMatchObject({ code: 'E_INTERNAL' });
    await expect(s.scoreBatch(q.subarray(0, dim), 2, Int32Array.of(3, 4), Int32Array.of(0, 1), Int32Array.of(1, 1), out)).rejects.toMatchObject({ code: 'E_INTERNAL' });
    await s.scoreBatch(q, 2, Int32Array.of(3, 9), Int32Array.of(0, 1), Int32Array.of(1, 1), out);
    expect(out[1]).toBe(canonicalScore(q, data, dim, 'cosine', dim, 9 * dim));
  });

  test('exact search rejects a chunk with fewer values than ids x dim (typed error)', async () => {
    const dim = 8;
    const c = floatMatrix(40, dim, 3);
    const ids = Array.from({ length: 40 }, (_, j) => `d${j}`);
    const short: CorpusProvider = {
      dim,
      size: 40,
      async *chunks() {
        yield { ids, dim, data: c.data.subarray(0, 39 * dim) };
      },
    };
    const s = new ExactSearch({ engine: 'js' });
    await expect(s.search(floatMatrix(3, dim, 4), short, 5, { similarity: 'cosine' })).rejects.toMatchObject({ code: 'E_EMBEDDING_MISSING' });
    await s.close();
  });
});

describe('exact search with the native kernel on and off', () => {
  const bits = (r: { ids: string[][]; scores: Float32Array[] }) => ({ ids: r.ids, scores: r.scores.map((s) => Buffer.from(Float32Array.from(s).buffer).toString('hex')) });

  test('same ids and score bits on the near-tie data: thread counts, chunk sizes, stable and buffer-reusing providers, cosine and dot', async () => {
    const { q, c, ids } = nearTieData(11, 2400, 10, 100);
    const file = fileURLToPath(new URL(`../../.scratch/native-test-${process.pid}.npy`, import.meta.url));
    fs.mkdirSync(new URL('../../.scratch/', import.meta.url), { recursive: true });
    fs.writeFileSync(file, Buffer.concat([npyHeader(c.rows, c.dim), Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength)]));
    try {
      for (const similarity of ['cosine', 'dot'] as Similarity[]) {
        const want = canonicalTopK(q, c, ids, 30, similarity);
        let reference: ReturnType<typeof bits> | undefined;
        for (const native of ['1', '0']) {
          process.env.MTEB_TS_NATIVE = native;
          for (const threads of [1, 2]) {
            for (const chunkRows of [2400, 700, 250]) {
              const providers: CorpusProvider[] = [
                matrixCorpus(ids, c, { chunkRows }),
                reusingProvider(ids, c, chunkRows),
                await npyCorpus(file, ids, { chunkRows }),
                await npyCorpus(file, ids, { chunkRows, reuseBuffer: false }),
              ];
              for (const provider of providers) {
                // Small coalescing budgets too: groups of one, two and all chunks. 300 rescored rows a query
                // (10 x k 30) over 250-row chunks: resident copies (and a streamed chunk) for the reusing providers.
                for (const coalesceBytes of [undefined, 2 * chunkRows * c.dim * 4]) {
                  const s = new ExactSearch({ engine: 'js', threads, coalesceBytes });
                  const got = bits(await s.search(q, provider, 30, { similarity }));
                  await s.close();
                  reference ??= got;
                  expect(got).toEqual(reference);
                }
              }
            }
          }
        }
        expect(reference!.ids).toEqual(want.ids);
        expect(reference!.scores).toEqual(want.scores.map((s) => Buffer.from(Float32Array.from(s).buffer).toString('hex')));
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
