import { describe, test, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { exactTop1, type Top1Diagnostics } from '../../../src/search/top1.js';
import { ExactSearch } from '../../../src/search/exact.js';
import { nearestNeighbours } from '../../../src/metrics/bitext/evaluate.js';
import { JsEngine, type ScoreEngine } from '../../../src/search/score-engine.js';
import { canonicalNorm, engineErrorBound } from '../../../src/search/canonical/canonical.js';
import { loadCblas, type Cblas } from '../../../src/search/blas/cblas.js';
import { BlasEngine } from '../../../src/search/blas/blas-engine.js';
import { scanTop1 } from '../../../src/search/top1-blas.js';
import { compileKernels } from '../../../src/search/blas/build-kernels.js';
import type { Similarity } from '../../../src/search/types.js';
import { tieHeavy } from './top1-data.js';

/** Exact search's top-1 (the path bitext took before exactTop1): the reference every decision must equal. */
async function viaExactSearch(a: ReturnType<typeof tieHeavy>['a'], b: ReturnType<typeof tieHeavy>['b'], fn: 'cosine' | 'dot'): Promise<number[]> {
  const s = new ExactSearch({ engine: 'js' });
  try {
    return await nearestNeighbours(a, b, fn, s);
  } finally {
    await s.close();
  }
}

/**
 * A stand-in engine: the JS engine's scores moved by a deterministic amount per (query, row) of up to `scale`
 * times the error bound at that pair (‖q‖‖d‖ for dot), or, with `toward`, only that one row raised by `scale`
 * row. Floors are ignored (all kk slots are returned), which the caller must accept.
 */
class MovedEngine implements ScoreEngine {
  readonly name = 'moved';
  private inner = new JsEngine();
  private rowNorms: number[] = [];
  private sim: Similarity = 'cosine';
  private dim = 0;
  private n = 0;
  constructor(
    private readonly scale: number,
    private readonly toward?: number,
  ) {}
  async setChunk(data: Float32Array | Uint16Array, n: number, dim: number, similarity: Similarity): Promise<void> {
    this.sim = similarity;
    this.dim = dim;
    this.n = n;
    this.rowNorms = Array.from({ length: n }, (_, j) => canonicalNorm(data as Float32Array, dim, j * dim));
    await this.inner.setChunk(data, n, dim, similarity);
  }
  async scores(q: Float32Array, m: number): Promise<Float32Array> {
    const s = await this.inner.scores(q, m);
    for (let i = 0; i < m; i++) {
      const qn = canonicalNorm(q, this.dim, i * this.dim);
      for (let j = 0; j < this.n; j++) {
        const bound = engineErrorBound(this.dim, this.sim, qn, this.rowNorms[j]);
        const h = Math.sin(i * 12.9898 + j * 78.233) * 43758.5453;
        const move = this.toward === undefined ? this.scale * bound * (2 * (h - Math.floor(h)) - 1) : j === this.toward ? this.scale * bound : 0;
        s[i * this.n + j] = Math.fround(s[i * this.n + j] + move);
      }
    }
    return s;
  }
  async topk(q: Float32Array, m: number, kk: number) {
    const s = await this.scores(q, m);
    const values = new Float32Array(m * kk);
    const indices = new Int32Array(m * kk);
    for (let i = 0; i < m; i++) {
      const row = s.subarray(i * this.n, (i + 1) * this.n);
      const order = Array.from({ length: this.n }, (_, j) => j).sort((x, y) => (row[x] === row[y] ? x - y : row[y] - row[x]));
      for (let r = 0; r < kk; r++) {
        values[i * kk + r] = row[order[r]];
        indices[i * kk + r] = order[r];
      }
    }
    return { values, indices };
  }
  async close(): Promise<void> {}
}

let blas = false;
try {
  blas = loadCblas().library.length > 0;
} catch {
  blas = false;
}
if (!blas) console.warn('top1.test.ts: no system BLAS loads: the BLAS-engine cases are skipped (the JS and stand-in engines still run)');

describe('exactTop1 = exact search top-1, whatever decides each query', () => {
  const cases = [
    ['cosine', 150, 400, 24],
    ['dot', 150, 400, 24],
    ['cosine', 90, 700, 40],
  ] as const;
  test.each(cases)('%s %i x %i x %i: every engine, chunking and stand-in within the bound agree', async (fn, m, n, dim) => {
    const { a, b } = tieHeavy(m, n, dim, m + n + dim);
    const want = await viaExactSearch(a, b, fn);
    // The lowest of exactly tied rows wins (the data holds duplicated rows: row j + 50 repeats row j).
    expect(want.some((j) => j >= 50 && j < 100)).toBe(false);
    const engines: [string, () => ScoreEngine | 'js' | 'blas'][] = [
      ['js', () => 'js'],
      ['moved ±0.5 δ', () => new MovedEngine(0.5)],
      ['moved ±0.9 δ', () => new MovedEngine(0.9)],
      ...(blas ? ([['blas (GEMM scan first)', () => 'blas']] as [string, () => 'blas'][]) : []),
      ...(blas ? ([['blas engine object (no scan)', () => BlasEngine.create()]] as [string, () => ScoreEngine][]) : []),
    ];
    const paths = { decided: 0, rescored: 0, searched: 0 };
    for (const [name, engine] of engines) {
      for (const chunkRows of [undefined, 37, 256]) {
        const diagnostics: Top1Diagnostics = { decided: 0, rescored: 0, searched: 0 };
        const e = engine();
        const got = Array.from(await exactTop1(a, b, fn, { engine: e, chunkRows, diagnostics }));
        if (typeof e !== 'string') await e.close();
        expect({ name, chunkRows, got }).toEqual({ name, chunkRows, got: want });
        expect((diagnostics.scanned ?? 0) + diagnostics.decided + diagnostics.rescored + diagnostics.searched).toBe(m);
        if (name.startsWith('blas (')) expect(diagnostics.scanned).toBeGreaterThan(0);
        paths.decided += diagnostics.decided;
        paths.rescored += diagnostics.rescored;
        paths.searched += diagnostics.searched;
      }
    }
    // The data reaches all three ways of deciding.
    expect(paths.decided).toBeGreaterThan(0);
    expect(paths.rescored).toBeGreaterThan(0);
    expect(paths.searched).toBeGreaterThan(0);
  });

  test('a stand-in engine off by far more than the bound (10⁶ δ towards one row) changes decisions (the comparison can fail)', async () => {
    const { a, b } = tieHeavy(150, 400, 24, 7);
    const want = await viaExactSearch(a, b, 'cosine');
    const got = Array.from(await exactTop1(a, b, 'cosine', { engine: new MovedEngine(1e6, 123) }));
    expect(got.filter((j) => j === 123).length).toBeGreaterThan(100);
    expect(got).not.toEqual(want);
  });

  test('NaN and infinite rows: decided as exact search decides them', async () => {
    const { a, b } = tieHeavy(40, 200, 16, 3);
    b.data.fill(NaN, 5 * 16, 6 * 16);
    b.data[7 * 16 + 3] = Infinity;
    a.data[2 * 16] = NaN;
    a.data[4 * 16 + 1] = -Infinity;
    for (const fn of ['cosine', 'dot'] as const) {
      const want = await viaExactSearch(a, b, fn);
      expect(Array.from(await exactTop1(a, b, fn, { engine: 'js' }))).toEqual(want);
      if (blas) expect(Array.from(await exactTop1(a, b, fn, { engine: 'blas' }))).toEqual(want);
    }
  });

  test('no queries, one corpus row, and a dimension mismatch', async () => {
    const { a, b } = tieHeavy(5, 1, 8, 1);
    expect(Array.from(await exactTop1({ rows: 0, dim: 8, data: new Float32Array(0) }, b, 'cosine'))).toEqual([]);
    expect(Array.from(await exactTop1(a, b, 'dot', { engine: 'js' }))).toEqual([0, 0, 0, 0, 0]);
    await expect(exactTop1(a, { rows: 1, dim: 4, data: new Float32Array(4) }, 'cosine')).rejects.toThrow(/dimension 8 but corpus vectors 4/);
  });
});

/**
 * A stand-in CBLAS: the exact product (float64) moved by `scale` × γ_d ‖q‖‖d‖ per (row, column), up or down by a
 * deterministic hash, or (`toward`) only corpus row `toward` raised by `scale` × γ_d ‖q‖‖d‖. The scan's bound
 * allows any float32 summation order: γ_d ‖q‖‖d‖ (plus underflow).
 */
function standInBlas(scale: number, toward?: number, c0 = { at: 0 }): Cblas {
  const u = 2 ** -24;
  return {
    library: 'stand-in',
    description: 'stand-in SGEMM',
    perCallThreads: true,
    async sgemmABt(m, n, k, a, b, c) {
      const gamma = (k * u) / (1 - k * u);
      // Corpus rows are passed as subarrays: their first row's index comes from the byte offset.
      const first = (b.byteOffset - c0.at) / 4 / k;
      for (let i = 0; i < m; i++) {
        let qq = 0;
        for (let t = 0; t < k; t++) qq += a[i * k + t] ** 2;
        for (let j = 0; j < n; j++) {
          let s = 0;
          let dd = 0;
          for (let t = 0; t < k; t++) {
            s += a[i * k + t] * b[j * k + t];
            dd += b[j * k + t] ** 2;
          }
          const room = gamma * Math.sqrt(qq * dd);
          const h = Math.sin((i + a.byteOffset / 4 / k) * 12.9898 + (first + j) * 78.233) * 43758.5453;
          const move = toward === undefined ? scale * room * (2 * (h - Math.floor(h)) - 1) : first + j === toward ? scale * room : 0;
          c[i * n + j] = Math.fround(s + move);
        }
      }
    },
  };
}

describe('the GEMM scan decides only what its bound proves', () => {
  test('the committed top1-scan.wasm is top1-scan.wat compiled', async () => {
    const committed = readFileSync(new URL('../../../src/search/top1-scan.wasm', import.meta.url));
    expect(Buffer.compare(committed, Buffer.from(await compileKernels('top1-scan')))).toBe(0);
  });

  test.each([
    ['cosine', 0.9],
    ['dot', 0.9],
    ['cosine', 0],
  ] as const)('%s, products moved by ±%s γ_d‖q‖‖d‖: every decided query is exact search\'s, on any tiling', async (fn, scale) => {
    const { a, b } = tieHeavy(150, 400, 24, 5);
    const want = await viaExactSearch(a, b, fn);
    // Small tiles, two jobs per stream (the old default), the default (one large tile per stream).
    for (const [tileFloats, threads, jobsPerStream] of [[500, 1, 1], [7000, 2, 2], [undefined, 3, undefined]] as const) {
      const scan = await scanTop1(a, b, fn, { blas: standInBlas(scale, undefined, { at: b.data.byteOffset }), tileFloats, threads, jobsPerStream });
      const decided = Array.from(scan!.out).map((j, i) => [i, j]).filter(([, j]) => j >= 0);
      expect(decided.length + scan!.undecided.length).toBe(150);
      expect(decided.length).toBeGreaterThan(50);
      expect(scan!.undecided.length).toBeGreaterThan(0); // the exact ties are left open
      for (const [i, j] of decided) expect({ i, j }).toEqual({ i, j: want[i] });
    }
  });

  test('a stand-in off by 10⁶ γ_d‖q‖‖d‖ towards one row decides wrongly (the check can fail)', async () => {
    const { a, b } = tieHeavy(150, 400, 24, 5);
    const want = await viaExactSearch(a, b, 'cosine');
    const scan = await scanTop1(a, b, 'cosine', { blas: standInBlas(1e6, 321, { at: b.data.byteOffset }) });
    const wrong = Array.from(scan!.out).filter((j, i) => j >= 0 && j !== want[i]);
    expect(wrong.length).toBeGreaterThan(10);
  });
});

/** OpenBLAS reads OPENBLAS_CORETYPE when it loads: one child process per kernel. */
const openblas = (() => {
  try {
    return loadCblas().description.startsWith('OpenBLAS') && process.platform === 'linux';
  } catch {
    return false;
  }
})();
if (blas && !openblas) console.warn('top1.test.ts: the system BLAS is not OpenBLAS: the OPENBLAS_CORETYPE test is skipped');
describe('bitext decisions under several OpenBLAS kernels', () => {
  (openblas ? test : test.skip)('every OPENBLAS_CORETYPE and thread count gives exact search\'s (js) decisions', () => {
    const outs = new Set<string>();
    const avx2 = /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
    for (const ct of ['', 'Prescott', 'Sandybridge', ...(avx2 ? ['Haswell'] : [])]) {
      const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_CORETYPE: ct };
      if (!ct) delete env.OPENBLAS_CORETYPE;
      const out = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'tests/metrics/bitext/top1-child.ts'], { encoding: 'utf8', env }));
      if (ct) expect(out.engine).toContain(ct);
      expect(out.blas1).toBe(out.js);
      expect(out.blas2).toBe(out.js);
      outs.add(out.js);
    }
    expect(outs.size).toBe(1);
  }, 300_000);
});
