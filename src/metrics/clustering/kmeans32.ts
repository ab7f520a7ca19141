/**
 * MiniBatchKMeans' per-step arithmetic over float32 rows on dense64's k-means kernels (dense64.wat, "k-means
 * over float32 rows"): labels, `_inertia_dense` and `_minibatch_update_dense` with exactly the bits of the
 * JavaScript loops in minibatch-kmeans.ts (which stay for float64 rows and are the tests' reference).
 *
 * Labels: approximate scores from float32 products (4 SIMD lanes, each lane one centre's sequential sum) pick
 * each row's label when no other centre's approximate score is within both scores' error bounds; every other row
 * is replayed with sklearn's exact float32 chain. The bound of a score is the float32 chain's own error (what the
 * float64 pre-pass used) plus the approximate product's rounding error (γ_d ‖x‖ ‖c‖, doubled by the factor −2) and
 * an absolute term for underflow, so the picked label is always the exact chain's: the result never depends on
 * the approximation, the split over threads or the CPU.
 *
 * With a BLAS (`products`, blas-products.ts) the approximate products are one SGEMM per chunk of rows instead (8
 * lanes and FMA where the CPU has them), written into the kernel's scratch; the kernel then runs only the bound
 * test, the replay and the inertia. The BLAS's error is bounded for ANY summation order, blocking, FMA and
 * flush-to-zero (see `prepare`), so the labels are still the exact chain's on every machine, kernel and thread
 * count: the BLAS only changes which rows are replayed.
 *
 * Without a BLAS the rows are copied into the module's memory once when they fit (then a step copies nothing: the
 * kernels read rows through index lists), otherwise each call stages its rows. With a BLAS they are always staged:
 * the SGEMM needs a batch's rows contiguous anyway (one gather per step either way), and a resident copy would
 * first-touch the whole input's size of fresh memory (200 MB at 50,000 x 1,024; page faults cost more than the
 * copy) before the first step; the update reuses the rows its step's labelling staged.
 */
import type { Dense64Workspace } from '../numeric/dense64/workspace.js';
import type { ScoreProducts } from './blas-products.js';
import { rowSquares } from './row-squares.js';

/** Rows per assign32 call (its products' scratch is rows x panels x 32 bytes). */
const CHUNK = 4096;
const align = (x: number) => Math.ceil(x / 64) * 64;

export class KMeans32 {
  /** Rows are kept resident up to this many bytes (WebAssembly products only); larger inputs are staged per call (tests lower it). */
  static residentMax = 1.5 * 1024 ** 3;
  private readonly base: number;
  private readonly resident: boolean;
  private readonly P: number;
  private readonly xAt: number;
  private readonly xlenAt: number;
  private readonly idxAt: number;
  private readonly dotsAt: number;
  private readonly labAt: number;
  private readonly ineAt: number;
  private cAt: number;
  private cNewAt: number;
  private readonly cpAt: number;
  private readonly cnAt: number;
  private readonly clAt: number;
  private readonly taAt: number;
  private readonly tbAt: number;
  private readonly uIdxAt: number;
  private readonly startsAt: number;
  private readonly wAt: number;
  private readonly alphaAt: number;
  private readonly stageRows: number;
  /** Each row's float64 length (error bounds only), by row number. */
  private readonly rowLen: Float64Array;
  /** Staged mode: the row numbers the staging area holds in order since the last `assign` (one chunk), else empty. */
  private staged = new Int32Array(0);
  /** Rows decided by the exact replay so far (statistics). */
  replayed = 0;
  /** A chunk's rows gathered for the SGEMM when they are not contiguous in the memory (BLAS path only). */
  private gather?: Float32Array;
  /** The same in the module's memory, for SGEMMs split over the threads (rows of room; 0 when not threaded). */
  private readonly gatherAt: number;
  private readonly gatherRows: number;

  constructor(
    private readonly ws: Dense64Workspace,
    private readonly x: Float32Array,
    private readonly n: number,
    private readonly d: number,
    private readonly k: number,
    batch: number,
    private readonly products?: ScoreProducts,
    /** Each row's squared length in float64 (rowSquares; computed here when not given): bounds only. */
    rowSq?: Float64Array,
  ) {
    this.rowLen = (rowSq ?? rowSquares(x, n, d)).map(Math.sqrt);
    const np = Math.ceil(k / 8);
    this.resident = !products && n * d * 4 <= KMeans32.residentMax;
    this.stageRows = this.resident ? 0 : Math.max(CHUNK, batch);
    const xRows = this.resident ? n : this.stageRows;
    const idxRows = Math.max(CHUNK, batch) + 4;
    let at = 0;
    const take = (bytes: number): number => {
      const o = at;
      at = align(at + bytes);
      return o;
    };
    // parameter blocks: assign32 (bytes 0-79), update32 (96-127)
    const P = take(128);
    const xAt = take(xRows * d * 4 + 16);
    const xlenAt = take(xRows * 8);
    const idxAt = take(idxRows * 4);
    const dotsAt = take((CHUNK + 4) * np * 32);
    const labAt = take(CHUNK * 4);
    const ineAt = take(CHUNK * 4);
    const cAt = take(k * d * 4);
    const cNewAt = take(k * d * 4);
    const cpAt = take(np * d * 32);
    const cnAt = take(k * 4);
    const clAt = take(k * 8);
    const taAt = take(k * 8);
    const tbAt = take(k * 8);
    const uIdxAt = take(batch * 4);
    const startsAt = take((k + 1) * 4);
    const wAt = take(k * 4);
    const alphaAt = take(k * 4);
    // A batch's rows for the threaded SGEMM (the calling thread gathers, every thread reads).
    const gatherRows = this.resident && products?.threaded ? Math.min(CHUNK, batch) : 0;
    const gatherAt = take(gatherRows * d * 4);
    this.base = ws.reserve(at);
    const b = this.base;
    this.gatherRows = gatherRows;
    this.gatherAt = gatherAt + b;
    [this.P, this.xAt, this.xlenAt, this.idxAt, this.dotsAt, this.labAt, this.ineAt, this.cAt, this.cNewAt, this.cpAt, this.cnAt, this.clAt, this.taAt, this.tbAt, this.uIdxAt, this.startsAt, this.wAt, this.alphaAt] =
      [P, xAt, xlenAt, idxAt, dotsAt, labAt, ineAt, cAt, cNewAt, cpAt, cnAt, clAt, taAt, tbAt, uIdxAt, startsAt, wAt, alphaAt].map((o) => o + b);
    if (this.resident) {
      this.f32(this.xAt, n * d).set(x.subarray(0, n * d));
      new Float64Array(this.ws.buffer, this.xlenAt, n).set(this.rowLen);
    }
  }

  private f32(at: number, len: number): Float32Array {
    return new Float32Array(this.ws.buffer, at, len);
  }
  private i32(at: number, len: number): Int32Array {
    return new Int32Array(this.ws.buffer, at, len);
  }

  /** The current centres (a view of the module's memory, valid until `swap`). */
  centers(): Float32Array {
    return this.f32(this.cAt, this.k * this.d);
  }
  /** Where `update` writes the next centres (a view). */
  centersNew(): Float32Array {
    return this.f32(this.cNewAt, this.k * this.d);
  }
  swap(): void {
    [this.cAt, this.cNewAt] = [this.cNewAt, this.cAt];
  }

  /**
   * Labels of the rows `rowsIdx` into `out` (sklearn's `_labels_inertia` with the current centres) and their
   * inertia (`_inertia_dense`: each row's float32 term added in row order).
   */
  assign(rowsIdx: ArrayLike<number>, out: Int32Array): number {
    const { d, k } = this;
    this.prepare();
    const P = this.i32(this.P, 16);
    const Pf = new Float64Array(this.ws.buffer, this.P + 64, 2);
    const ta = new Float64Array(this.ws.buffer, this.taAt, k);
    const tb = new Float64Array(this.ws.buffer, this.tbAt, k);
    Pf[0] = 0;
    Pf[1] = 0;
    for (let j = 0; j < k; j++) {
      Pf[0] = Math.max(Pf[0], ta[j]);
      Pf[1] = Math.max(Pf[1], tb[j]);
    }
    let inertia = 0;
    for (let s0 = 0; s0 < rowsIdx.length; s0 += CHUNK) {
      const m = Math.min(CHUNK, rowsIdx.length - s0);
      const m4 = Math.ceil(m / 4) * 4;
      const idx = this.i32(this.idxAt, m4);
      if (this.resident) {
        for (let r = 0; r < m; r++) idx[r] = rowsIdx[s0 + r];
      } else {
        this.stage(rowsIdx, s0, m);
        for (let r = 0; r < m; r++) idx[r] = r;
      }
      // The padding rows of the last tile read row idx[0]; only the first m rows are labelled.
      for (let r = m; r < m4; r++) idx[r] = idx[0];
      P.set([this.xAt, this.idxAt, m, this.cpAt, this.cAt, d, k, this.cnAt, this.taAt, this.tbAt, this.dotsAt, this.labAt, this.ineAt, 0, this.xlenAt]);
      P[15] = this.products ? 1 : 0;
      if (this.products) this.blasDots(rowsIdx, s0, m);
      this.ws.assign32(this.P, m4 / 4, m * d * k);
      this.replayed += P[13];
      out.set(this.i32(this.labAt, m), s0);
      const terms = this.f32(this.ineAt, m);
      for (let r = 0; r < m; r++) inertia = Math.fround(inertia + terms[r]);
    }
    return inertia;
  }

  /** Copies rows rowsIdx[s0 .. s0 + m) into the staging area in order (runs of consecutive rows in one copy), and their lengths. */
  private stage(rowsIdx: ArrayLike<number>, s0: number, m: number): void {
    const d = this.d;
    const rows = this.f32(this.xAt, m * d);
    for (let r = 0; r < m; ) {
      const first = rowsIdx[s0 + r];
      let e = r + 1;
      while (e < m && rowsIdx[s0 + e] === first + (e - r)) e++;
      rows.set(this.x.subarray(first * d, (first + e - r) * d), r * d);
      r = e;
    }
    const len = new Float64Array(this.ws.buffer, this.xlenAt, m);
    for (let r = 0; r < m; r++) len[r] = this.rowLen[rowsIdx[s0 + r]];
    this.staged = s0 === 0 && m === rowsIdx.length ? Int32Array.from({ length: m }, (_, r) => rowsIdx[r]) : new Int32Array(0);
  }

  /**
   * The approximate products of the chunk's m rows with every centre by the BLAS, into the kernel's scratch
   * (row r's dot with centre j at dots[r * 8 * panels + j], the layout the kernel's own products use).
   */
  private blasDots(rowsIdx: ArrayLike<number>, s0: number, m: number): void {
    const { d, k } = this;
    const ldc = Math.ceil(k / 8) * 8;
    const products = this.products!;
    // Where the chunk's rows are in the module's memory (byte offset), or -1 when gathered outside it.
    let at = -1;
    let a: Float32Array | undefined;
    if (!this.resident) {
      at = this.xAt;
    } else {
      const first = rowsIdx[s0];
      let run = true;
      for (let r = 1; r < m && run; r++) run = rowsIdx[s0 + r] === first + r;
      if (run) {
        at = this.xAt + first * d * 4;
      } else if (m <= this.gatherRows) {
        const g = this.f32(this.gatherAt, m * d);
        for (let r = 0; r < m; r++) {
          const o = rowsIdx[s0 + r] * d;
          g.set(this.x.subarray(o, o + d), r * d);
        }
        at = this.gatherAt;
      } else {
        // Sized by the largest chunk seen (a batch: 500 rows), not CHUNK: 64 MB at 4,096 dimensions.
        if (!this.gather || this.gather.length < m * d) this.gather = new Float32Array(m * d);
        a = this.gather.subarray(0, m * d);
        for (let r = 0; r < m; r++) {
          const o = rowsIdx[s0 + r] * d;
          a.set(this.x.subarray(o, o + d), r * d);
        }
      }
    }
    const local = (r0: number, r1: number) => {
      if (r1 <= r0) return;
      const rows = at >= 0 ? this.f32(at + r0 * d * 4, (r1 - r0) * d) : a!.subarray(r0 * d, r1 * d);
      products.sgemmABtSync(r1 - r0, k, d, rows, this.f32(this.cAt, k * d), this.f32(this.dotsAt + r0 * ldc * 4, (r1 - r0 - 1) * ldc + k), ldc);
    };
    // Split by rows over the workspace's threads when the library can run one call per thread (each thread's
    // rows are one SGEMM; the split changes only the approximate bits, never a label).
    if (at >= 0 && products.threaded) this.ws.sgemm32(products.threaded, m, k, d, at, this.cAt, this.dotsAt, ldc, local);
    else local(0, m);
  }

  /** Panels (WebAssembly products only), einsum norms and the per-centre error-bound terms of the current centres. */
  private prepare(): void {
    const { d, k } = this;
    this.ws.kmeans.prep32(this.cAt, k, d, this.cpAt, this.cnAt, this.clAt, this.products ? 0 : 1);
    const cnorm = this.f32(this.cnAt, k);
    const clen = new Float64Array(this.ws.buffer, this.clAt, k);
    const ta = new Float64Array(this.ws.buffer, this.taAt, k);
    const tb = new Float64Array(this.ws.buffer, this.tbAt, k);
    // The exact chain's error (relErr, as the float64 pre-pass bounded it) plus the approximate products' error
    // 2 γ_d ‖x‖ ‖c‖ (γ_d = d u / (1 − d u), u = 2^-24); 1 % covers the float64 norms and the bound's own
    // rounding, the absolute term float32 underflow in either sum.
    const relErr = (d + 8) * 2 ** -23;
    const du = d * 2 ** -24;
    const gamma = du < 0.5 ? du / (1 - du) : Infinity;
    const absErr = 4 * (d + 1) * 2 ** -149;
    // A BLAS's dot: γ_d Σ|x_i||c_i| <= γ_d ‖x‖ ‖c‖ holds for every summation order and blocking (any sum tree of d
    // rounded products has at most d roundings on a path) and with FMA (fewer roundings); the absolute term
    // widens from gradual underflow to flush-to-zero / denormals-are-zero (each of the d products and d sums may
    // lose up to 2^-126, doubled by the factor −2). Non-finite scores are replayed by the kernel.
    const absBlas = this.products ? 4 * (d + 1) * 2 ** -126 : 0;
    for (let j = 0; j < k; j++) {
      ta[j] = 1.01 * clen[j] * (2 * relErr + 2 * gamma);
      tb[j] = 1.01 * relErr * Math.abs(cnorm[j]) + 2 * absErr + absBlas;
    }
  }

  /** `_minibatch_update_dense` for one batch and its labels: counts (float32) in place, centres into centersNew. */
  update(batch: Int32Array, labels: Int32Array, counts: Float32Array): void {
    const { d, k } = this;
    const b = batch.length;
    // Members of each centre in batch order (a counting sort).
    const starts = this.i32(this.startsAt, k + 1);
    starts.fill(0);
    for (let t = 0; t < b; t++) starts[labels[t] + 1]++;
    for (let j = 0; j < k; j++) starts[j + 1] += starts[j];
    const fill = Int32Array.from(starts.subarray(0, k));
    const uidx = this.i32(this.uIdxAt, b);
    if (this.resident) {
      for (let t = 0; t < b; t++) uidx[fill[labels[t]]++] = batch[t];
    } else {
      // Staged: the batch's rows in batch order at the start of the staging area (usually still there from this
      // step's labelling).
      let same = this.staged.length === b;
      for (let t = 0; t < b && same; t++) same = this.staged[t] === batch[t];
      if (!same) {
        const rows = this.f32(this.xAt, b * d);
        for (let t = 0; t < b; t++) rows.set(this.x.subarray(batch[t] * d, batch[t] * d + d), t * d);
        this.staged = Int32Array.from(batch);
      }
      for (let t = 0; t < b; t++) uidx[fill[labels[t]]++] = t;
    }
    const w = this.f32(this.wAt, k);
    const alpha = this.f32(this.alphaAt, k);
    for (let j = 0; j < k; j++) {
      const cnt = starts[j + 1] - starts[j];
      w[j] = counts[j];
      if (cnt > 0) {
        // sklearn adds the unit sample weights one by one in float32 (exact below 2^24 members).
        let wsum = 0;
        for (let t = 0; t < cnt; t++) wsum = Math.fround(wsum + 1);
        counts[j] = Math.fround(counts[j] + wsum);
        alpha[j] = Math.fround(1 / counts[j]);
      }
    }
    // Split over the threads by centre (each centre's values are written by one thread only); the work passed is
    // the values read and written (the batch's rows, the old and the new centres).
    this.i32(this.P + 96, 8).set([this.xAt, this.uIdxAt, this.startsAt, this.cAt, this.cNewAt, this.wAt, this.alphaAt, d]);
    this.ws.update32(this.P + 96, k, (b + 2 * k) * d);
  }
}
