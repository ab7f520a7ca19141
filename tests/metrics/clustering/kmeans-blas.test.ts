/**
 * k-means' approximate scores through a BLAS SGEMM (blas-products.ts, kmeans32.ts): the BLAS only pre-selects,
 * the exact float32 replay decides every close row, so every label, centre, count, inertia and step count has
 * the bits of the WebAssembly products' path ('off'). Checked with the system BLAS (when one loads), under every
 * OpenBLAS kernel the CPU runs, and with a stand-in "BLAS" whose scores are perturbed up to the error bound
 * kmeans32.ts assumes (labels unchanged) or far beyond it (labels change: the comparison can fail). The SGEMM
 * split over dense64's worker threads is checked to run there, and to fall back to the calling thread (same fit)
 * when the workers cannot load the library.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fitMiniBatchKMeans } from '../../../src/metrics/clustering/minibatch-kmeans.js';
import { resolveScoreProducts, type ScoreProducts } from '../../../src/metrics/clustering/blas-products.js';
import { KMeans32 } from '../../../src/metrics/clustering/kmeans32.js';
import { acquireWorkspace, releaseWorkspace } from '../../../src/metrics/numeric/dense64/workspace.js';
import { mulberry32 } from '../../../src/util/mulberry32.js';
import { embeddings, grid } from './kmeans-data.js';
import { expectSameFit } from './same-fit.js';

const same = expectSameFit;

const residentMax = KMeans32.residentMax;
afterEach(() => {
  KMeans32.residentMax = residentMax;
});

type Rows = { rows: number; dim: number; data: Float32Array };
const shapes: [string, Rows, number, number][] = [
  ['embeddings 1,500 x 257, k = 20, batch 500', embeddings(1500, 257, 20, 1), 20, 500],
  ['embeddings 700 x 1,001, k = 17, batch 100', embeddings(700, 1001, 17, 2), 17, 100],
  ['embeddings 5,000 x 64, k = 9, batch 512 (two assign chunks)', embeddings(5000, 64, 9, 3), 9, 512],
  ['grid 300 x 3, k = 17, batch 4 (ties: the exact replay decides)', grid(300, 3, 4), 17, 4],
  ['grid 600 x 10, k = 40, batch 64 (ties)', grid(600, 10, 5), 40, 64],
];

/**
 * A stand-in SGEMM: the float64 dot of each row and centre, moved by `scale` × γ_d ‖x‖ ‖c‖ (kmeans32.ts's bound
 * for a BLAS's error is γ_d ‖x‖ ‖c‖; the float32 rounding of the stored value adds at most u ‖x‖ ‖c‖, so scale
 * 0.5 stays inside it for d >= 3) in a seeded random direction, or towards the last centre (`adversarial`).
 */
function perturbedBlas(scale: number, seed: number, adversarial = false): ScoreProducts & { calls: number } {
  const rnd = mulberry32(seed);
  return {
    description: `perturbed x${scale}`,
    calls: 0,
    sgemmABtSync(m, n, d, a, b, c, ldc) {
      this.calls++;
      const du = d * 2 ** -24;
      const gamma = du / (1 - du);
      const bl = Array.from({ length: n }, (_, j) => Math.sqrt(b.subarray(j * d, j * d + d).reduce((s, v) => s + v * v, 0)));
      for (let i = 0; i < m; i++) {
        const x = a.subarray(i * d, i * d + d);
        const xl = Math.sqrt(x.reduce((s, v) => s + v * v, 0));
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let f = 0; f < d; f++) dot += x[f] * b[j * d + f];
          const dir = adversarial ? (j === n - 1 ? 1 : -1) : rnd() < 0.5 ? -1 : 1;
          c[i * ldc + j] = dot + dir * scale * gamma * xl * bl[j];
        }
      }
    },
  };
}

describe('a stand-in BLAS with perturbed scores', () => {
  for (const [name, X, k, batch] of shapes.filter(([n]) => n.startsWith('grid') || n.includes('257'))) {
    test(`within the bound: the same fit as the WebAssembly products (${name})`, () => {
      const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: 'off' });
      const fake = perturbedBlas(0.5, 7);
      same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 2, products: fake }), ref);
      expect(fake.calls).toBeGreaterThan(ref.nSteps);
    });
  }

  test('far outside the bound (10^4 γ_d, towards the last centre) the labels change: the comparison can fail', () => {
    const [, X, k, batch] = shapes[0];
    const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: 'off' });
    const bad = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: perturbedBlas(1e4, 7, true) });
    expect(Array.from(bad.labels)).not.toEqual(Array.from(ref.labels));
  });

  test('non-finite scores are replayed, not trusted', () => {
    const [, X, k, batch] = shapes[3];
    const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: 'off' });
    const nan: ScoreProducts = { description: 'NaN', sgemmABtSync: (m, n, _d, _a, _b, c, ldc) => { for (let i = 0; i < m; i++) c.fill(NaN, i * ldc, i * ldc + n); } };
    same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: nan }), ref);
  });
});

const system = resolveScoreProducts('auto');
if (!system) console.warn('kmeans-blas.test.ts: no system BLAS loads (MTEB_TS_BLAS, OpenBLAS/BLIS/MKL/Accelerate): the system-BLAS tests are skipped');

describe('the system BLAS', () => {
  for (const [name, X, k, batch] of shapes) {
    (system ? test : test.skip)(`the same fit as the WebAssembly products, 1 and 2 threads, resident and staged (${name})`, () => {
      const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: 'off' });
      for (const threads of [1, 2]) same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads, products: 'auto' }), ref);
      KMeans32.residentMax = 0;
      same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 2, products: 'auto' }), ref);
    });
  }
});

describe('the SGEMM split over the worker threads', () => {
  const [, X, k, batch] = shapes[0];
  (system?.threaded ? test : test.skip)('runs on the workers (they stay usable) and gives the same fit', () => {
    const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: 'off' });
    same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 2, products: system }), ref);
    const ws = acquireWorkspace(2);
    try {
      expect(ws.threadsUsable).toBe(true);
    } finally {
      releaseWorkspace(ws);
    }
  });

  (system?.threaded ? test : test.skip)('a library the workers cannot load: the calling thread redoes their rows, same fit', () => {
    const ref = fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 1, products: 'off' });
    const fake = { ...perturbedBlas(0.5, 9), threaded: { koffi: system!.threaded!.koffi, library: '/nonexistent/libcblas-for-test.so' } };
    // 4 threads: a workspace of its own (the failed one stays idle for this count only).
    same(fitMiniBatchKMeans(X, { nClusters: k, batchSize: batch, seed: 42, threads: 4, products: fake }), ref);
    const ws = acquireWorkspace(4);
    try {
      expect(ws.threadsUsable).toBe(false);
    } finally {
      releaseWorkspace(ws);
    }
  });
});

/** OpenBLAS reads OPENBLAS_CORETYPE when it loads: one child process per kernel. */
function coretypes(): string[] {
  let flags = '';
  try {
    flags = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return [];
  }
  const out = ['', 'Prescott', 'Sandybridge'];
  if (/\bavx2\b/.test(flags)) out.push('Haswell');
  if (/\bavx512f\b/.test(flags)) out.push('SkylakeX');
  return out;
}

const openblas = system?.description.startsWith('OpenBLAS') && process.platform === 'linux';
if (system && !openblas) console.warn(`kmeans-blas.test.ts: the system BLAS is ${system.description}, not OpenBLAS: the OPENBLAS_CORETYPE test is skipped`);
describe('system OpenBLAS under several kernels (OPENBLAS_CORETYPE)', () => {
  (openblas ? test : test.skip)('every kernel gives the WebAssembly products\' fit, bit for bit', () => {
    const hashes = new Set<string>();
    for (const ct of coretypes()) {
      const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_CORETYPE: ct };
      if (!ct) delete env.OPENBLAS_CORETYPE;
      const out = JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'tests/metrics/clustering/kmeans-blas-child.ts'], { encoding: 'utf8', env }));
      if (ct) expect(out.products).toContain(ct);
      expect(out.blas).toBe(out.wasm);
      hashes.add(out.blas);
    }
    expect(hashes.size).toBe(1);
  }, 300_000);
});

describe('choosing the products', () => {
  const saved = process.env.MTEB_TS_BLAS;
  afterEach(() => {
    if (saved === undefined) delete process.env.MTEB_TS_BLAS;
    else process.env.MTEB_TS_BLAS = saved;
  });

  test("MTEB_TS_BLAS=off and a library that does not load leave the WebAssembly products; 'off' ignores the BLAS", () => {
    process.env.MTEB_TS_BLAS = 'off';
    expect(resolveScoreProducts('auto')).toBeUndefined();
    process.env.MTEB_TS_BLAS = '/nonexistent/libcblas-for-test.so';
    expect(resolveScoreProducts('auto')).toBeUndefined();
    expect(resolveScoreProducts('off')).toBeUndefined();
    const fake = perturbedBlas(0, 1);
    expect(resolveScoreProducts(fake)).toBe(fake);
  });
});
