import fs from 'node:fs';
import { describe, test, expect } from '@jest/globals';
import { canonicalDot, canonicalNorm, canonicalScore, maxRowNorm, CANONICAL_SCORES } from '../../src/search/canonical/canonical.js';
import { CanonicalScorer } from '../../src/search/canonical/scorer.js';
import { compileKernels } from '../../src/search/blas/build-kernels.js';
import { halfToFloat, toHalf } from '../../src/search/vectors.js';
import { rng } from './helpers.js';

describe('canonical scores', () => {
  test('the committed canonical.wasm is canonical.wat compiled', async () => {
    const committed = fs.readFileSync(new URL('../../src/search/canonical/canonical.wasm', import.meta.url));
    expect(Buffer.compare(committed, Buffer.from(await compileKernels('canonical/canonical')))).toBe(0);
  });

  test('the definition on small cases: lanes by i mod 8, float64 products, eps 1e-12, NaN -> -1', () => {
    expect(canonicalDot([1, 2, 3], [4, 5, 6], 3)).toBe(32);
    expect(canonicalScore([1, 2, 3], [4, 5, 6], 3, 'cosine')).toBe(Math.fround(32 / (Math.sqrt(14) * Math.sqrt(77))));
    expect(canonicalScore([1, 2, 3], [4, 5, 6], 3, 'dot')).toBe(32);
    // Lane order is observable: 1e16 + 1 - 1e16 in lane 0 (elements 0, 8, 16) is 0 (1e16 + 1 rounds to 1e16),
    // while lanes 1 and 4 hold 1 each: ((0 + 1) + 0) + ((1 + 0) + 0) = 2; a sequential sum gives 0, the exact 3.
    const a = Array(17).fill(0);
    const b = Array(17).fill(0);
    [a[0], b[0]] = [1e8, 1e8];
    [a[8], b[8]] = [1, 1];
    [a[16], b[16]] = [-1e8, 1e8];
    [a[1], b[1]] = [1, 1];
    [a[4], b[4]] = [1, 1];
    expect(canonicalDot(a, b, 17)).toBe(2);
    let seq = 0;
    for (let i = 0; i < 17; i++) seq += a[i] * b[i];
    expect(seq).toBe(0);
    expect(canonicalNorm([0, 0, 0], 3)).toBe(1e-12);
    expect(canonicalScore([0, 0], [1, 1], 2, 'cosine')).toBe(0);
    expect(canonicalScore([NaN, 1], [1, 1], 2, 'cosine')).toBe(-1);
    expect(canonicalScore([Infinity, 1], [1, 1], 2, 'cosine')).toBe(-1);
    expect(canonicalScore([Infinity, 1], [1, 1], 2, 'dot')).toBe(Infinity);
    expect(canonicalScore([Infinity, 1], [-Infinity, 1], 2, 'dot')).toBe(-Infinity);
    expect(CANONICAL_SCORES).toBe('canonical-f64-v1');
    // The unrolled canonicalDot is the definition's lane array, bit for bit (offsets, every tail length, values
    // spread over 2^±60 so that lane order matters).
    const r = rng(7);
    for (let dim = 1; dim <= 41; dim++) {
      const x = Array.from({ length: dim + 3 }, () => (r() - 0.5) * 2 ** Math.floor(r() * 120 - 60));
      const y = Array.from({ length: dim + 5 }, () => (r() - 0.5) * 2 ** Math.floor(r() * 120 - 60));
      const l = [0, 0, 0, 0, 0, 0, 0, 0];
      for (let i = 0; i < dim; i++) l[i & 7] += x[3 + i] * y[5 + i];
      expect(canonicalDot(x, y, dim, 3, 5)).toBe(l[0] + l[4] + (l[2] + l[6]) + (l[1] + l[5] + (l[3] + l[7])));
    }
  });

  test('canonical.wasm equals the JavaScript definition bit for bit: every dim 1-17 and 100/1,024/4,096, fp16 rows, specials', () => {
    const r = rng(3);
    const s = new CanonicalScorer();
    for (const dim of [...Array.from({ length: 17 }, (_, i) => i + 1), 100, 1024, 4096]) {
      const rows = dim > 1000 ? 40 : 300; // more than one internal batch at 4,096 dims (64 rows)
      const data = new Float32Array(rows * dim);
      for (let i = 0; i < data.length; i++) data[i] = Math.fround((r() * 2 - 1) * 10 ** Math.floor(r() * 6 - 3));
      data.fill(0, 0, dim); // a zero row
      if (dim > 2) {
        data[dim + 1] = NaN;
        data[2 * dim] = Infinity;
        data[3 * dim] = 1e30; // float32 squares overflow, float64 do not
      }
      const q = Float32Array.from({ length: dim }, () => Math.fround(r() * 2 - 1));
      const pick = Int32Array.from({ length: rows }, (_, i) => (i * 7) % rows);
      const half = toHalf(data);
      const halfRows = Float32Array.from(half, halfToFloat);
      for (const similarity of ['cosine', 'dot'] as const) {
        for (const [stored, values] of [[data, data], [half, halfRows]] as const) {
          // Rows gathered per call, and (float32) read in place from a resident copy of the chunk.
          for (const resident of [false, true]) {
            s.setChunk(stored, dim, similarity, resident);
            s.setQuery(q);
            const out = new Float32Array(rows);
            s.score(pick, rows, out);
            for (let i = 0; i < rows; i++) {
              const want = canonicalScore(q, values, dim, similarity, 0, pick[i] * dim);
              if (!Object.is(out[i], want)) throw new Error(`dim ${dim} ${similarity} resident ${resident} row ${pick[i]}: wasm ${out[i]} != js ${want}`);
            }
          }
        }
      }
    }
  });

  test('maxRowNorm bounds every row norm from above, and is NaN with a NaN row', () => {
    const data = Float32Array.of(3, 4, 0, 0, 1, 1);
    const m = maxRowNorm(data, 3, 2);
    expect(m).toBeGreaterThanOrEqual(5);
    expect(m).toBeLessThan(5 * (1 + 2 ** -19));
    expect(maxRowNorm(Float32Array.of(1, 1, NaN, 0, 2, 2), 3, 2)).toBeNaN();
    expect(maxRowNorm(toHalf(Float32Array.of(3, 4, 6, 8)), 2, 2)).toBeGreaterThanOrEqual(10);
  });
});

describe('canonical scorer batches', () => {
  test('scoreBatch on worker threads (resident and gathered, fp16 too) equals the JavaScript definition bit for bit', async () => {
    const r = rng(11);
    const dim = 260;
    const n = 3000;
    const m = 40;
    const data = Float32Array.from({ length: n * dim }, () => Math.fround(r() * 2 - 1));
    const queries = Float32Array.from({ length: m * dim }, () => Math.fround(r() * 2 - 1));
    // 40 queries x ~600 rows x 260 dims: over the parallel threshold; counts vary, one query has none.
    const counts = Int32Array.from({ length: m }, (_, i) => (i === 7 ? 0 : 300 + Math.floor(r() * 600)));
    const starts = new Int32Array(m);
    for (let i = 1; i < m; i++) starts[i] = starts[i - 1] + counts[i - 1];
    const total = starts[m - 1] + counts[m - 1];
    const rows = Int32Array.from({ length: total }, () => Math.floor(r() * n));
    const half = toHalf(data);
    const halfRows = Float32Array.from(half, halfToFloat);
    for (const threads of [1, 3]) {
      const s = new CanonicalScorer(threads);
      for (const similarity of ['cosine', 'dot'] as const) {
        for (const [stored, values, resident] of [[data, data, true], [data, data, false], [half, halfRows, false]] as const) {
          s.setChunk(stored, dim, similarity, resident);
          const out = new Float32Array(total).fill(NaN);
          await s.scoreBatch(queries, m, rows, starts, counts, out);
          for (let i = 0; i < m; i++) {
            for (let c = 0; c < counts[i]; c++) {
              const want = canonicalScore(queries, values, dim, similarity, i * dim, rows[starts[i] + c] * dim);
              const got = out[starts[i] + c];
              if (!Object.is(got, want)) throw new Error(`threads ${threads} ${similarity} resident ${resident} q${i} #${c}: ${got} != ${want}`);
            }
          }
        }
      }
      await s.close();
    }
  });
});

describe('canonical scorer: rows with one or two pairs', () => {
  test('a resident row scored for one or two queries (dots taken while reading the row, no widened copy) equals the JavaScript definition, every dim 1-17 and 260', async () => {
    // Sparse candidates, as at k = 100 on a large chunk: most rows belong to one or two queries (scorePairs'
    // fused paths), rows 0-2 to many (the widened path), including the first and the last pair of the batch.
    const r = rng(17);
    const s = new CanonicalScorer(1);
    for (const dim of [...Array.from({ length: 17 }, (_, i) => i + 1), 260]) {
      const n = 400;
      const m = 12;
      const data = Float32Array.from({ length: n * dim }, () => Math.fround(r() * 2 - 1));
      data.fill(0, 5 * dim, 6 * dim); // a zero row
      const queries = Float32Array.from({ length: m * dim }, () => Math.fround(r() * 2 - 1));
      const counts = Int32Array.from({ length: m }, () => 20);
      const starts = Int32Array.from({ length: m }, (_, i) => i * 20);
      const rows = Int32Array.from({ length: m * 20 }, (_, p) => (p % 7 === 0 ? p % 3 : Math.floor(r() * n)));
      rows[m * 20 - 1] = n - 1;
      for (const similarity of ['cosine', 'dot'] as const) {
        s.setChunk(data, dim, similarity, true);
        const out = new Float32Array(m * 20).fill(NaN);
        await s.scoreBatch(queries, m, rows, starts, counts, out);
        for (let p = 0; p < m * 20; p++) {
          const i = Math.floor(p / 20);
          const want = canonicalScore(queries, data, dim, similarity, i * dim, rows[p] * dim);
          if (!Object.is(out[p], want)) throw new Error(`dim ${dim} ${similarity} q${i} row ${rows[p]}: ${out[p]} != ${want}`);
        }
      }
    }
    await s.close();
  });
});

describe('canonical scorer: row-norm bound', () => {
  test('maxRowNorm from a resident chunk (WebAssembly) equals the gathered (JavaScript) bound within 2^-40, NaN propagates', () => {
    const r = rng(5);
    for (const dim of [3, 64, 1027]) {
      const data = Float32Array.from({ length: 50 * dim }, () => Math.fround((r() * 2 - 1) * 100));
      const s = new CanonicalScorer(1);
      s.setChunk(data, dim, 'dot', true);
      const resident = s.maxRowNorm();
      s.setChunk(data, dim, 'dot', false);
      const gathered = s.maxRowNorm();
      expect(Math.abs(resident - gathered) / gathered).toBeLessThan(2 ** -40);
      let exact = 0;
      for (let j = 0; j < 50; j++) {
        let ss = 0;
        for (let d = 0; d < dim; d++) ss += data[j * dim + d] ** 2;
        exact = Math.max(exact, Math.sqrt(ss));
      }
      expect(resident).toBeGreaterThanOrEqual(exact);
      data[dim + 1] = NaN;
      s.setChunk(data, dim, 'dot', true);
      expect(s.maxRowNorm()).toBeNaN();
    }
  });

  test('the sliced resident copy (set, then appended) holds the same rows and gives the whole-chunk bound bit for bit, NaN kept', async () => {
    const r = rng(6);
    // 1,027 dims: 127 rows a 512 KB slice, so 300 rows take three slices (the last one partial).
    const dim = 1027;
    const rows = 300;
    const data = Float32Array.from({ length: rows * dim }, () => Math.fround(r() * 2 - 1));
    data[250 * dim + 7] = 40; // the largest row is in the last slice
    const eager = new CanonicalScorer(1);
    const eagerCopy = eager.setChunk(data, dim, 'dot', true)!;
    const whole = eager.maxRowNorm();
    expect(eagerCopy.done).toBe(true);
    expect(eagerCopy.maxRowNorm).toBe(whole);
    expect(whole).toBeGreaterThan(40);
    const lazy = new CanonicalScorer(1);
    const half = data.subarray(0, 150 * dim);
    const first = lazy.setChunk(half, dim, 'dot', true)!;
    const { base, copy: appended } = lazy.appendResident(data.subarray(150 * dim));
    const copy = appended!; // copied, not held in place
    expect(base).toBe(150);
    expect(first.done && copy.done).toBe(true);
    expect(Math.max(first.maxRowNorm, copy.maxRowNorm)).toBe(whole);
    expect(lazy.maxRowNorm()).toBe(whole);
    // Same rows: every score equals the eager copy's.
    const q = Float32Array.from({ length: 2 * dim }, () => Math.fround(r() * 2 - 1));
    const idx = Int32Array.from({ length: 600 }, (_, i) => (i * 7) % rows);
    const a = new Float32Array(600);
    const b = new Float32Array(600);
    await eager.scoreBatch(q, 2, idx, Int32Array.of(0, 300), Int32Array.of(300, 300), a);
    await lazy.scoreBatch(q, 2, idx, Int32Array.of(0, 300), Int32Array.of(300, 300), b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a[1]).toBe(canonicalScore(q, data, dim, 'dot', 0, 7 * dim));
    data[280 * dim] = NaN;
    expect(new CanonicalScorer(1).setChunk(data, dim, 'dot', true)!.maxRowNorm).toBeNaN();
    // Cosine copies take no norms.
    expect(new CanonicalScorer(1).setChunk(data, dim, 'cosine', true)!.maxRowNorm).toBe(0);
  });
});
