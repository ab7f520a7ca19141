import fs from 'node:fs';
import { describe, test, expect } from '@jest/globals';
import { loadKernels } from '../../src/search/blas/kernels.js';
import { compileKernels } from '../../src/search/blas/build-kernels.js';
import { halfToFloat, torchNormalizeInto } from '../../src/search/vectors.js';
import { rng } from './helpers.js';

/** The k best (value desc, column asc) of a row by plain sorting: the reference for offerRow/finishRow. */
function referenceTopK(vals: number[], cols: number[], k: number, floor: number): { v: number[]; c: number[] } {
  const all = vals.map((v, i) => ({ v: Number.isNaN(v) ? -1 : Math.fround(v), c: cols[i] })).filter((x) => x.v >= floor);
  all.sort((a, b) => (a.v === b.v ? a.c - b.c : b.v - a.v));
  const top = all.slice(0, k);
  return { v: top.map((x) => x.v), c: top.map((x) => x.c) };
}

describe('BLAS engine SIMD kernels (WebAssembly)', () => {
  test('the committed kernels.wasm is kernels.wat compiled', async () => {
    const committed = fs.readFileSync(new URL('../../src/search/blas/kernels.wasm', import.meta.url));
    expect(Buffer.compare(committed, Buffer.from(await compileKernels()))).toBe(0);
  });

  test('halfToFloat widens all 65,536 half bit patterns exactly (subnormals, ±0, ±Inf, NaN), in place too', () => {
    const k = loadKernels(1 << 20);
    const n = 65536 + 5; // a tail past the 8-wide steps
    const src = k.u16(0, n);
    for (let i = 0; i < n; i++) src[i] = i & 0xffff;
    k.halfToFloat(0, n, 4 * n);
    const out = k.f32(4 * n, n);
    for (let i = 0; i < n; i++) {
      const want = halfToFloat(i & 0xffff);
      if (!Object.is(out[i], Math.fround(want)) && !(Number.isNaN(want) && Number.isNaN(out[i]))) throw new Error(`half 0x${i.toString(16)}: ${out[i]} != ${want}`);
    }
    // The engine's layout: halves in the back half of the float block, widened forwards into place.
    const m = 1003;
    const at = 8 * n + 64;
    const halves = k.u16(at + 2 * m, m);
    for (let i = 0; i < m; i++) halves[i] = (i * 977) & 0xffff;
    const copy = Array.from(halves);
    k.halfToFloat(at + 2 * m, m, at);
    const widened = k.f32(at, m);
    copy.forEach((h, i) => expect(Object.is(widened[i], Math.fround(halfToFloat(h))) || (Number.isNaN(widened[i]) && Number.isNaN(halfToFloat(h)))).toBe(true));
  });

  test('normalizeRows: within 1 ulp of torch-style division, eps for zero rows, overflow and NaN/Inf as division gives them', () => {
    const k = loadKernels(1 << 20);
    const dim = 37; // not a multiple of 4 or 16
    const rows = 6;
    const r = rng(3);
    const x = new Float32Array(rows * dim).map(() => r() * 4 - 2);
    x.fill(0, dim, 2 * dim); // zero row -> stays 0 (eps)
    x.fill(3e19, 2 * dim, 3 * dim); // squares overflow float32: the norm is redone in float64, as torch does
    x[3 * dim + 5] = NaN;
    x[4 * dim + 1] = Infinity;
    const v = k.f32(0, rows * dim);
    v.set(x);
    k.normalizeRows(0, rows, dim, 4 * rows * dim);
    const sq = k.f32(4 * rows * dim, rows);
    const ref = new Float32Array(x.length);
    torchNormalizeInto(x, ref, dim);
    for (const row of [0, 5]) {
      for (let d = 0; d < dim; d++) {
        const a = v[row * dim + d];
        const b = ref[row * dim + d];
        expect(Math.abs(a - b)).toBeLessThanOrEqual(Math.abs(b) * 2 ** -23 * 1.01);
      }
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[row * dim + d] ** 2;
      expect(sq[row]).toBeCloseTo(s, 4);
    }
    expect(Array.from(v.subarray(dim, 2 * dim)).every((e) => e === 0)).toBe(true);
    expect(Array.from(v.subarray(2 * dim, 3 * dim))).toEqual(Array.from(ref.subarray(2 * dim, 3 * dim)));
    expect(v[2 * dim]).toBeCloseTo(1 / Math.sqrt(dim), 6);
    expect(Array.from(v.subarray(3 * dim, 4 * dim)).every(Number.isNaN)).toBe(true);
    expect(Number.isFinite(sq[4])).toBe(false);
    expect(v[4 * dim + 1]).toBeNaN(); // Inf / Inf
    expect(Math.abs(v[4 * dim + 2])).toBe(0); // finite / Inf
    expect(Object.is(v[4 * dim + 2], ref[4 * dim + 2])).toBe(true); // signed zero as division gives it
  });

  test('offerRow + finishRow keep exactly the kk best (value desc, column asc) over many blocks: ties, NaN, ±Inf, floors, cuts', () => {
    const k = loadKernels(1 << 22);
    const r = rng(17);
    const cases = [
      { name: 'uniform floats, long row (primed, bisection cuts)', n: 6000, block: 1500, kk: 40, gen: () => r() * 2 - 1, floor: -Infinity },
      { name: 'small integers: ties everywhere (exact cuts)', n: 3000, block: 700, kk: 25, gen: () => Math.floor(r() * 5), floor: -Infinity },
      { name: 'all equal (ties beyond the buffer)', n: 2000, block: 333, kk: 10, gen: () => 1, floor: -Infinity },
      { name: 'NaN (= -1), ±Inf and a floor', n: 2500, block: 512, kk: 30, gen: () => { const u = r(); return u < 0.01 ? NaN : u < 0.02 ? Infinity : u < 0.03 ? -Infinity : u * 4 - 2; }, floor: 0.5 },
      { name: 'short rows (no priming), floor below everything', n: 150, block: 50, kk: 20, gen: () => r(), floor: -5 },
      { name: 'fewer candidates than kk above the floor', n: 400, block: 100, kk: 30, gen: () => r(), floor: 0.95 },
    ];
    for (const c of cases) {
      const cap = 2 * c.kk;
      const rowAt = 0;
      const vAt = 4 * 4096;
      const cAt = vAt + 4 * cap;
      const state = cAt + 4 * cap;
      const scratch = state + 64;
      const all: number[] = [];
      const st = k.i32(state, 2);
      st[0] = 0;
      k.f32(state, 2)[1] = c.floor;
      for (let b0 = 0; b0 < c.n; b0 += c.block) {
        const len = Math.min(c.block, c.n - b0);
        const row = k.f32(rowAt, len);
        for (let j = 0; j < len; j++) {
          row[j] = c.gen();
          all.push(row[j]);
        }
        k.offerRow(rowAt, len, b0, vAt, cAt, cap, c.kk, state, scratch);
      }
      const got = k.finishRow(vAt, cAt, c.kk, state);
      const ref = referenceTopK(all, all.map((_, j) => j), c.kk, c.floor);
      expect({ case: c.name, v: Array.from(k.f32(vAt, got)), c: Array.from(k.i32(cAt, got)) }).toEqual({ case: c.name, v: ref.v, c: ref.c });
    }
  });
});
