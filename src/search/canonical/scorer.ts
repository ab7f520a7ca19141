/**
 * Runs canonical.wasm over candidate rows: the one place canonical scores are computed at scale.
 *
 * The module's memory is shared, laid out as
 *   [one query, float64 | row numbers | scores | gathered rows | resident chunk | batch: queries f64, rows, scores]
 * Where the native kernel loads (native-kernel.ts: the same bits on AVX-512 / AVX2), it scores every resident
 * set instead, and a chunk whose array stays valid for the whole search (`inPlace`) is read where it is, never
 * copied: the resident set is then a list of segments, copies in this memory and the callers' own arrays.
 * `setChunk` copies a float32 chunk in once ("resident") when the candidates of all queries add up to more
 * rows than the chunk has; otherwise candidate rows are gathered per call (fp16 rows widened exactly on the
 * way). `scoreBatch` scores many queries' candidates at once, split across worker threads that instantiate the
 * same module over the same memory: each score is still one fixed-order computation, so the thread count
 * changes only the speed. The memory grows only between batches (no worker is running then).
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MtebError } from '../../core/errors.js';
import type { Similarity } from '../types.js';
import { halfTable } from '../vectors.js';
import { canonicalNorm, maxRowNorm } from './canonical.js';
import { nativeKernel, type NativeKernel } from './native-kernel.js';
import { nativeBatch } from './native-batch.js';
import { pairsByRow, rowBuckets } from './pairs-by-row.js';

type ScoreRows = (q: number, rows: number, idx: number, count: number, dim: number, qnorm: number, cosine: number, out: number) => void;
type MaxSumSq = (rows: number, n: number, dim: number) => number;
type ScorePairs = (qs: number, rows: number, pairs: number, count: number, dim: number, qn: number, cosine: number, out: number, scratch: number) => void;

/** Bytes of a chunk above which it is never copied whole into the scorer's memory. */
export const RESIDENT_LIMIT = 1.5 * 2 ** 30;
/** Below this many multiply-adds a batch stays on the calling thread (a worker round trip costs ~0.1 ms). */
const PARALLEL_MIN = 1 << 22;
const PAGE = 65536;
const align = (x: number) => Math.ceil(x / 64) * 64;

let compiled: WebAssembly.Module | undefined;
function wasmModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(fs.readFileSync(fileURLToPath(new URL('./canonical.wasm', import.meta.url))));
  return compiled;
}

// i32 parameters: byte offsets above 2 GiB travel as their two's-complement bit pattern.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { exports } = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } });
parentPort.on('message', (m) => {
  try {
    const t = m.table;
    if (m.pairs) exports.scorePairs(t[0] | 0, t[1] | 0, t[2] | 0, t[3], t[4], t[5] | 0, t[6], t[7] | 0, t[8] | 0);
    else for (let o = 0; o < t.length; o += 8) exports.scoreRows(t[o] | 0, t[o + 1] | 0, t[o + 2] | 0, t[o + 3], t[o + 4], t[o + 5], t[o + 6], t[o + 7] | 0);
    parentPort.postMessage({ id: m.id });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: String((e && e.stack) || e) });
  }
});
`;

/** Worker threads over the scorer's shared memory; started on the first batch big enough to need them. */
class ScorerPool {
  private readonly workers: Worker[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: unknown) => void }>();

  constructor(memory: WebAssembly.Memory, count: number) {
    for (let w = 0; w < count; w++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: wasmModule(), memory } });
      worker.on('message', (msg: { id: number; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new MtebError('E_INTERNAL', `canonical rescoring failed on a worker thread: ${msg.error}`));
        else p.resolve();
        if (this.pending.size === 0) for (const x of this.workers) x.unref();
      });
      worker.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs scoreRows for each 8-value row of `table`, or (`pairs`) one scorePairs call with its 9 arguments. */
  run(worker: number, table: Float64Array, pairs = false): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const w = this.workers[worker];
      w.ref();
      w.postMessage({ id, table, pairs });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** Rows a copy slice holds: ~512 KB, so the slice is still in L2 when its row norms are taken. */
const sliceRows = (dim: number) => Math.max(1, Math.floor((512 * 1024) / (4 * Math.max(1, dim))));

/**
 * Copies a float32 chunk into the scorer's resident memory slice by slice (`step()`: one slice, false when done;
 * `finish()`: the rest). With `norms`, each slice's largest sum of squares is taken right after its copy, while
 * it is in cache (the dot-product error bound needs it): one pass over the chunk instead of a copy and a second
 * read from memory (measured: 200 MB, 40 → 37 ms of CPU). The bound is the same value as maxRowNorm over the
 * whole copy (a max of maxes, NaN kept), so results do not depend on the slicing. (Copying the slices of a cosine
 * chunk between the engine's GEMM completions instead was tried and was slower: for cosine the main thread
 * prepares the GEMMs' blocks, so the copy delayed them.)
 */
export class ResidentCopy {
  private row = 0;
  private readonly rows: number;
  private sumSq = 0;
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly maxSumSq: MaxSumSq,
    private readonly data: Float32Array,
    private readonly at: number,
    private readonly dim: number,
    readonly norms = false,
  ) {
    this.rows = dim ? data.length / dim : 0;
  }

  get done(): boolean {
    return this.row >= this.rows;
  }

  step(): boolean {
    if (this.done) return false;
    const { dim } = this;
    const n = Math.min(sliceRows(dim), this.rows - this.row);
    const from = this.row * dim;
    const at = this.at + from * 4;
    new Float32Array(this.memory.buffer, at, n * dim).set(this.data.subarray(from, from + n * dim));
    if (this.norms) {
      const m = this.maxSumSq(at, n, dim);
      // f64.max semantics: NaN anywhere stays NaN.
      this.sumSq = m !== m || this.sumSq !== this.sumSq ? NaN : Math.max(this.sumSq, m);
    }
    this.row += n;
    return !this.done;
  }

  finish(): this {
    while (this.step());
    return this;
  }

  /** maxRowNorm (canonical.ts) of the copied rows (with `norms`, after the copy is done). */
  get maxRowNorm(): number {
    return Math.sqrt(this.sumSq) * (1 + 2 ** -20);
  }
}

export class CanonicalScorer {
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: ScoreRows;
  private readonly maxSumSq: MaxSumSq;
  private readonly pairKernel: ScorePairs;
  private pool?: ScorerPool;
  private data: Float32Array | Uint16Array = new Float32Array(0);
  private dim = 0;
  private cosine = false;
  private qnorm = 1;
  /** Rows per single-query kernel call: ~1 MB of gathered rows. */
  private cap = 1;
  private resident = false;
  private rowsHeld = 0;
  /**
   * A float32 chunk read in place (rows rowsHeld.. of the resident set): the provider's own array, scored piece
   * by piece through a small ring in this memory instead of a resident copy (see streamTail).
   */
  private tail?: Float32Array;
  private tailRows = 0;
  /**
   * Where the resident rows live, in row order: rows [base, base + rows) at byte `at` of this memory (copies,
   * consecutive from chunkAt) or in `data` (read in place: native kernel only).
   */
  private segments: { base: number; rows: number; at: number; data?: Float32Array }[] = [];
  private copiedRows = 0;
  /** The native kernel's scratch rows (one per thread), kept between batches. */
  private readonly scratch: Float64Array[] = [];
  private readonly half = halfTable();
  private idxAt = 0;
  private outAt = 0;
  private bufAt = 0;
  private chunkAt = 0;
  private batchAt = 0;

  /**
   * `threads`: threads a large batch is spread over, the calling one included (default: all cores); `native`: the
   * native kernel that scores resident sets (default: the best this machine loads; undefined: WebAssembly only).
   */
  constructor(
    readonly threads = os.availableParallelism(),
    readonly native: NativeKernel | undefined = nativeKernel(),
  ) {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const ex = new WebAssembly.Instance(wasmModule(), { env: { memory: this.memory } }).exports as Record<string, (...a: number[]) => number>;
    const i32 = (x: number) => x | 0;
    this.kernel = (q, rows, idx, count, dim, qnorm, cosine, out) => void ex.scoreRows(i32(q), i32(rows), i32(idx), count, dim, qnorm, cosine, i32(out));
    this.maxSumSq = (rows, n, dim) => ex.maxSumSq(i32(rows), n, dim);
    this.pairKernel = (qs, rows, pairs, count, dim, qn, cosine, out, scratch) =>
      void ex.scorePairs(i32(qs), i32(rows), i32(pairs), count, dim, i32(qn), cosine, i32(out), i32(scratch));
  }

  /**
   * maxRowNorm (canonical.ts) of rows [first, first + rows) of the resident copy, or of the whole chunk set
   * last when it is gathered from.
   */
  maxRowNorm(first = 0, rows = this.residentRows): number {
    const { data, dim } = this;
    if (!this.resident) return maxRowNorm(data, dim ? data.length / dim : 0, dim);
    if (this.segments.some((s) => s.data)) throw new Error('maxRowNorm() reads the resident copy: a chunk held in place has none');
    return Math.sqrt(this.maxSumSq(this.chunkAt + first * dim * 4, rows, dim)) * (1 + 2 ** -20);
  }

  /** Rows held in the resident copy (setChunk's plus appended ones). */
  get residentRows(): number {
    return this.resident ? this.rowsHeld : 0;
  }

  /** Bytes the resident copy holds. */
  get residentBytes(): number {
    return this.residentRows * this.dim * 4;
  }

  /**
   * Appends a float32 chunk to the resident copy (after setChunk(..., resident = true)); returns the row number
   * its first row gets. Exact search coalesces the provider's chunks this way, so a query's candidates are
   * rescored once per coalesced chunk instead of once per provider chunk (`copy` and `norms`: as setChunk's).
   */
  appendResident(data: Float32Array, norms = !this.cosine, inPlace = false): { base: number; copy?: ResidentCopy } {
    if (!this.resident) throw new Error('appendResident needs a resident chunk');
    if (this.tail) throw new Error('appendResident after streamTail: the streamed chunk must stay last');
    const base = this.rowsHeld;
    const rows = this.dim ? data.length / this.dim : 0;
    this.rowsHeld += rows;
    if (inPlace && this.native) {
      this.segments.push({ base, rows, at: 0, data });
      return { base };
    }
    const at = this.chunkAt + this.copiedRows * this.dim * 4;
    this.batchAt = align(at + data.byteLength);
    this.reserve(this.batchAt);
    this.copiedRows += rows;
    this.segments.push({ base, rows, at });
    const copy = new ResidentCopy(this.memory, this.maxSumSq, data, at, this.dim, norms);
    return { base, copy: copy.finish() };
  }

  /**
   * Makes the float32 chunk `data` the last rows of the resident set (numbered from the returned `base`) without
   * copying it: scoreBatch reads its candidate rows straight from `data`, a ring of ~512 KB at a time, and scores
   * each row's pairs while the row is in cache. Exact search streams the last chunk of a coalesced group this
   * way (its candidates are rescored before the provider moves on), which saves that chunk's copy and the
   * kernel's reads of it from memory. `data` must stay valid and unchanged until the next setChunk. With `norms`
   * (dot products) the chunk's row-norm bound is taken on the way (one pass, in the same ring); otherwise NaN.
   */
  streamTail(data: Float32Array, norms: boolean): { base: number; maxRowNorm: number } {
    if (!this.resident) throw new Error('streamTail needs a resident set (setChunk(..., resident = true))');
    if (this.tail) throw new Error('streamTail: a streamed chunk is already set');
    const base = this.rowsHeld;
    this.tail = data;
    this.tailRows = this.dim ? data.length / this.dim : 0;
    if (!norms) return { base, maxRowNorm: NaN };
    const ringRows = sliceRows(this.dim);
    this.reserve(this.batchAt + ringRows * this.dim * 4);
    const ring = new Float32Array(this.memory.buffer, this.batchAt, ringRows * this.dim);
    let sumSq = 0;
    for (let r = 0; r < this.tailRows; r += ringRows) {
      const n = Math.min(ringRows, this.tailRows - r);
      ring.set(data.subarray(r * this.dim, (r + n) * this.dim));
      const m = this.maxSumSq(this.batchAt, n, this.dim);
      // f64.max semantics as ResidentCopy: NaN anywhere stays NaN.
      sumSq = m !== m || sumSq !== sumSq ? NaN : Math.max(sumSq, m);
    }
    return { base, maxRowNorm: Math.sqrt(sumSq) * (1 + 2 ** -20) };
  }

  /** Rows of the streamed chunk (0 when none). */
  get streamedRows(): number {
    return this.tailRows;
  }

  private reserve(bytes: number): void {
    if (bytes > 4 * 1024 ** 3) throw new RangeError(`canonical rescoring needs ${bytes} bytes, over WebAssembly's 4 GiB`);
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
  }

  /**
   * The chunk whose rows later calls read (as stored: float32, or fp16 bit patterns). `resident`: copy a
   * float32 chunk into the scorer's memory once instead of gathering candidate rows per call (the returned
   * ResidentCopy; with `norms`, by default for dot products, it also holds the chunk's row-norm bound, taken
   * during the copy: a search that has the bound already from the chunk's producer passes false). `inPlace`: the
   * caller keeps a float32 `data` valid and unchanged until the next setChunk, so with the native kernel it is
   * resident where it is (no copy, no bound: undefined is returned).
   */
  setChunk(
    data: Float32Array | Uint16Array,
    dim: number,
    similarity: Similarity,
    resident = false,
    norms = similarity === 'dot',
    inPlace = false,
  ): ResidentCopy | undefined {
    const here = inPlace && this.native !== undefined && data instanceof Float32Array;
    if (!this.begin(data, dim, similarity, resident || here, here)) return undefined;
    if (here) return undefined;
    const copy = new ResidentCopy(this.memory, this.maxSumSq, data as Float32Array, this.chunkAt, dim, norms);
    return copy.finish();
  }

  /** Sets the chunk's fields and memory layout (no copy); whether it is resident. */
  private begin(data: Float32Array | Uint16Array, dim: number, similarity: Similarity, resident: boolean, inPlace = false): boolean {
    this.data = data;
    this.cosine = similarity === 'cosine';
    this.dim = dim;
    this.cap = Math.max(1, Math.floor((1 << 20) / (4 * Math.max(1, dim))));
    this.idxAt = align(dim * 8);
    this.outAt = align(this.idxAt + this.cap * 4);
    this.bufAt = align(this.outAt + this.cap * 4);
    this.chunkAt = align(this.bufAt + this.cap * dim * 4);
    this.resident = resident && data instanceof Float32Array && (inPlace || data.byteLength <= RESIDENT_LIMIT);
    this.rowsHeld = this.resident && dim ? data.length / dim : 0;
    this.copiedRows = this.resident && !inPlace ? this.rowsHeld : 0;
    this.segments = !this.resident ? [] : [{ base: 0, rows: this.rowsHeld, at: this.chunkAt, data: inPlace ? (data as Float32Array) : undefined }];
    this.tail = undefined;
    this.tailRows = 0;
    this.batchAt = align(this.chunkAt + this.copiedRows * dim * 4);
    this.reserve(this.batchAt);
    return this.resident;
  }

  /** Sets the query (dim values at q[off..]) the next `score` calls use. */
  setQuery(q: ArrayLike<number>, off = 0): void {
    const dim = this.dim;
    const q64 = new Float64Array(this.memory.buffer, 0, dim);
    for (let i = 0; i < dim; i++) q64[i] = q[off + i];
    this.qnorm = canonicalNorm(q64, dim);
  }

  /** out[i] = canonical score of chunk row rows[i] against the `setQuery` query, i < count (this thread). */
  score(rows: ArrayLike<number>, count: number, out: Float32Array | Float64Array): void {
    if (this.tail || this.segments.some((s) => s.data)) throw new Error('score() reads no streamed chunk or chunk held in place: use scoreBatch');
    const { dim, cap } = this;
    const mem = this.memory.buffer;
    const idx = new Int32Array(mem, this.idxAt, cap);
    const res = new Float32Array(mem, this.outAt, cap);
    for (let s = 0; s < count; s += cap) {
      const n = Math.min(cap, count - s);
      if (this.resident) for (let r = 0; r < n; r++) idx[r] = rows[s + r];
      else {
        this.gather(rows, s, n, this.bufAt);
        for (let r = 0; r < n; r++) idx[r] = r;
      }
      this.kernel(0, this.resident ? this.chunkAt : this.bufAt, this.idxAt, n, dim, this.qnorm, this.cosine ? 1 : 0, this.outAt);
      for (let r = 0; r < n; r++) out[s + r] = res[r];
    }
  }

  /**
   * Copies chunk rows rows[s .. s + n) to consecutive float32 rows at byte offset `at` (fp16 widened), or into
   * `into` (a view of the memory made once per batch: each shared-memory view costs a `buffer` lookup) from
   * element `o0`.
   */
  private gather(rows: ArrayLike<number>, s: number, n: number, at: number, into?: Float32Array, o0 = 0): void {
    const { dim, data } = this;
    const buf = into ?? new Float32Array(this.memory.buffer, at, n * dim);
    for (let r = 0; r < n; r++) {
      const from = rows[s + r] * dim;
      const o = o0 + r * dim;
      if (data instanceof Float32Array) buf.set(data.subarray(from, from + dim), o);
      else {
        const lut = this.half;
        for (let i = 0; i < dim; i++) buf[o + i] = lut[data[from + i]];
      }
    }
  }

  /**
   * Scores the candidates of m queries at once: for query i (row i of `queries`, dim values each), the chunk
   * rows rows[starts[i] .. starts[i] + counts[i]) go to out at the same positions. Large batches are split
   * across worker threads by query.
   */
  async scoreBatch(queries: Float32Array, m: number, rows: Int32Array, starts: Int32Array, counts: Int32Array, out: Float32Array): Promise<void> {
    const dim = this.dim;
    let total = 0;
    let withRows = 0;
    for (let i = 0; i < m; i++) {
      total += counts[i];
      if (counts[i]) withRows++;
    }
    if (total === 0) return;
    if (this.resident && this.native) {
      // The resident set as segments: copies in this memory, arrays held in place, a streamed chunk last.
      const mem = this.memory.buffer;
      const segments = this.segments.map((s) => ({ base: s.base, data: s.data ?? new Float32Array(mem, s.at, s.rows * this.dim) }));
      if (this.tail) segments.push({ base: this.rowsHeld, data: this.tail });
      const parts = total * this.dim >= PARALLEL_MIN ? Math.max(1, this.threads) : 1;
      return nativeBatch(this.native, segments, this.rowsHeld + this.tailRows, this.dim, this.cosine, queries, m, rows, starts, counts, out, total, parts, this.scratch);
    }
    if (this.resident) return this.scorePairsBatch(queries, m, rows, starts, counts, out, total, withRows);
    // [queries f64 (those with rows) | row numbers | scores | gathered rows]
    const qAt = this.batchAt;
    const idxAt = align(qAt + withRows * dim * 8);
    const outAt = align(idxAt + total * 4);
    const rowsAt = align(outAt + total * 4);
    this.reserve(rowsAt + (this.resident ? 0 : total * dim * 4));
    const mem = this.memory.buffer;
    const q64 = new Float64Array(mem, qAt, withRows * dim);
    const idx = new Int32Array(mem, idxAt, total);
    const gathered = this.resident ? undefined : new Float32Array(mem, rowsAt, total * dim);
    // One kernel call per query: [q, rows, idx, count, dim, qnorm, cosine, out]
    const table = new Float64Array(withRows * 8);
    let slot = 0;
    let at = 0;
    for (let i = 0; i < m; i++) {
      const n = counts[i];
      if (!n) continue;
      // Widened natively, and the norm read from the caller's (unshared) array: element access to shared memory
      // is slow, and float32 → float64 is exact, so the norm is the same bits.
      q64.set(queries.subarray(i * dim, (i + 1) * dim), slot * dim);
      const s = starts[i];
      if (this.resident) idx.set(rows.subarray(s, s + n), at);
      else {
        this.gather(rows, s, n, 0, gathered, at * dim);
        for (let r = 0; r < n; r++) idx[at + r] = at + r;
      }
      const o = slot * 8;
      table[o] = qAt + slot * dim * 8;
      table[o + 1] = this.resident ? this.chunkAt : rowsAt;
      table[o + 2] = idxAt + at * 4;
      table[o + 3] = n;
      table[o + 4] = dim;
      table[o + 5] = canonicalNorm(queries, dim, i * dim);
      table[o + 6] = this.cosine ? 1 : 0;
      table[o + 7] = outAt + at * 4;
      slot++;
      at += n;
    }
    const parts = total * dim >= PARALLEL_MIN ? Math.max(1, Math.min(this.threads, withRows)) : 1;
    if (parts > 1) this.pool ??= new ScorerPool(this.memory, Math.max(1, this.threads - 1));
    // Split the queries into `parts` runs of about equal rows; this thread takes the last one.
    const running: Promise<void>[] = [];
    let from = 0;
    let done = 0;
    for (let p = 0; p < parts; p++) {
      let to = from;
      const goal = ((p + 1) * total) / parts;
      while (to < withRows && (p === parts - 1 || done < goal)) done += table[to++ * 8 + 3];
      const part = table.subarray(from * 8, to * 8);
      if (p < parts - 1 && this.pool && p < this.pool.size) running.push(this.pool.run(p, part.slice()));
      else for (let o = 0; o < part.length; o += 8) this.kernel(part[o], part[o + 1], part[o + 2], part[o + 3], part[o + 4], part[o + 5], part[o + 6], part[o + 7]);
      from = to;
    }
    await Promise.all(running);
    const res = new Float32Array(this.memory.buffer, outAt, total);
    at = 0;
    for (let i = 0; i < m; i++) {
      const n = counts[i];
      if (!n) continue;
      out.set(res.subarray(at, at + n), starts[i]);
      at += n;
    }
  }

  /**
   * The resident-chunk path of scoreBatch: the (row, query) pairs are sorted by row (counting sort), so each
   * candidate row is read from memory and widened once for all the queries that have it (two queries at a
   * time); threads take runs of rows. Each pair carries the place its score goes, so the kernel writes the
   * scores in the caller's order. Every pair's arithmetic is the per-query kernel's, so the scores are the same
   * bits. With a streamed chunk (streamTail) this thread streams its rows' pairs while the workers take the
   * resident ones; where that would leave this thread more than its share (many threads), the streamed chunk's
   * rows past the share are copied to their resident place first and go to the workers too.
   */
  private async scorePairsBatch(
    queries: Float32Array,
    m: number,
    rows: Int32Array,
    starts: Int32Array,
    counts: Int32Array,
    out: Float32Array,
    total: number,
    withRows: number,
  ): Promise<void> {
    const dim = this.dim;
    const held = this.rowsHeld;
    const tailRows = this.tailRows;
    const n = held + tailRows;
    const parts = total * dim >= PARALLEL_MIN ? Math.max(1, this.threads) : 1;
    const workers = parts > 1 ? Math.max(1, this.threads - 1) : 0;
    // Scores are written at the candidates' own positions: [0, span) covers every query's range.
    let span = 0;
    for (let i = 0; i < m; i++) if (counts[i] && starts[i] + counts[i] > span) span = starts[i] + counts[i];
    // Counting sort of the pairs by row, built in an ordinary array and copied into the shared memory at once
    // (element access to shared memory is slower).
    const bucket = rowBuckets(m, rows, starts, counts, n);
    // Pairs [0, split) read resident rows, [split, cut) are streamed by this thread, and [cut, total) read the
    // streamed chunk's rows [rowCut, tailRows) after they are copied to their resident place.
    const split = this.tail ? bucket[held] : total;
    let rowCut = tailRows;
    if (workers && total - split > Math.ceil(total / (workers + 1))) {
      const goal = split + Math.ceil(total / (workers + 1));
      rowCut = 0;
      while (rowCut < tailRows && bucket[held + rowCut] < goal) rowCut++;
    }
    const cut = this.tail ? bucket[held + rowCut] : total;
    // [queries f32 | their norms f64 | pairs (row, slot, position) i32 | scores f32 | one f64 row per thread |
    //  the ring that streamed rows pass through], after the streamed chunk's resident place when part is copied.
    const ringRows = sliceRows(dim);
    const qAt = cut < total ? align(this.chunkAt + n * dim * 4) : this.batchAt;
    const qnAt = align(qAt + withRows * dim * 4);
    const pairsAt = align(qnAt + withRows * 8);
    const outAt = align(pairsAt + total * 12);
    const scratchAt = align(outAt + span * 4);
    const ringAt = align(scratchAt + parts * align(dim * 8));
    this.reserve(ringAt + (this.tail ? ringRows * dim * 4 : 0));
    const mem = this.memory.buffer;
    const q32 = new Float32Array(mem, qAt, withRows * dim);
    const qn = new Float64Array(mem, qnAt, withRows);
    const slotOf = new Int32Array(m).fill(-1);
    let slot = 0;
    for (let i = 0; i < m; i++) {
      if (!counts[i]) continue;
      q32.set(queries.subarray(i * dim, (i + 1) * dim), slot * dim);
      qn[slot] = canonicalNorm(queries, dim, i * dim);
      slotOf[i] = slot++;
    }
    const local = pairsByRow(m, rows, starts, counts, bucket, total, slotOf);
    const shared = new Int32Array(mem, pairsAt, total * 3);
    shared.set(local.subarray(0, split * 3));
    shared.set(local.subarray(cut * 3), cut * 3);
    if (parts > 1) this.pool ??= new ScorerPool(this.memory, workers);
    const streaming = split < cut;
    const running: Promise<void>[] = [];
    const scratchOf = (t: number) => scratchAt + t * align(dim * 8);
    const residentRun = (t: number, from: number, to: number) => {
      const args = Float64Array.of(qAt, this.chunkAt, pairsAt + from * 12, to - from, dim, qnAt, this.cosine ? 1 : 0, outAt, scratchOf(t));
      if (t < workers) running.push(this.pool!.run(t, args, true));
      else this.pairKernel(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7], args[8]);
    };
    // Runs of about (e - s)/lanes pairs of [s, e), cut between rows; lane t on worker t (the last lane is this
    // thread's when there is no streaming: lanes = parts).
    const runs = (s: number, e: number, lanes: number) => {
      let from = s;
      for (let t = 0; t < lanes && from < e; t++) {
        let to = t === lanes - 1 ? e : Math.min(e, s + Math.round(((t + 1) * (e - s)) / lanes));
        while (to < e && to > from && local[3 * to] === local[3 * (to - 1)]) to++;
        residentRun(t, from, to);
        from = to;
      }
    };
    if (!this.tail) runs(0, total, parts);
    else if (!workers) {
      this.streamPairs(local, split, total, held, ringAt, ringRows, qAt, pairsAt, qnAt, outAt, scratchOf(0));
      residentRun(0, 0, split);
    } else {
      runs(0, split, workers);
      if (cut < total) {
        const tail = this.tail;
        new Float32Array(mem, this.chunkAt + (held + rowCut) * dim * 4, (tailRows - rowCut) * dim).set(tail.subarray(rowCut * dim));
        runs(cut, total, workers);
      }
      if (streaming) this.streamPairs(local, split, cut, held, ringAt, ringRows, qAt, pairsAt, qnAt, outAt, scratchOf(workers));
    }
    await Promise.all(running);
    const res = new Float32Array(this.memory.buffer, outAt, span);
    let contiguous = true;
    for (let i = 1; i < m && contiguous; i++) contiguous = starts[i] === starts[i - 1] + counts[i - 1];
    if (contiguous) out.set(res.subarray(starts[0], span), starts[0]);
    else for (let i = 0; i < m; i++) if (counts[i]) out.set(res.subarray(starts[i], starts[i] + counts[i]), starts[i]);
  }

  /**
   * Scores pairs [p, total) (sorted by row, rows ≥ held: the streamed chunk's) on this thread: the distinct rows
   * are copied into the ring in order, consecutive rows in one copy, and each ring's pairs are scored while its
   * rows are in cache. The pairs' row fields are rewritten to ring slots before they go to the shared memory
   * (the kernel only compares a pair's row with the previous pair's, so slots serve as rows).
   */
  private streamPairs(
    local: Int32Array,
    p: number,
    total: number,
    held: number,
    ringAt: number,
    ringRows: number,
    qAt: number,
    pairsAt: number,
    qnAt: number,
    outAt: number,
    scratch: number,
  ): void {
    const { dim } = this;
    const tail = this.tail!;
    const mem = this.memory.buffer;
    const ring = new Float32Array(mem, ringAt, ringRows * dim);
    const shared = new Int32Array(mem, pairsAt, total * 3);
    const cosine = this.cosine ? 1 : 0;
    while (p < total) {
      const p0 = p;
      let slot = -1;
      let prev = -1;
      let runFrom = 0;
      let runTo = 0;
      let runSlot = 0;
      for (; p < total; p++) {
        const row = local[3 * p] - held;
        if (row !== prev) {
          if (slot + 1 === ringRows) break;
          slot++;
          prev = row;
          if (slot > 0 && row === runTo) runTo++;
          else {
            if (runTo > runFrom) ring.set(tail.subarray(runFrom * dim, runTo * dim), runSlot * dim);
            runFrom = row;
            runTo = row + 1;
            runSlot = slot;
          }
        }
        local[3 * p] = slot;
      }
      if (runTo > runFrom) ring.set(tail.subarray(runFrom * dim, runTo * dim), runSlot * dim);
      shared.set(local.subarray(3 * p0, 3 * p), 3 * p0);
      this.pairKernel(qAt, ringAt, pairsAt + p0 * 12, p - p0, dim, qnAt, cosine, outAt, scratch);
    }
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

/**
 * Scorers are kept between searches (one idle one per process and kind): its memory then holds the resident chunk's
 * pages already (first touch of 200 MB costs ~0.2 s) and its worker threads are started.
 */
const idle: CanonicalScorer[] = [];

export function acquireScorer(threads = os.availableParallelism(), native = nativeKernel()): CanonicalScorer {
  const i = idle.findIndex((s) => s.threads === threads && s.native === native);
  return i >= 0 ? idle.splice(i, 1)[0] : new CanonicalScorer(threads, native);
}

export async function releaseScorer(s: CanonicalScorer): Promise<void> {
  // One of each kind: a process that alternates native and WebAssembly searches (a bench, MTEB_TS_NATIVE toggled)
  // keeps both warm.
  if (!idle.some((x) => x.threads === s.threads && x.native === s.native)) idle.push(s);
  else await s.close();
}
