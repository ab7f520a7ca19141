// The shortcuts that make canonical rescoring cheap, each against the plain computation it replaces:
// selection over sorted runs (pending upkeep), bulk adds of engine proposals, typed-array candidate ordering,
// the two-queries-per-row pair kernel and a streamed last chunk read in place through a ring (bit for bit against
// the JavaScript definition).
import { describe, test, expect } from '@jest/globals';
import { Pending, kthLargest, kthLargestOfRuns } from '../../src/search/pending.js';
import { CandidateOrder } from '../../src/search/canonical/order.js';
import { CanonicalScorer } from '../../src/search/canonical/scorer.js';
import { canonicalScore, maxRowNorm } from '../../src/search/canonical/canonical.js';
import { rng } from './helpers.js';

/** `runs` descending runs of random lengths, values from `levels` distinct float32 values (ties when few). */
function runs(r: () => number, count: number, total: number, levels: number): Float32Array {
  const out = new Float32Array(total);
  const cuts = Array.from({ length: count - 1 }, () => Math.floor(r() * total)).sort((a, b) => a - b);
  let s = 0;
  for (const e of [...cuts, total]) {
    const run = Array.from({ length: e - s }, () => Math.fround(Math.floor(r() * levels) / levels - 0.5)).sort((a, b) => b - a);
    out.set(run, s);
    s = e;
  }
  return out;
}

describe('pending upkeep on sorted runs', () => {
  test('kthLargestOfRuns equals sorting for 1-16 runs, heavy ties, every k; undefined past 16 runs or with NaN', () => {
    const r = rng(21);
    let checked = 0;
    for (const count of [1, 2, 3, 5, 16]) {
      for (const total of [1, 7, 100, 2500]) {
        for (const levels of [3, 50, 1e6]) {
          const a = runs(r, Math.min(count, total), total, levels);
          const sorted = Array.from(a).sort((x, y) => y - x);
          for (let k = 1; k <= total; k += Math.max(1, Math.floor(total / 23))) {
            const got = kthLargestOfRuns(a, total, k);
            // A chunk's run can continue the one before it (no rise): fewer runs, same answer.
            expect(got).toBe(sorted[k - 1]);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(400);
    // 17 rises: left to quickselect. A NaN anywhere: too.
    const many = Float32Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : 0));
    expect(kthLargestOfRuns(many, 40, 3)).toBeUndefined();
    expect(kthLargest(Float64Array.from(many), 40, 3)).toBe(1);
    expect(kthLargestOfRuns(Float32Array.of(3, NaN, 1), 3, 1)).toBeUndefined();
    expect(kthLargestOfRuns(Float32Array.of(NaN, 3, 1), 3, 1)).toBeUndefined();
  });

  test('addTop takes proposals down to the cut or the first empty slot, and says whether all kk were in', () => {
    const values = Float32Array.of(0.9, 0.8, 0.7, 0.6, /* query 2 */ 0.5, 0.4, -Infinity, -Infinity);
    const indices = Int32Array.of(3, 1, 0, 2, /* query 2 */ 5, 4, -1, -1);
    const p = new Pending();
    expect(p.addTop(values, indices, 0, 4, 100)).toBe(true);
    expect(Array.from(p.rows.subarray(0, p.n))).toEqual([103, 101, 100, 102]);
    const q = new Pending();
    expect(q.addTop(values, BigInt64Array.from(indices, BigInt), 4, 4, 0)).toBe(false); // onnxruntime's int64 indices
    expect(Array.from(q.rows.subarray(0, q.n))).toEqual([5, 4]);
    p.clear();
    p.line(0, 0.75); // nothing below 0.75 can enter
    expect(p.addTop(values, indices, 0, 4, 0)).toBe(false);
    expect(Array.from(p.vals.subarray(0, p.n))).toEqual([Math.fround(0.9), Math.fround(0.8)]);
    // Growth past the initial 64 slots keeps what was held.
    const big = new Pending();
    const v = Float32Array.from({ length: 300 }, (_, i) => 1 - i / 1000);
    const ix = Int32Array.from({ length: 300 }, (_, i) => i);
    big.addTop(v, ix, 0, 40, 0);
    expect(big.addTop(v, ix, 0, 300, 1000)).toBe(true);
    expect(big.n).toBe(340);
    expect(big.rows[39]).toBe(39);
    expect(big.rows[40]).toBe(1000);
    expect(big.rows[339]).toBe(1299);
  });

  test('prune over sorted runs cuts where the quickselect path does', () => {
    const r = rng(22);
    for (let t = 0; t < 50; t++) {
      const total = 50 + Math.floor(r() * 400);
      const a = runs(r, 1 + Math.floor(r() * 4), total, t % 2 ? 20 : 1e6);
      const k = 1 + Math.floor(r() * total);
      const fast = new Pending();
      a.forEach((v, i) => fast.add(i, v));
      fast.prune(k, 0.01, -Infinity, new Float64Array(total));
      const want = kthLargest(Float64Array.from(a), total, k);
      expect(fast.ek).toBe(want);
      expect(fast.cut).toBe(want - 0.01);
      expect(fast.n).toBe(a.filter((v) => v >= want - 0.01).length);
    }
  });
});

describe('candidate order', () => {
  test('equals a full sort by canonical score (ties in any order), and keeps the k-th place ties', () => {
    const r = rng(23);
    const order = new CandidateOrder();
    for (let t = 0; t < 60; t++) {
      const count = 1 + Math.floor(r() * 1500);
      const start = Math.floor(r() * 10);
      const engine = runs(r, 1 + Math.floor(r() * 5), count, 1e6);
      // Canonical scores: the engine's plus noise (near-ties swap), or (every 5th) unrelated, so that a run is
      // far from sorted and goes to the packed-key sort; coarse values make ties.
      const scores = new Float32Array(start + count);
      for (let c = 0; c < count; c++) {
        const x = t % 5 === 0 ? r() : engine[c] + (r() - 0.5) * 1e-3;
        scores[start + c] = t % 3 === 0 ? Math.round(x * 50) / 50 : x;
      }
      const k = 1 + Math.floor(r() * count);
      const { pos, n } = order.order(scores, engine, start, count, k);
      const got = Array.from(pos.subarray(0, count), (c) => scores[start + c]);
      const want = Array.from(scores.subarray(start)).sort((a, b) => b - a);
      expect(got).toEqual(want);
      expect(new Set(pos.subarray(0, count)).size).toBe(count);
      let wantN = Math.min(k, count);
      while (wantN < count && want[wantN] === want[wantN - 1]) wantN++;
      expect(n).toBe(wantN);
    }
  });
});

describe('pair kernel: two queries per row', () => {
  test('scoreBatch on a resident chunk equals the JavaScript definition bit for bit at dims 1-17 and 1,024, rows shared by 0-9 queries', async () => {
    const r = rng(24);
    for (const threads of [1, 2]) {
      const s = new CanonicalScorer(threads);
      for (const dim of [...Array.from({ length: 17 }, (_, i) => i + 1), 1024]) {
        const n = 60;
        const m = 9;
        const data = Float32Array.from({ length: n * dim }, () => Math.fround((r() * 2 - 1) * 10 ** Math.floor(r() * 4 - 2)));
        data.fill(0, 0, dim); // a zero row
        data[dim] = NaN; // a NaN row
        data[2 * dim] = 1e30; // float32 squares overflow, float64 do not
        const queries = Float32Array.from({ length: m * dim }, () => Math.fround(r() * 2 - 1));
        // Each query takes each row with probability 1/2: a row has 0-9 queries, so pairs and singles both occur.
        const counts = new Int32Array(m);
        const starts = new Int32Array(m);
        const picked: number[] = [];
        for (let i = 0; i < m; i++) {
          starts[i] = picked.length;
          for (let j = 0; j < n; j++) if (r() < 0.5) picked.push(j);
          counts[i] = picked.length - starts[i];
        }
        const rows = Int32Array.from(picked);
        for (const similarity of ['cosine', 'dot'] as const) {
          s.setChunk(data, dim, similarity, true);
          const out = new Float32Array(rows.length).fill(NaN);
          await s.scoreBatch(queries, m, rows, starts, counts, out);
          for (let i = 0; i < m; i++) {
            for (let c = 0; c < counts[i]; c++) {
              const want = canonicalScore(queries, data, dim, similarity, i * dim, rows[starts[i] + c] * dim);
              const got = out[starts[i] + c];
              if (!Object.is(got, want)) throw new Error(`threads ${threads} dim ${dim} ${similarity} q${i} #${c}: ${got} != ${want}`);
            }
          }
        }
      }
      await s.close();
    }
  });
});

describe('streamed last chunk', () => {
  test('resident rows + a streamed chunk score as the JavaScript definition, bit for bit, at 1, 2 and 4 threads', async () => {
    const r = rng(31);
    const dim = 1024;
    // 300 resident and 700 streamed rows (the ring holds 128 rows at 1,024 dims: several refills, runs with gaps).
    const held = 300;
    const n = 1000;
    const data = Float32Array.from({ length: n * dim }, () => Math.fround(r() * 2 - 1));
    data.fill(0, 5 * dim, 6 * dim); // a zero row (resident)
    data[(held + 7) * dim + 3] = 1e30; // float32 squares overflow, float64 do not (streamed)
    const m = 40;
    const queries = Float32Array.from({ length: m * dim }, () => Math.fround(r() * 2 - 1));
    // Each query takes ~12 % of the rows: rows shared by 0-15 queries; 40 x ~120 pairs x 1,024 > the parallel minimum.
    const counts = new Int32Array(m);
    const starts = new Int32Array(m);
    const picked: number[] = [];
    for (let i = 0; i < m; i++) {
      starts[i] = picked.length;
      for (let j = 0; j < n; j++) if (r() < 0.12) picked.push(j);
      counts[i] = picked.length - starts[i];
    }
    const rows = Int32Array.from(picked);
    // 4 threads: the streaming thread's share is a quarter of the pairs, so the streamed rows past it are copied.
    for (const threads of [1, 2, 4]) {
      const s = new CanonicalScorer(threads);
      for (const similarity of ['cosine', 'dot'] as const) {
        const first = s.setChunk(data.subarray(0, held * dim), dim, similarity, true)!;
        const tail = s.streamTail(data.subarray(held * dim), similarity === 'dot');
        expect({ threads, similarity, base: tail.base, streamed: s.streamedRows }).toEqual({ threads, similarity, base: held, streamed: n - held });
        // The streamed chunk's bound is the one a resident copy of it takes (the same kernel, slice by slice).
        if (similarity === 'dot') expect(first.maxRowNorm).toBeGreaterThan(0);
        if (similarity === 'dot') expect(tail.maxRowNorm).toBe(new CanonicalScorer(1).setChunk(data.subarray(held * dim), dim, 'dot', true)!.maxRowNorm);
        const out = new Float32Array(rows.length).fill(NaN);
        await s.scoreBatch(queries, m, rows, starts, counts, out);
        for (let i = 0; i < m; i++) {
          for (let c = 0; c < counts[i]; c++) {
            const want = canonicalScore(queries, data, dim, similarity, i * dim, rows[starts[i] + c] * dim);
            const got = out[starts[i] + c];
            if (!Object.is(got, want)) throw new Error(`threads ${threads} ${similarity} q${i} #${c} (row ${rows[starts[i] + c]}): ${got} != ${want}`);
          }
        }
        // The same rows all copied (appended) score the same bits.
        s.setChunk(data.subarray(0, held * dim), dim, similarity, true);
        const appended = s.appendResident(data.subarray(held * dim));
        expect(appended.base).toBe(held);
        const again = new Float32Array(rows.length).fill(NaN);
        await s.scoreBatch(queries, m, rows, starts, counts, again);
        expect(Buffer.from(again.buffer).equals(Buffer.from(out.buffer))).toBe(true);
      }
      await s.close();
    }
  });

  test("a streamed chunk's row-norm bound equals a resident copy's, bounds maxRowNorm's within rounding, and is NaN when a row holds NaN", () => {
    const r = rng(32);
    const dim = 1024;
    const n = 300; // 128 rows a ring at 1,024 dims: three passes, the largest row in the last
    const data = Float32Array.from({ length: n * dim }, () => Math.fround(r() * 2 - 1));
    for (let d = 0; d < dim; d++) data[290 * dim + d] *= 100;
    const s = new CanonicalScorer(1);
    const copied = new CanonicalScorer(1).setChunk(data, dim, 'dot', true)!.maxRowNorm;
    s.setChunk(data.subarray(0, dim), dim, 'dot', true);
    const streamed = s.streamTail(data, true).maxRowNorm;
    expect(streamed).toBe(copied);
    // Another summation order (the JavaScript statement): the same to within a few ulps, far inside the 2^-20 margin.
    expect(Math.abs(streamed / maxRowNorm(data, n, dim) - 1)).toBeLessThan(2 ** -45);
    expect(streamed).toBeGreaterThan(100 * 17);
    data[200 * dim + 17] = NaN;
    s.setChunk(data.subarray(0, dim), dim, 'dot', true);
    expect(s.streamTail(data, true).maxRowNorm).toBeNaN();
    // A streamed chunk stays last: nothing is appended after it, and score() does not read it.
    expect(() => s.appendResident(data)).toThrow(/streamTail/);
    expect(() => s.score([0], 1, new Float32Array(1))).toThrow(/streamed/);
  });
});
