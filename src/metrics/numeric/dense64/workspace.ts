/**
 * The evaluators' float64 matrix products on dense64.wasm (fixed order: each output is one sequential sum, see
 * dense64.wat), spread over worker threads that share the module's memory. A product is split by OUTPUT (rows
 * of X·W, columns of Xᵀ·G), never inside one sum, so the result has the same bits for every thread count and
 * CPU. The objective functions that call these are synchronous (the L-BFGS-B port calls them in a loop), so
 * the threads are driven synchronously too: the calling thread posts a generation number in the shared memory,
 * does its own part, and waits on `Atomics.wait` for the others.
 *
 * Where dense64-native.c's kernels load (native-kernels.ts: linux-x64 with AVX2 or AVX-512, MTEB_TS_NATIVE not 0),
 * `forward` and `gradient` run on them instead, on the same memory and the same split: they compute the same bits
 * as the wasm ones, so a thread that cannot load them (or a machine without them) changes no result.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MtebError } from '../../../core/errors.js';
import { dense64Native, FORWARD_SIGNATURE, GRADIENT_SIGNATURE, kernelsName, type Dense64Native } from './native-kernels.js';

let compiled: WebAssembly.Module | undefined;
function wasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(fs.readFileSync(fileURLToPath(new URL('./dense64.wasm', import.meta.url))));
  return compiled;
}

type Forward = (X: number, rs: number, Wp: number, p: number, nt: number, out: number, r0: number, r1: number) => void;
type Dots32 = (X: number, C: number, nc: number, d: number, out: number, m: number, i0: number, i1: number) => void;
type Gradient = (Xp: number, GPp: number, n: number, nt: number, G: number, c0: number, c1: number, blk: number) => void;
/** The k-means kernels over float32 rows (dense64.wat, "k-means over float32 rows"); addresses are byte offsets. */
export interface KMeans32Kernels {
  /** `panels`: 0 skips the centre panels (the BLAS path's kernels read the row-major centres). */
  prep32(C: number, K: number, d: number, Cp: number, cnorm: number, clen: number, panels: number): void;
  update32(U: number, j0: number, j1: number): void;
  assign32(P: number, t0: number, t1: number): void;
}

// Control words (int32 index) at the start of the memory; each thread's arguments at ARGS + 16 * thread.
const GEN = 0;
const DONE = 1;
const FN = 2;
const FAILED = 3;
const READY = 4;
const ARGS = 16;
const MAX_THREADS = 16;
const CONTROL_BYTES = (ARGS + 16 * MAX_THREADS) * 4;
const FN_FORWARD = 1;
const FN_GRADIENT = 2;
const FN_FORWARD32 = 3;
const FN_DOTS32 = 4;
const FN_ASSIGN32 = 5;
const FN_UPDATE32 = 6;
const FN_SGEMM = 7;
const FN_DSYRK = 8;
const FN_ROWS = 9;
const FN_EXIT = -1;
/** Rows per gradient block: the block of X (rows x 4 columns) and of the packed G panels stay in L1/L2. */
const GRADIENT_BLOCK = 256;
/** Below this many multiply-adds a product stays on the calling thread. */
const PARALLEL_MIN = 1 << 21;
/** A worker that shows no progress for this long is taken as lost (the product is then redone here). */
const STALL_MS = 120_000;
const PAGE = 65536;
const align = (x: number) => Math.ceil(x / 64) * 64;

/**
 * Row kernels: plain-JavaScript functions `(buffer, params, i0, i1) => void` over rows [i0, i1) of a problem in
 * the shared memory, registered once by their source (a string, because each worker compiles it too: a JS
 * function that is the same source gives the same bits in every isolate, Math.exp and Math.log included). The
 * objective's per-row work (softmax, loss, gradient input) runs on them split over the threads like the products.
 */
const rowKernelSources: string[] = [];
type RowKernel = (buffer: ArrayBufferLike, params: number[], i0: number, i1: number) => void;
const rowKernelFns: RowKernel[] = [];

/** Registers a row kernel's source (an arrow or function expression); returns its id for `runRows`. */
export function registerRowKernel(source: string): number {
  const at = rowKernelSources.indexOf(source);
  if (at >= 0) return at;
  rowKernelSources.push(source);
  rowKernelFns.push(new Function(`return (${source});`)() as RowKernel);
  return rowKernelSources.length - 1;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, index, blas, native, rowKernels } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const rows = rowKernels.map((src) => new Function('return (' + src + ');')());
// forward / gradient run on dense64-native.c when the calling thread's workspace does. If the library does not load
// here, those parts throw (the calling thread redoes them): the AVX-512 path's layouts are not the wasm kernels'.
let nat;
if (native) {
  try {
    const lib = require(native.koffi).load(native.library);
    nat = { forward: lib.func(${JSON.stringify(FORWARD_SIGNATURE)}), gradient: lib.func(${JSON.stringify(GRADIENT_SIGNATURE)}) };
  } catch {}
}
// The wasm kernels' arguments are i32 byte offsets (unsigned there); the native ones take them as uint32.
const u = (v) => v >>> 0;
// k-means' BLAS products (sgemm32, dsyrk64): the CBLAS loaded through koffi on first use, pinned to one thread per call.
let lib;
function blasLib() {
  if (!lib) {
    lib = require(blas.koffi).load(blas.library);
    try { lib.func('void openblas_set_num_threads(int n)')(1); } catch {}
  }
  return lib;
}
let sgemm;
function blasSgemm(A, B, C, n, k, ldc, r0, r1) {
  sgemm ??= blasLib().func('void cblas_sgemm(int order, int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)');
  if (r1 <= r0) return;
  const f = (at, len) => new Float32Array(memory.buffer, at, len);
  sgemm(101, 111, 112, r1 - r0, n, k, 1, f(A + r0 * k * 4, (r1 - r0) * k), k, f(B, n * k), k, 0, f(C + r0 * ldc * 4, (r1 - r0 - 1) * ldc + n), ldc);
}
let dsyrk;
function blasDsyrk(A, C, n, k, t0, t1) {
  dsyrk ??= blasLib().func('void cblas_dsyrk(int order, int uplo, int trans, int N, int K, double alpha, const double *A, int lda, double beta, double *C, int ldc)');
  if (t0 > 0 || t1 < 1) return;
  dsyrk(101, 122, 111, n, k, 1, new Float64Array(memory.buffer, A, n * k), k, 0, new Float64Array(memory.buffer, C, n * n), n);
}
const ctl = new Int32Array(memory.buffer, 0, ${ARGS + 16 * MAX_THREADS});
// The generation is read BEFORE signalling ready: the caller posts the first job only after every worker is
// ready, so a worker can never take that job's number as already seen and sleep through it.
let seen = Atomics.load(ctl, ${GEN});
Atomics.add(ctl, ${READY}, 1);
Atomics.notify(ctl, ${READY});
for (;;) {
  Atomics.wait(ctl, ${GEN}, seen);
  seen = Atomics.load(ctl, ${GEN});
  const fn = Atomics.load(ctl, ${FN});
  if (fn === ${FN_EXIT}) break;
  const o = ${ARGS} + 16 * index;
  const a = ctl;
  try {
    if (a[o + 15] === 1) {
      if ((fn === ${FN_FORWARD} || fn === ${FN_GRADIENT}) && native) {
        if (!nat) throw new Error('dense64 native kernels did not load in this worker');
        const k = fn === ${FN_FORWARD} ? nat.forward : nat.gradient;
        k(native.level, new Uint8Array(memory.buffer), u(a[o]), u(a[o + 1]), u(a[o + 2]), u(a[o + 3]), u(a[o + 4]), u(a[o + 5]), u(a[o + 6]), u(a[o + 7]), ...(fn === ${FN_GRADIENT} ? [u(a[o + 8])] : []));
      } else if (fn === ${FN_FORWARD}) ex.forward(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
      else if (fn === ${FN_FORWARD32}) ex.forward32(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
      else if (fn === ${FN_DOTS32}) ex.dots32(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
      else if (fn === ${FN_ASSIGN32}) ex.assign32(a[o], a[o + 1], a[o + 2]);
      else if (fn === ${FN_UPDATE32}) ex.update32(a[o], a[o + 1], a[o + 2]);
      else if (fn === ${FN_SGEMM}) blasSgemm(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
      else if (fn === ${FN_ROWS}) rows[a[o]](memory.buffer, Array.from(a.subarray(o + 3, o + 15)), a[o + 1], a[o + 2]);
      else if (fn === ${FN_DSYRK}) blasDsyrk(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5]);
      else ex.gradient(a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6], a[o + 7]);
    }
  } catch (e) {
    Atomics.add(ctl, ${FAILED}, 1);
  }
  Atomics.add(ctl, ${DONE}, 1);
  Atomics.notify(ctl, ${DONE});
}
`;

/** Threads used by default: every core, at most MAX_THREADS (the thread count never changes a result). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(MAX_THREADS, os.availableParallelism()));
}

/** Where one problem's arrays live in the memory (byte offsets). */
interface Layout {
  /** Bytes per X value: 8 (float64 rows, forward + gradient) or 4 (float32 rows, forward only). */
  bytes: 8 | 4;
  n: number; // rows of X (padded to a multiple of 4 in the memory)
  p: number; // columns of X
  K: number; // columns of W / GP
  nt: number; // 4-column panels: ceil(K / 4)
  x: number;
  wp: number;
  out: number;
  gpp: number;
  g: number;
  /** X in column panels (n4 x 4 per 4 features) for the gradient, packed on its first call. */
  xp: number;
  /** The row kernels' per-problem arrays: n int32 labels, n float64 per-row results, K float64 per-output values. */
  labels: number;
  rowValues: number;
  outputValues: number;
  packed: boolean;
  end: number;
}

export interface Dense64Options {
  /**
   * The native kernels' path: undefined = the best this CPU has, 0 = the WebAssembly kernels only, 1 = AVX2,
   * 2 = AVX-512 (capped at what the CPU has). Every choice gives the same bits; tests compare them.
   */
  nativeLevel?: number;
}

export class Dense64Workspace {
  private readonly memory: WebAssembly.Memory;
  /** forward / gradient's native kernels and the path they run (undefined: the wasm ones). */
  private readonly native?: { kernels: Dense64Native; level: number };
  /** The AVX-512 path's layouts (8-wide W and X panels, class-major G) are in use for float64 problems. */
  private readonly wide: boolean;
  private readonly fwd: Forward;
  private readonly fwd32: Forward;
  private readonly dots: Dots32;
  private rowsAt?: { m: number; d: number; maxCentres: number; x: number; c: number; out: number };
  private readonly grad: Gradient;
  /** The k-means kernels, for calls on this thread (`assign32` runs split over the threads). */
  readonly kmeans: KMeans32Kernels;
  private readonly ctl: Int32Array;
  private workers: Worker[] = [];
  /** The CBLAS the running workers call for sgemm32 (workers are restarted for another one). */
  private workerBlas?: { koffi: string; library: string };
  /** How many row kernels the running workers compiled (they are restarted to learn a later one). */
  private workerRowKernels = 0;
  private usable = true;
  private lay?: Layout;

  constructor(readonly threads = defaultThreads(), options: Dense64Options = {}) {
    const kernels = options.nativeLevel === 0 ? undefined : dense64Native();
    if (kernels) this.native = { kernels, level: Math.min(kernels.level, options.nativeLevel ?? kernels.level) };
    this.wide = (this.native?.level ?? 0) >= 2;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(CONTROL_BYTES / PAGE), maximum: 65536, shared: true });
    const ex = new WebAssembly.Instance(wasmModule(), { env: { memory: this.memory } }).exports as unknown as { forward: Forward; forward32: Forward; gradient: Gradient; dots32: Dots32 } & KMeans32Kernels;
    this.fwd = ex.forward;
    this.fwd32 = ex.forward32;
    this.dots = ex.dots32;
    this.grad = ex.gradient;
    this.kmeans = { prep32: ex.prep32, update32: ex.update32, assign32: ex.assign32 };
    this.ctl = new Int32Array(this.memory.buffer, 0, ARGS + 16 * MAX_THREADS);
  }

  /**
   * Lays out a problem of n rows x p features and K outputs and returns the float64 view where X goes, row-major
   * n x p: the caller writes every value (it holds the previous problem's). Valid until the next setProblem.
   */
  setProblem(n: number, p: number, K: number): Float64Array {
    const x = this.place(n, p, K, 8);
    return new Float64Array(this.memory.buffer, x, n * p);
  }

  /** As setProblem, for float32 rows (widened exactly in the kernel): `forward` only. */
  setProblem32(n: number, p: number, K: number): Float32Array {
    const x = this.place(n, p, K, 4);
    return new Float32Array(this.memory.buffer, x, n * p);
  }

  private place(n: number, p: number, K: number, bytes: 8 | 4): number {
    const n4 = Math.ceil(n / 4) * 4;
    const nt = Math.ceil(K / 4);
    // sized for the AVX-512 path's 8-wide panels too (W, X's column panels) and its class-major G (K x p8)
    const k8 = Math.ceil(K / 8) * 8;
    const p8 = Math.ceil(p / 8) * 8;
    const x = align(CONTROL_BYTES);
    const wp = align(x + (n4 * p + 4) * bytes);
    const out = align(wp + k8 * p * 8);
    const gpp = align(out + n4 * k8 * 8);
    const g = bytes === 8 ? align(gpp + nt * n4 * 32) : gpp;
    const xp = bytes === 8 ? align(g + p8 * k8 * 8) : gpp;
    const labels = bytes === 8 ? align(xp + p8 * n4 * 8) : gpp;
    const rowValues = bytes === 8 ? align(labels + n * 4) : gpp;
    const outputValues = bytes === 8 ? align(rowValues + n * 8) : gpp;
    const end = bytes === 8 ? align(outputValues + K * 8) : gpp;
    if (end > 4 * 1024 ** 3 - PAGE) {
      throw new MtebError('E_BAD_VALUE', `a ${n} x ${p} problem with ${K} outputs needs ${end} bytes, over WebAssembly's 4 GiB`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.lay = { bytes, n, p, K, nt, x, wp, out, gpp, g, xp, labels, rowValues, outputValues, packed: false, end };
    this.rowsAt = undefined;
    // The caller writes the n rows; the rows up to the multiple of 4 the tiles read and the padding are zeroed
    // (their products are +0 and change no sum).
    new Uint8Array(this.memory.buffer, x + n * p * bytes, wp - x - n * p * bytes).fill(0);
    return x;
  }

  /**
   * Places m float32 rows of d values for `dots32` (returns their view, to fill) with room for up to
   * `maxCentres` centres at a time.
   */
  setRows32(m: number, d: number, maxCentres: number): Float32Array {
    const x = align(CONTROL_BYTES);
    const c = align(x + m * d * 4);
    const out = align(c + maxCentres * d * 8);
    const end = align(out + maxCentres * m * 8);
    if (end > 4 * 1024 ** 3 - PAGE) throw new MtebError('E_BAD_VALUE', `${m} x ${d} rows need ${end} bytes, over WebAssembly's 4 GiB`);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.lay = undefined;
    this.rowsAt = { m, d, maxCentres, x, c, out };
    return new Float32Array(this.memory.buffer, x, m * d);
  }

  /**
   * For each centre (a row number of the setRows32 rows) and each row i: the float64 dot product in dot64's order
   * (dense64.wat $dot4x2). Returns centres.length x m values, centre-major (a copy).
   */
  dots32(centres: readonly number[]): Float64Array {
    const r = this.rowsAt;
    if (!r) throw new MtebError('E_INTERNAL', 'dense64: setRows32 was not called');
    const { m, d, x, c, out } = r;
    if (centres.length > r.maxCentres) throw new MtebError('E_INTERNAL', `dense64: ${centres.length} centres, room for ${r.maxCentres}`);
    const rows = new Float32Array(this.memory.buffer, x, m * d);
    // The centres widened to float64 once (exactly): the kernel reads each row once for two centres.
    const cv = new Float64Array(this.memory.buffer, c, centres.length * d);
    centres.forEach((ci, t) => cv.set(rows.subarray(ci * d, ci * d + d), t * d));
    this.run(FN_DOTS32, m, m * d * centres.length, (i0, i1) => [x, c, centres.length, d, out, m, i0, i1, 0]);
    return new Float64Array(this.memory.buffer, out, centres.length * m).slice();
  }

  /**
   * Reserves `bytes` of the memory after the control words for a caller-managed layout (the k-means arrays) and
   * returns its byte offset (64-byte aligned); the setProblem / setRows32 layouts are dropped.
   */
  reserve(bytes: number): number {
    const base = align(CONTROL_BYTES);
    const end = align(base + bytes);
    if (end > 4 * 1024 ** 3 - PAGE) throw new MtebError('E_BAD_VALUE', `${bytes} bytes of k-means arrays are over WebAssembly's 4 GiB`);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.lay = undefined;
    this.rowsAt = undefined;
    return base;
  }

  /** Which kernels run forward and gradient: 'avx512', 'avx2' or 'wasm'. */
  get kernels(): 'avx512' | 'avx2' | 'wasm' {
    return kernelsName(this.native?.level);
  }

  /** False once a worker failed or stalled: from then on everything runs on the calling thread (same bits). */
  get threadsUsable(): boolean {
    return this.usable;
  }

  /** The memory's current buffer (views made on it stay valid until the next reserve / setProblem grows it). */
  get buffer(): SharedArrayBuffer {
    return this.memory.buffer as unknown as SharedArrayBuffer;
  }

  /** Runs `update32` (parameter block at byte `U`) over `k` centres, split over the threads by centre. */
  update32(U: number, k: number, work: number): void {
    this.run(FN_UPDATE32, k, work, (j0, j1) => [U, j0, j1]);
  }

  /**
   * C rows [0, m) (`ldc` floats apart, at byte C) = A (m × k at byte A) · Bᵀ (B: n × k at byte B), float32, split by
   * rows over the threads: each worker calls the CBLAS `blas.library` (through koffi at `blas.koffi`) on its
   * rows, the calling thread runs `local(r0, r1)` on its own. For approximate products only (k-means' scores,
   * whose error kmeans32.ts bounds for any order): a BLAS's bits may depend on the split.
   */
  sgemm32(blas: { koffi: string; library: string }, m: number, n: number, k: number, A: number, B: number, C: number, ldc: number, local: (r0: number, r1: number) => void): void {
    if (this.workerBlas?.library !== blas.library || this.workerBlas.koffi !== blas.koffi) {
      this.stopWorkers();
      this.workerBlas = blas;
    }
    this.run(FN_SGEMM, m, m * n * k, (r0, r1) => [A, B, C, n, k, ldc, r0, r1], (a) => local(a[6], a[7]));
  }

  /**
   * The lower triangle of C (n × n float64 at byte C) = A·Aᵀ (A: n × k float64 at byte A) by the CBLAS `blas`'s
   * DSYRK on a worker thread while the calling thread runs `beside` (k-means++: the Gram matrix while the input's
   * row lengths are summed). With one thread, or when the worker fails, the calling thread runs `local` (the
   * same DSYRK) too. For certified uses only (gram-dots.ts): a BLAS's bits may depend on where it runs.
   */
  dsyrkBeside(blas: { koffi: string; library: string }, n: number, k: number, A: number, C: number, local: () => void, beside: () => void): void {
    if (this.workerBlas?.library !== blas.library || this.workerBlas.koffi !== blas.koffi) {
      this.stopWorkers();
      this.workerBlas = blas;
    }
    // Two tiles: tile 0 the DSYRK (a worker's when there is one), tile 1 the calling thread's `beside`.
    const threads = Math.min(this.threads, 2);
    const ran = [false, false];
    const self = (a: number[]) => {
      if (a[4] <= 0 && a[5] >= 1 && !ran[0]) {
        ran[0] = true;
        local();
      }
      if (a[5] >= 2 && !ran[1]) {
        ran[1] = true;
        beside();
      }
    };
    // (a worker that fails leaves its tile to the calling thread: run's fallback calls self with it)
    this.runOn(threads, FN_DSYRK, 2, PARALLEL_MIN, (t0, t1) => [A, C, n, k, t0, t1], self);
  }

  /** Runs `assign32` (parameter block at byte `P`) over `tiles` row tiles, split over the threads. */
  assign32(P: number, tiles: number, work: number): void {
    this.run(FN_ASSIGN32, tiles, work, (t0, t1) => [P, t0, t1]);
  }

  private layout(): Layout {
    if (!this.lay) throw new MtebError('E_INTERNAL', 'dense64: setProblem was not called');
    return this.lay;
  }

  /**
   * scores[i * K + k] = sum over j in increasing order of X[i, j] * w[j * K + k] (w: p x K, row-major, the layout
   * scipy's parameter vector has), for every row i < n. `outputsMajor`: w is K x p instead (w[k * p + j], e.g.
   * k-means centres). Returns a float64 array n x K (a copy).
   */
  forward(w: ArrayLike<number>, outputsMajor = false): Float64Array {
    const { n, K } = this.layout();
    const { scores, stride } = this.forwardInPlace(w, outputsMajor);
    const res = new Float64Array(n * K);
    for (let i = 0; i < n; i++) res.set(scores.subarray(i * stride, i * stride + K), i * K);
    return res;
  }

  /**
   * `forward` without the copy: score (i, k) is at `scores[i * stride + k]`, a view of the memory (the caller may
   * change it) valid until this workspace's next product or layout call. Saves the objective an n x K copy per
   * evaluation.
   */
  forwardInPlace(w: ArrayLike<number>, outputsMajor = false): { scores: Float64Array; stride: number } {
    const { bytes, n, p, K, wp, out, x } = this.layout();
    // W's panels (pw = 4 columns, 8 on the AVX-512 path) are written straight into the memory (no staging copy).
    // The columns past K are zeroed as the fresh array used to have them (their outputs are dropped, so stale
    // values there could not reach a result).
    const pw = bytes === 8 && this.wide ? 8 : 4;
    const np = Math.ceil(K / pw);
    const panels = new Float64Array(this.memory.buffer, wp, np * p * pw);
    for (let t = 0; t < np; t++) {
      for (let c = 0; c < pw; c++) {
        const k = pw * t + c;
        const base = t * p * pw + c;
        if (k >= K) for (let j = 0; j < p; j++) panels[base + j * pw] = 0;
        else if (outputsMajor) for (let j = 0; j < p; j++) panels[base + j * pw] = w[k * p + j];
        else for (let j = 0; j < p; j++) panels[base + j * pw] = w[j * K + k];
      }
    }
    const tiles = Math.ceil(n / 4);
    const fn = bytes === 8 ? FN_FORWARD : FN_FORWARD32;
    this.run(fn, tiles, n * p * K, (r0, r1) => [x, p * bytes, wp, p, np, out, r0, r1, 0]);
    return { scores: new Float64Array(this.memory.buffer, out, tiles * 4 * np * pw), stride: np * pw };
  }

  /**
   * grad[j * K + k] = sum over i in increasing order of X[i, j] * gp[i * K + k] (gp: n x K, row-major), for every
   * feature j < p. Returns a float64 array p x K (a copy).
   */
  gradient(gp: Float64Array): Float64Array {
    const { n, K } = this.layout();
    const { panels, n4 } = this.gradientInput();
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < K; k++) panels[((k >> 2) * n4 + i) * 4 + (k & 3)] = gp[i * K + k];
    }
    return this.gradientOfInput();
  }

  /**
   * `gradient`'s input written in place: the caller stores gp[i, k] (every i < n, k < K) at
   * `panels[((k >> 2) * n4 + i) * 4 + (k & 3)]`, then calls `gradientOfInput`. The padding (rows past n, columns
   * past K: dropped outputs, zeroed as before) is zeroed here. Saves the objective an n x K array and its packing pass per evaluation.
   */
  gradientInput(): { panels: Float64Array; n4: number } {
    const { bytes, n, K, nt, gpp } = this.layout();
    if (bytes !== 8) throw new MtebError('E_INTERNAL', 'dense64: gradient needs float64 rows (setProblem)');
    const n4 = Math.ceil(n / 4) * 4;
    const panels = new Float64Array(this.memory.buffer, gpp, nt * n4 * 4);
    for (let t = 0; t < nt; t++) panels.fill(0, (t * n4 + n) * 4, (t + 1) * n4 * 4);
    if (K < nt * 4) {
      const t = nt - 1;
      for (let i = 0; i < n; i++) for (let c = K - 4 * t; c < 4; c++) panels[(t * n4 + i) * 4 + c] = 0;
    }
    return { panels, n4 };
  }

  /** Runs the gradient product on the panels `gradientInput` handed out; returns p x K (a copy). */
  gradientOfInput(): Float64Array {
    const lay = this.layout();
    const { n, p, K, nt, gpp, g, x, xp } = lay;
    const n4 = Math.ceil(n / 4) * 4;
    // Column panels of X: 4 features wide (8 on the AVX-512 path, whose G is class-major: K rows of p8).
    const wide = this.wide;
    const fw = wide ? 8 : 4;
    const shift = wide ? 3 : 2;
    const pw = Math.ceil(p / fw) * fw;
    if (!lay.packed) {
      // X is the same for every gradient of a fit: packed once, straight from its rows into the memory (the two
      // regions do not overlap); the rows past n and features past p are zeroed (the memory holds old values).
      const rows = new Float64Array(this.memory.buffer, x, n * p);
      const xpanels = new Float64Array(this.memory.buffer, xp, pw * n4);
      for (let i = 0; i < n4; i++) {
        for (let j = 0; j < pw; j++) xpanels[((j >> shift) * n4 + i) * fw + (j & (fw - 1))] = i < n && j < p ? rows[i * p + j] : 0;
      }
      lay.packed = true;
    }
    if (wide) {
      const G = new Float64Array(this.memory.buffer, g, K * pw);
      G.fill(0);
      this.run(FN_GRADIENT, pw / 8, n * p * K, (c0, c1) => [xp, gpp, n4, K, g, pw, c0, c1, GRADIENT_BLOCK]);
      const res = new Float64Array(p * K);
      for (let k = 0; k < K; k++) for (let j = 0; j < p; j++) res[j * K + k] = G[k * pw + j];
      return res;
    }
    const colTiles = Math.ceil(p / 4);
    const G = new Float64Array(this.memory.buffer, g, colTiles * 4 * nt * 4);
    G.fill(0);
    // Rows past n are zero in X and in the panels: their terms (+0) change no sum, so blocks run over n4 rows.
    this.run(FN_GRADIENT, colTiles, n * p * K, (c0, c1) => [xp, gpp, n4, nt, g, c0, c1, GRADIENT_BLOCK]);
    const res = new Float64Array(p * K);
    const stride = nt * 4;
    for (let j = 0; j < p; j++) res.set(G.subarray(j * stride, j * stride + K), j * K);
    return res;
  }

  /**
   * The row kernels' arrays of the current (float64) problem, views valid until the next layout call: `labels`
   * (n int32), `rowValues` (n float64), `outputValues` (K float64), and their byte offsets for the kernels.
   */
  rowArrays(): { labels: Int32Array; rowValues: Float64Array; outputValues: Float64Array; at: { labels: number; rowValues: number; outputValues: number } } {
    const { bytes, n, K, labels, rowValues, outputValues } = this.layout();
    if (bytes !== 8) throw new MtebError('E_INTERNAL', 'dense64: row arrays need float64 rows (setProblem)');
    const buf = this.memory.buffer;
    return {
      labels: new Int32Array(buf, labels, n),
      rowValues: new Float64Array(buf, rowValues, n),
      outputValues: new Float64Array(buf, outputValues, K),
      at: { labels, rowValues, outputValues },
    };
  }

  /**
   * Runs row kernel `id` (registerRowKernel) over rows [0, rows), split over the threads by row; `params` (at
   * most 12 int32 values, e.g. byte offsets, which the kernel reads as unsigned) go to every part. `work`: the
   * estimated operations, below PARALLEL_MIN it stays on this thread.
   */
  runRows(id: number, rows: number, work: number, params: number[]): void {
    if (params.length > 12 || !(id >= 0 && id < rowKernelSources.length)) throw new MtebError('E_INTERNAL', `dense64: bad row kernel call ${id}`);
    this.run(FN_ROWS, rows, work, (i0, i1) => [id, i0, i1, ...params]);
  }

  /** Splits `tiles` tiles into one run per thread (the calling thread takes the last) and runs `fn` on each. */
  private run(fn: number, tiles: number, work: number, args: (t0: number, t1: number) => number[], self?: (a: number[]) => void): void {
    this.runOn(this.threads, fn, tiles, work, args, self);
  }

  /** `run` on at most `threads` threads. */
  private runOn(threads: number, fn: number, tiles: number, work: number, args: (t0: number, t1: number) => number[], self?: (a: number[]) => void): void {
    const parts = work >= PARALLEL_MIN && this.usable ? Math.min(threads, tiles) : 1;
    if (fn === FN_ROWS && this.workerRowKernels < rowKernelSources.length) this.stopWorkers();
    if (parts > 1 && !this.startWorkers(parts - 1)) return this.runOn(threads, fn, tiles, 0, args, self);
    const call = self ?? ((a: number[]) => this.call(fn, a));
    const bounds = (q: number) => Math.round((q * tiles) / parts);
    const ctl = this.ctl;
    for (let w = 0; w < this.workers.length; w++) {
      const o = ARGS + 16 * w;
      const active = w < parts - 1;
      ctl[o + 15] = active ? 1 : 0;
      if (active) args(bounds(w), bounds(w + 1)).forEach((v, i) => (ctl[o + i] = v));
    }
    if (this.workers.length) {
      Atomics.store(ctl, DONE, 0);
      Atomics.store(ctl, FAILED, 0);
      Atomics.store(ctl, FN, fn);
      Atomics.add(ctl, GEN, 1);
      Atomics.notify(ctl, GEN);
    }
    const a = args(bounds(parts - 1), tiles);
    call(a);
    if (!this.workers.length) return;
    let last = -1;
    let since = Date.now();
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= this.workers.length) break;
      if (done !== last) {
        last = done;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        this.usable = false;
        break;
      }
      Atomics.wait(ctl, DONE, done, 1000);
    }
    if (!this.usable || Atomics.load(ctl, FAILED) > 0) {
      // Lost or failed worker: do its share here (same kernels, same bits) and stop using threads.
      this.usable = false;
      for (let w = 0; w < parts - 1; w++) call(args(bounds(w), bounds(w + 1)));
    }
  }

  private call(fn: number, a: number[]): void {
    const nat = this.native;
    if (nat && (fn === FN_FORWARD || fn === FN_GRADIENT)) {
      const kernel = fn === FN_FORWARD ? nat.kernels.forward : nat.kernels.gradient;
      // forward takes 8 arguments, gradient 9 (the AVX2 path's gradient ignores the last)
      const count = fn === FN_FORWARD ? 8 : 9;
      kernel(nat.level, new Uint8Array(this.memory.buffer), ...Array.from({ length: count }, (_, i) => (a[i] ?? 0) >>> 0));
    } else if (fn === FN_ROWS) rowKernelFns[a[0]](this.memory.buffer, a.slice(3), a[1], a[2]);
    else if (fn === FN_FORWARD) this.fwd(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    else if (fn === FN_FORWARD32) this.fwd32(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    else if (fn === FN_DOTS32) this.dots(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
    else if (fn === FN_ASSIGN32) this.kmeans.assign32(a[0], a[1], a[2]);
    else if (fn === FN_UPDATE32) this.kmeans.update32(a[0], a[1], a[2]);
    else this.grad(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
  }

  /** Starts `count` workers once; false (threads off for this workspace) when they do not come up. */
  private startWorkers(count: number): boolean {
    if (this.workers.length >= count) return true;
    if (this.workers.length) this.stopWorkers();
    const ctl = this.ctl;
    Atomics.store(ctl, READY, 0);
    Atomics.store(ctl, FN, 0);
    this.workerRowKernels = rowKernelSources.length;
    try {
      for (let w = 0; w < count; w++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: wasmModule(), memory: this.memory, index: w, blas: this.workerBlas, rowKernels: rowKernelSources, native: this.native && { koffi: this.native.kernels.koffi, library: this.native.kernels.library, level: this.native.level } } });
        worker.on('error', () => (this.usable = false));
        worker.unref();
        this.workers.push(worker);
      }
    } catch {
      this.usable = false;
      return false;
    }
    const t0 = Date.now();
    for (;;) {
      const ready = Atomics.load(ctl, READY);
      if (ready >= count) return true;
      if (Date.now() - t0 > 30_000) {
        this.stopWorkers();
        this.usable = false;
        return false;
      }
      Atomics.wait(ctl, READY, ready, 100);
    }
  }

  private stopWorkers(): void {
    if (!this.workers.length) return;
    Atomics.store(this.ctl, FN, FN_EXIT);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }

  /** Ends the worker threads (the workspace still works, on the calling thread). */
  close(): void {
    this.stopWorkers();
  }
}

/**
 * One idle workspace per thread count and kernel choice is kept: its memory pages and threads are reused by the
 * next fit (keyed by the choice too, so a later MTEB_TS_NATIVE=0 gets a wasm-only workspace).
 */
const idle = new Map<string, Dense64Workspace>();
const idleKey = (threads: number, kernels: string) => `${threads}:${kernels}`;

export function acquireWorkspace(threads = defaultThreads()): Dense64Workspace {
  const key = idleKey(threads, kernelsName(dense64Native()?.level));
  const w = idle.get(key);
  if (w) {
    idle.delete(key);
    return w;
  }
  return new Dense64Workspace(threads);
}

export function releaseWorkspace(w: Dense64Workspace): void {
  const key = idleKey(w.threads, w.kernels);
  if (idle.has(key)) w.close();
  else idle.set(key, w);
}
