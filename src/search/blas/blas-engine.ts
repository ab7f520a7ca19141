import os from 'node:os';
import { MtebError } from '../../core/errors.js';
import type { ScoreEngine, TopKResult } from '../engines/types.js';
import type { Similarity } from '../types.js';
import { loadCblas, type Cblas } from './cblas.js';
import { acquireKernels, releaseKernels, type Kernels } from './kernels.js';

/**
 * Candidate buffer per query, as a multiple of kk. Measured on 1000 × 50,000 uniform scores (kk 109/133):
 * 1.5× cuts twice as often, 3× admits 25 % more scores; 2× was fastest (19-28 µs a row).
 */
const CAP_FACTOR = 2;

/**
 * Corpus rows per GEMM block (~8 MB of float32 at 1,024 dims). 512-4,096 rows measured within noise at
 * 1000 × 1,024; smaller blocks only add calls.
 */
export function blockRows(dim: number): number {
  return Math.max(256, Math.min(4096, Math.floor((2 << 20) / Math.max(1, dim) / 16) * 16));
}

/**
 * BLAS calls run on libuv's thread pool (koffi async), 4 threads unless UV_THREADPOOL_SIZE says otherwise (the
 * CLI raises it to 2 × cores + 2 at start-up); one thread stays free for file reads.
 */
function poolThreads(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

/** Byte offsets of one slot's prepared corpus block (cosine or fp16 only), its rows' sums of squares, its scores. */
interface Slot {
  block: number;
  scores: number;
  sq: number;
}

/**
 * Exact search at the BLAS library's matrix-multiply speed. The chunk is cut into blocks of ~2,048 rows; each
 * block's scores (queries × rows) come from one `cblas_sgemm` on a libuv worker thread, `streams` of them in
 * flight (two per core, the library pinned to one thread per call, so no core waits at a barrier), while the
 * main thread prepares the next blocks (fp16 → float32, cosine normalisation: SIMD kernels) and scans finished
 * score blocks for top-k candidates (SIMD kernel: 16 scores per step against the query's threshold). All the
 * work is the GEMM's plus a few per cent, which is what lets the whole search run near the bare GEMM rate.
 *
 * Semantics as the other engines: cosine = each row scaled by 1/max(‖row‖₂, 1e-12), then dot (float32); NaN
 * scores count as -1 (mteb). Scores differ from onnxruntime's in the last bits only (summation order; the
 * reciprocal multiply is within 1 ulp of onnxruntime's and torch's division).
 */
export class BlasEngine implements ScoreEngine {
  readonly name = 'blas';
  readonly description: string;
  private k: Kernels;
  private closed = false;
  private chunk?: { data: Float32Array | Uint16Array; n: number; dim: number };
  private normalize = false;
  /** GEMMs in flight at once (each single-threaded). */
  private readonly streams: number;

  constructor(
    private readonly blas: Cblas,
    threads = os.availableParallelism(),
  ) {
    this.k = acquireKernels();
    // Two single-threaded GEMMs per core: when one finishes, the core goes on with the other at once instead
    // of idling until the main thread (busy scanning) queues the next. Measured 1000 × 100,000 × 1,024 dot on
    // 2 cores: 4 in flight 0.66-0.72 s (cores 96-97 % busy) against 0.71-0.82 s (90-95 %) with 2.
    this.streams = blas.perCallThreads ? Math.max(1, Math.min(2 * threads, poolThreads() - 1)) : 1;
    this.description = `${blas.description}, ${this.streams} GEMM${this.streams > 1 ? 's' : ''} in flight`;
  }

  static create(threads?: number, library?: string): BlasEngine {
    return new BlasEngine(loadCblas(library), threads);
  }

  async setChunk(data: Float32Array | Uint16Array, n: number, dim: number, similarity: Similarity): Promise<void> {
    this.live();
    this.chunk = { data, n, dim };
    this.normalize = similarity === 'cosine';
  }

  /**
   * Lays out the memory for m queries: [queries | their sums of squares | per slot: block, block sq, scores].
   * Only here may the memory grow (no GEMM is running between calls).
   */
  private layout(m: number, cap = 0) {
    const { dim } = this.live();
    // Every slot holds a block of rows and its scores: on many cores (2 GEMMs each in flight) smaller blocks
    // keep the slots within ~256 MB.
    const slotsBytes = 256 * 2 ** 20;
    const B = Math.max(64, Math.min(blockRows(dim), Math.floor(slotsBytes / ((this.streams + 1) * (m + dim) * 4) / 16) * 16));
    const align = (x: number) => Math.ceil(x / 64) * 64;
    let at = 0;
    const queries = at;
    at = align(at + m * dim * 4);
    const qsq = at;
    at = align(at + m * 4);
    const cand = { vals: at, cols: align(at + m * cap * 4), state: align(at + m * cap * 4) + align(m * cap * 4), scratch: 0 };
    cand.scratch = cand.state + align(m * 8);
    at = cand.scratch + align((B / 8 + 8) * 4);
    const slots: Slot[] = [];
    for (let s = 0; s < this.streams + 1; s++) {
      const block = at;
      at = align(at + B * dim * 4);
      const sq = at;
      at = align(at + B * 4);
      const scores = at;
      at = align(at + m * B * 4);
      slots.push({ block, sq, scores });
    }
    this.k.reserve(at);
    return { B, queries, qsq, slots, cand };
  }

  /** Copies (and for cosine normalises) the query rows into the memory; returns their view. */
  private prepareQueries(q: Float32Array, m: number, at: number, sq: number): Float32Array {
    const { dim } = this.chunk!;
    const view = this.k.f32(at, m * dim);
    view.set(q.subarray(0, m * dim));
    if (this.normalize) this.k.normalizeRows(at, m, dim, sq);
    return view;
  }

  /**
   * The float32 rows [r0, r0 + rows) of the chunk as the GEMM must see them: the stored array itself for a
   * float32 dot product (no copy), else widened and/or normalised into the slot's block.
   */
  private prepareBlock(slot: Slot, r0: number, rows: number): Float32Array {
    const { data, dim } = this.chunk!;
    const len = rows * dim;
    if (data instanceof Float32Array && !this.normalize) return data.subarray(r0 * dim, r0 * dim + len);
    // In slices of ~512 KB, so that each slice is still in L2 when normalised (measured: 0.78 -> 0.63 ns a value).
    const step = Math.max(1, Math.floor((512 * 1024) / (4 * dim)));
    for (let s = 0; s < rows; s += step) {
      const n = Math.min(step, rows - s);
      const at = slot.block + s * dim * 4;
      const from = (r0 + s) * dim;
      if (data instanceof Float32Array) {
        this.k.f32(at, n * dim).set(data.subarray(from, from + n * dim));
      } else {
        // Halves go to the back half of the slice's bytes and widen forwards into place (never overtaking).
        const src = at + n * dim * 2;
        this.k.u16(src, n * dim).set(data.subarray(from, from + n * dim));
        this.k.halfToFloat(src, n * dim, at);
      }
      if (this.normalize) this.k.normalizeRows(at, n, dim, slot.sq + s * 4);
    }
    return this.k.f32(slot.block, len);
  }

  /**
   * Runs every block's GEMM, `streams` in flight, and hands each finished score block to
   * `onScores(scores, r0, rows, byteOffset)` on the main thread while the other GEMMs continue.
   */
  private async pipeline(
    q: Float32Array,
    m: number,
    lay: ReturnType<BlasEngine['layout']>,
    onScores: (scores: Float32Array, r0: number, rows: number, at: number) => void,
  ) {
    const { n, dim } = this.chunk!;
    const { B, queries, qsq, slots } = lay;
    const qView = this.prepareQueries(q, m, queries, qsq);
    // As many blocks as a multiple of the streams, of near-equal size: the last GEMMs then end together
    // instead of one core idling while a lone last block finishes.
    const blocks = Math.ceil(Math.ceil(n / B) / this.streams) * this.streams;
    const per = Math.ceil(n / blocks);
    const free = [...slots];
    const running = new Map<Promise<void>, { slot: Slot; r0: number; rows: number }>();
    let next = 0;
    const launch = () => {
      const rows = Math.min(per, n - next);
      const slot = free.pop()!;
      const block = this.prepareBlock(slot, next, rows);
      const job = { slot, r0: next, rows };
      next += rows;
      const p: Promise<void> = this.blas.sgemmABt(m, rows, dim, qView, block, this.k.f32(slot.scores, m * rows)).then(() => {
        done.push(p);
      });
      running.set(p, job);
    };
    const done: Promise<void>[] = [];
    let error: unknown;
    try {
      while (next < n && running.size < this.streams) launch();
      while (running.size) {
        if (!done.length) await Promise.race(running.keys());
        const p = done.shift()!;
        const job = running.get(p)!;
        running.delete(p);
        // Queue the next GEMM before scanning this one's scores, so that the freed core is not left waiting
        // on the main thread (streams + 1 slots: one is free here, and not the one about to be scanned).
        if (next < n) launch();
        onScores(this.k.f32(job.slot.scores, m * job.rows), job.r0, job.rows, job.slot.scores);
        free.push(job.slot);
      }
    } catch (e) {
      error = e;
    }
    // A failed GEMM must not leave others writing into memory that the next call may grow.
    await Promise.allSettled(running.keys());
    if (error) throw error;
  }

  async topk(q: Float32Array, m: number, kk: number, floors?: ArrayLike<number>): Promise<TopKResult> {
    // Room for CAP_FACTOR × kk candidates: a full buffer is cut back towards kk by raising the threshold.
    const cap = Math.max(kk + 16, Math.round(CAP_FACTOR * kk));
    const lay = this.layout(m, cap);
    const { vals, cols, state, scratch } = lay.cand;
    const k = this.k;
    const st = k.i32(state, 2 * m);
    const stF = k.f32(state, 2 * m);
    for (let i = 0; i < m; i++) {
      st[2 * i] = 0;
      stF[2 * i + 1] = floors ? floors[i] : -Infinity;
    }
    await this.pipeline(q, m, lay, (_scores, r0, rows, at) => {
      for (let i = 0; i < m; i++) k.offerRow(at + i * rows * 4, rows, r0, vals + i * cap * 4, cols + i * cap * 4, cap, kk, state + i * 8, scratch);
    });
    const values = new Float32Array(m * kk).fill(-Infinity);
    const indices = new Int32Array(m * kk).fill(-1);
    for (let i = 0; i < m; i++) {
      const got = k.finishRow(vals + i * cap * 4, cols + i * cap * 4, kk, state + i * 8);
      values.set(k.f32(vals + i * cap * 4, got), i * kk);
      indices.set(k.i32(cols + i * cap * 4, got), i * kk);
    }
    return { values, indices };
  }

  async scores(q: Float32Array, m: number): Promise<Float32Array> {
    const { n } = this.live();
    const out = new Float32Array(m * n);
    await this.pipeline(q, m, this.layout(m), (scores, r0, rows) => {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < rows; j++) {
          const s = scores[i * rows + j];
          out[i * n + r0 + j] = s !== s ? -1 : s;
        }
      }
    });
    return out;
  }

  /** The chunk; throws once closed, since a closed engine's kernels may already serve another engine. */
  private live(): { data: Float32Array | Uint16Array; n: number; dim: number } {
    if (this.closed) throw new MtebError('E_INTERNAL', 'the BLAS search engine was used after close()');
    return this.chunk ?? { data: new Float32Array(0), n: 0, dim: 0 };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunk = undefined;
    releaseKernels(this.k);
  }
}
