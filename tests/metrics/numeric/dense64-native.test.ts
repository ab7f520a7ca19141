/**
 * dense64-native.c (the native twins of dense64.wat's `forward` and `gradient`) must give the WebAssembly kernels'
 * bits exactly: on both of its paths (AVX2, AVX-512), for 1, 2 and 4 threads, on shapes that are not multiples of
 * any tile or block size (1 .. 4,100), and on values with wide exponents, signed zeros, subnormals and overflow
 * (inf, NaN from inf - inf). And the committed library must be built from the committed source and load here.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { openNativeLibrary, nativeAllowed, nativePlatform, sourceHash } from '../../../src/native/native-library.js';
import { dense64Native } from '../../../src/metrics/numeric/dense64/native-kernels.js';
import { Dense64Workspace, registerRowKernel } from '../../../src/metrics/numeric/dense64/workspace.js';

const base = new URL('../../../src/metrics/numeric/dense64/dense64-native', import.meta.url);
const native = dense64Native();
const levels = native ? [1, 2].filter((l) => l <= native.level) : [];

/** Deterministic values (32-bit LCG): mostly in [-1, 1), with `wild` / 256 of them drawn from every exponent. */
function values(n: number, seed: number, wild: number): Float64Array {
  const out = new Float64Array(n);
  const bits = new DataView(new ArrayBuffer(8));
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  for (let i = 0; i < n; i++) {
    const r = next();
    const kind = r & 0xff;
    if (kind < wild) {
      // any sign, any exponent (subnormals and huge values included: products overflow to inf, sums of
      // opposite infinities give NaN), random mantissa
      bits.setUint32(0, (next() & 0x800fffff) | ((next() % 2047) << 20));
      bits.setUint32(4, next());
      out[i] = bits.getFloat64(0);
    } else if (kind < wild + 8) out[i] = -0;
    else if (kind < wild + 16) out[i] = 0;
    else if (kind < wild + 20) out[i] = (next() / 2 ** 32) * 2 ** -1060; // subnormal
    else out[i] = r / 2 ** 31 - 1;
  }
  return out;
}

const bitsOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

const wasm = new Dense64Workspace(1, { nativeLevel: 0 });
const natives = levels.flatMap((level) => [1, 2, 4].map((threads) => new Dense64Workspace(threads, { nativeLevel: level })));
afterAll(() => [wasm, ...natives].forEach((w) => w.close()));

describe('dense64-native.linux-x64.so', () => {
  test('is built from the committed dense64-native.c and loads here (linux-x64, AVX2 or AVX-512)', () => {
    if (nativePlatform() !== 'linux-x64' || !nativeAllowed()) return;
    const lib = openNativeLibrary(base);
    expect(lib).toBeDefined();
    expect(lib!.lib.func('const char *mteb_native_source_hash(void)')()).toBe(sourceHash(new URL(`${base.href}.c`)));
    expect(native).toBeDefined();
    expect(natives.length).toBeGreaterThan(0);
    expect(natives[0].kernels).toBe('avx2');
  });

  test('MTEB_TS_NATIVE=avx2 keeps the workspace on the AVX2 path (what a CPU without AVX-512 runs)', () => {
    const before = process.env.MTEB_TS_NATIVE;
    process.env.MTEB_TS_NATIVE = 'avx2';
    try {
      expect(dense64Native()?.level).toBe(1);
      const ws = new Dense64Workspace(1);
      expect(ws.kernels).toBe('avx2');
      ws.close();
    } finally {
      if (before === undefined) delete process.env.MTEB_TS_NATIVE;
      else process.env.MTEB_TS_NATIVE = before;
    }
  });

  test('MTEB_TS_NATIVE=0 turns it off: the workspace runs the WebAssembly kernels', () => {
    const before = process.env.MTEB_TS_NATIVE;
    process.env.MTEB_TS_NATIVE = '0';
    try {
      expect(dense64Native()).toBeUndefined();
      const ws = new Dense64Workspace(1);
      expect(ws.kernels).toBe('wasm');
      ws.close();
    } finally {
      if (before === undefined) delete process.env.MTEB_TS_NATIVE;
      else process.env.MTEB_TS_NATIVE = before;
    }
  });
});

describe('native forward / gradient equal the WebAssembly kernels bit for bit', () => {
  // [n, p, K, wild]: rows, features, outputs, how many values of 256 are drawn from every exponent
  const shapes: [number, number, number, number][] = [
    [1, 1, 1, 0],
    [2, 3, 5, 200],
    [7, 1, 23, 40],
    [13, 257, 25, 20],
    [5, 4100, 7, 10], // past the forward's 256-feature blocks, K not a multiple of 4
    [61, 511, 77, 4], // rows past the forward's 64-row block
    [300, 130, 60, 2], // n·p·K > 2^21: split over the threads
    [1030, 33, 97, 2], // gradient row blocks of 256 plus a partial one; 25 panels = 4 groups of 6 + 1
    [4100, 9, 3, 30], // a long gradient sum, few outputs
    [129, 1024, 24, 1],
  ];
  for (const [n, p, K, wild] of shapes) {
    test(`n=${n} p=${p} K=${K}: AVX2 and AVX-512 paths, threads 1/2/4`, () => {
      if (!levels.length) return; // no native kernels on this machine: nothing to compare
      const X = values(n * p, n * 31 + p, wild);
      const w = values(p * K, K * 7 + 1, wild);
      const gp = values(n * K, n + K, wild);
      wasm.setProblem(n, p, K).set(X);
      const f = wasm.forward(w);
      const g = wasm.gradient(gp);
      // the inputs do reach inf and NaN on the wide shapes (else the case would test less than it says)
      if (wild >= 20) expect(f.some((v) => !Number.isFinite(v)) || g.some((v) => !Number.isFinite(v))).toBe(true);
      for (const ws of natives) {
        ws.setProblem(n, p, K).set(X);
        expect(bitsOf(ws.forward(w)).equals(bitsOf(f))).toBe(true);
        expect(bitsOf(ws.gradient(gp)).equals(bitsOf(g))).toBe(true);
        // again on the same workspace (X packed once, G zeroed again)
        expect(bitsOf(ws.gradient(gp)).equals(bitsOf(g))).toBe(true);
      }
    });
  }

  test('the comparison can fail: one changed input changes the bits', () => {
    if (!levels.length) return;
    const [n, p, K] = [9, 300, 11];
    const X = values(n * p, 5, 0);
    const w = values(p * K, 6, 0);
    wasm.setProblem(n, p, K).set(X);
    const f = wasm.forward(w);
    const X2 = X.slice();
    X2[p + 17] += 1e-3;
    natives[0].setProblem(n, p, K).set(X2);
    expect(bitsOf(natives[0].forward(w)).equals(bitsOf(f))).toBe(false);
  });
});

describe('a worker whose part fails', () => {
  test('its part is redone on the calling thread (same bits), and the workspace goes on alone', () => {
    // A worker that cannot load the native kernels throws for its part (the AVX-512 layouts are not the wasm
    // kernels'): the same path as this row kernel, which throws everywhere but on the test's own thread (a
    // worker's globalThis is its own).
    const g = globalThis as { dense64TestThread?: boolean };
    g.dense64TestThread = true;
    const id = registerRowKernel(`(buffer, a, i0, i1) => {
      if (!globalThis.dense64TestThread) throw new Error('not the calling thread');
      const out = new Float64Array(buffer, a[0] >>> 0, a[1]);
      for (let i = i0; i < i1; i++) out[i] = i * 0.5;
    }`);
    const ws = new Dense64Workspace(2);
    try {
      const [n, p, K] = [300, 130, 60];
      const X = values(n * p, 1, 0);
      const w = values(p * K, 2, 0);
      const gp = values(n * K, 3, 0);
      wasm.setProblem(n, p, K).set(X);
      const f = wasm.forward(w);
      const grad = wasm.gradient(gp);
      ws.setProblem(n, p, K).set(X);
      expect(bitsOf(ws.forward(w)).equals(bitsOf(f))).toBe(true); // threads still in use here
      expect(ws.threadsUsable).toBe(true);
      const rows = ws.rowArrays();
      ws.runRows(id, n, 1 << 22, [rows.at.rowValues, n]);
      expect(Array.from(rows.rowValues)).toEqual(Array.from({ length: n }, (_, i) => i * 0.5));
      expect(ws.threadsUsable).toBe(false);
      expect(bitsOf(ws.forward(w)).equals(bitsOf(f))).toBe(true);
      expect(bitsOf(ws.gradient(gp)).equals(bitsOf(grad))).toBe(true);
    } finally {
      ws.close();
      delete g.dense64TestThread;
    }
  });
});
