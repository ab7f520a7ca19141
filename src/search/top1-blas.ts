/**
 * The BLAS path of exactTop1 (top1.ts): each query's nearest row straight from `cblas_sgemm` tiles of the raw
 * vectors, deciding every query whose winner leads by more than the proven error bound, and leaving the rest
 * (near-ties, exact ties, non-finite inputs) to the engine path, which decides them as exact search does.
 *
 * Why not the search engine's top-k: for a decision nothing needs to be copied or normalised. The products
 * run on the caller's arrays in place (query blocks × corpus tiles, one single-threaded GEMM per core in
 * flight: the main thread's work here is small, so a second GEMM per core, as the BLAS engine runs, only
 * evicts the first one's packed panels — measured 2–6 % less CPU and wall at 2,500² × 1,024 and
 * 5,000² × 768, load ~11; and few large tiles, DEFAULT_TILE_FLOATS), and the main thread scans each finished
 * tile while the other GEMMs run (top1-scan.wat: SIMD, four scores a step), keeping per query its best and
 * second-best value. Cosine is
 * ranked as t_ij = sgemm(q_i, d_j) · r_j in float32, r_j = 1 / max(‖d_j‖, 1e-12) (float64 norm, rounded to
 * float32): dividing by the query's own norm changes no ranking.
 *
 * The bound. With Q_i = max(‖q_i‖, 1e-12) and the canonical score c_ij (canonical/canonical.ts: the float32
 * rounding of the float64 cosine, within 1.01 u of the exact one), float32 summation in any order and blocking,
 * with or without FMA, errs by at most γ_d Σ|q||d| ≤ γ_d ‖q_i‖‖d_j‖ plus F = 4(d + 1)·2⁻¹²⁶ for
 * flushed or subnormal products; r_j's rounding to float32 and the product's add 2u (relative). So
 * |t_ij − Q_i c_ij| ≤ Q_i (γ_d + 4u) + F r_max ≤ Δ_i := Q̂_i δ + 2 F r_max with δ = engineErrorBound(d, 'cosine')
 * = 1.25 (2d + 8) u and Q̂_i ≥ Q_i (dot: t_ij = the sgemm value, Δ_i = engineErrorBound(d, 'dot', Q̂_i, D̂) + 2F,
 * D̂ ≥ every ‖d_j‖). A query whose second-best t lies below its best minus 2Δ_i has one row whose canonical score
 * beats every other row's: exact search's top-1. Inputs whose norms could overflow float32 products (or that
 * hold NaN/Inf) are not decided here at all.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Matrix } from '../core/matrix.js';
import { isMtebError } from '../core/errors.js';
import { loadCblas, type Cblas } from './blas/cblas.js';
import { engineErrorBound } from './canonical/canonical.js';
import { rowSquares } from '../util/row-squares.js';

/** Decisions from the scan: out[i] is the row, or -1 for the queries listed in `undecided`. */
export interface ScanDecisions {
  out: Int32Array;
  undecided: number[];
}

/**
 * Floats per score tile at most (16 MB). Few large GEMMs beat many cache-sized ones: each GEMM packs both its
 * operands again, and with several jobs per core the main thread's work (norms, scans) left one stream a job
 * behind the other at the end. Measured (bench/evaluators/bitext-parts.ts, 2026-12-06 21:28–21:36 UTC, load
 * 2.5–6, interleaved; docs/BENCHMARKS.md "Issue 21, last gaps"): against 4 MB tiles with two jobs per stream,
 * 0.84× wall / 0.96× CPU at 2,500² × 1,024 (one 2,500 × 1,250 tile per stream), 0.94× / 0.96× at 5,000² × 768,
 * 0.91× / 0.95× at 300 × 600,000 × 768; 64 MB tiles were no faster, and 16 MB keeps the tiles kept between
 * calls at 48 MB.
 */
const DEFAULT_TILE_FLOATS = 1 << 22;
/** Products whose operands' norms multiply past this could overflow float32: such inputs are not scanned. */
const NORM_PRODUCT_LIMIT = 1e37;

/** BLAS calls run on libuv's pool (koffi async): one thread stays free for file reads (as the BLAS engine). */
function poolThreads(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

/** The scan kernel (top1-scan.wat) over one growable memory holding the scale, per-query state and score tiles. */
interface ScanMemory {
  memory: WebAssembly.Memory;
  scanTile: (tile: number, qn: number, cn: number, scale: number, scaled: number, best: number, second: number, arg: number, c0: number) => void;
}
let compiled: WebAssembly.Module | undefined;
/** One idle memory per process, kept between calls: first-touching its tiles costs more than a small task. */
const idle: ScanMemory[] = [];
function acquireMemory(): ScanMemory {
  const hit = idle.pop();
  if (hit) return hit;
  compiled ??= new WebAssembly.Module(fs.readFileSync(fileURLToPath(new URL('./top1-scan.wasm', import.meta.url))));
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
  const ex = new WebAssembly.Instance(compiled, { env: { memory } }).exports as Record<string, (...a: number[]) => void>;
  // i32 parameters: offsets above 2 GiB travel as their two's-complement bit pattern.
  return { memory, scanTile: (t, qn, cn, sc, on, b, s, a, c0) => ex.scanTile(t | 0, qn, cn, sc | 0, on, b | 0, s | 0, a | 0, c0) };
}
/** Bytes of scan memory at most (scale, per-query state, tiles); past it the engine path decides instead. */
const MEMORY_LIMIT = 2 ** 31;
function reserve(m: WebAssembly.Memory, bytes: number): void {
  const have = m.buffer.byteLength;
  if (bytes > have) m.grow(Math.ceil((bytes - have) / 65536));
}
const align = (x: number) => Math.ceil(x / 64) * 64;

/** Each row's float64 sum of squares (four lanes), for the norms. */
function sumsOfSquares(m: Matrix): Float64Array {
  const { rows, dim, data } = m;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = rowSquares(data, r * dim, dim);
  return out;
}

export interface ScanOptions {
  /** Cores kept busy (one single-threaded GEMM in flight on each; default: all). */
  threads?: number;
  /** A CBLAS in place of the system one (tests: a stand-in SGEMM). */
  blas?: Cblas;
  /** Scores per tile (tests: many small tiles). */
  tileFloats?: number;
  /** GEMMs in flight (default: one per thread, as many as libuv's pool allows). */
  streams?: number;
  /** Jobs per stream at least (default 1; 2 lets the scans overlap the GEMMs, measured slower). */
  jobsPerStream?: number;
}

/**
 * Scans every query against the corpus through the system BLAS; undefined when no BLAS loads or the inputs
 * need over 2 GiB of scan memory (the caller then uses a score engine for all queries).
 */
export async function scanTop1(queries: Matrix, corpus: Matrix, sim: 'cosine' | 'dot', opts: ScanOptions = {}): Promise<ScanDecisions | undefined> {
  const threads = opts.threads ?? os.availableParallelism();
  const TILE_FLOATS = opts.tileFloats ?? DEFAULT_TILE_FLOATS;
  let blas: Cblas;
  try {
    blas = opts.blas ?? loadCblas();
  } catch (e) {
    if (isMtebError(e) && (e.code === 'E_PROVIDER_UNAVAILABLE' || e.code === 'E_DEPENDENCY_MISSING')) return undefined;
    throw e;
  }
  const M = queries.rows;
  const N = corpus.rows;
  const dim = corpus.dim;
  const streams = blas.perCallThreads ? Math.max(1, Math.min(opts.streams ?? threads, poolThreads() - 1)) : 1;
  const jobsPerStream = opts.jobsPerStream ?? 1;

  // Tiles: qBlocks query blocks × nTiles corpus tiles, near-equal, each ≤ TILE_FLOATS scores. Every GEMM packs
  // its two operands, so the choice reads the fewest rows in all (M·nTiles + N·qBlocks) among tilings with at
  // least `jobsPerStream` jobs per stream and, when there are few, a multiple of the streams (the last GEMMs
  // end together instead of one core idling beside a lone last tile).
  let qBlocks = 1;
  let nTiles = 1;
  let cost = Infinity;
  for (let qb = 1; qb <= Math.min(M, 256); qb++) {
    const qp = Math.ceil(M / qb);
    let nt = Math.min(N, Math.ceil(N / Math.max(1, Math.floor(TILE_FLOATS / qp))));
    while (qb * nt < jobsPerStream * streams && nt < N) nt++;
    while (qb * nt < 8 * streams && (qb * nt) % streams && nt < N) nt++;
    const c = M * nt + N * qb;
    if (c < cost) [qBlocks, nTiles, cost] = [qb, nt, c];
  }
  const qPer = Math.ceil(M / qBlocks);
  const nPer = Math.ceil(N / nTiles);
  const jobs: { q0: number; qn: number; c0: number; cn: number }[] = [];
  for (let q0 = 0; q0 < M; q0 += qPer) for (let c0 = 0; c0 < N; c0 += nPer) jobs.push({ q0, qn: Math.min(qPer, M - q0), c0, cn: Math.min(nPer, N - c0) });

  // Memory: [scale f32 × N | best, second f32 × M | arg i32 × M | tiles: one per GEMM in flight, one more being
  // scanned, no more than there are jobs]; grown only here.
  const scaleAt = 0;
  const bestAt = align(N * 4);
  const secondAt = bestAt + align(M * 4);
  const argAt = secondAt + align(M * 4);
  const tileBytes = align(qPer * nPer * 4);
  const tilesAt = argAt + align(M * 4);
  const tiles = Math.min(jobs.length, streams + 1);
  if (tilesAt + tiles * tileBytes > MEMORY_LIMIT) return undefined;
  const mem = acquireMemory();
  reserve(mem.memory, tilesAt + tiles * tileBytes);
  const buf = mem.memory.buffer;
  new Float32Array(buf, bestAt, M).fill(-Infinity);
  new Float32Array(buf, secondAt, M).fill(-Infinity);
  new Int32Array(buf, argAt, M).fill(-1);
  const free = Array.from({ length: tiles }, (_, s) => tilesAt + s * tileBytes);

  const running = new Map<Promise<void>, { job: (typeof jobs)[number]; tile: number }>();
  const done: Promise<void>[] = [];
  let next = 0;
  const launch = () => {
    const job = jobs[next++];
    const tile = free.pop()!;
    const { q0, qn, c0, cn } = job;
    const p: Promise<void> = blas
      .sgemmABt(qn, cn, dim, queries.data.subarray(q0 * dim, (q0 + qn) * dim), corpus.data.subarray(c0 * dim, (c0 + cn) * dim), new Float32Array(buf, tile, qn * cn))
      .then(() => {
        done.push(p);
      });
    running.set(p, { job, tile });
  };
  let error: unknown;
  let qss: Float64Array | undefined;
  let dss: Float64Array | undefined;
  const scaled = sim === 'cosine' ? 1 : 0;
  try {
    // The GEMMs start at once; the norms are taken while they run.
    while (next < jobs.length && running.size < streams) launch();
    qss = sumsOfSquares(queries);
    dss = sumsOfSquares(corpus);
    if (scaled) {
      const scale = new Float32Array(buf, scaleAt, N);
      for (let j = 0; j < N; j++) scale[j] = 1 / Math.max(Math.sqrt(dss[j]), 1e-12);
    }
    while (running.size) {
      if (!done.length) await Promise.race(running.keys());
      const p = done.shift()!;
      const { job, tile } = running.get(p)!;
      running.delete(p);
      // Queue the next GEMM before scanning, so the freed core does not wait on the main thread.
      if (next < jobs.length) launch();
      mem.scanTile(tile, job.qn, job.cn, scaleAt + job.c0 * 4, scaled, bestAt + job.q0 * 4, secondAt + job.q0 * 4, argAt + job.q0 * 4, job.c0);
      free.push(tile);
    }
  } catch (e) {
    error = e;
  }
  // A failed GEMM must not leave others writing into memory the next call may grow.
  await Promise.allSettled(running.keys());
  if (error) {
    idle.push(mem);
    throw error;
  }
  const best = new Float32Array(buf, bestAt, M).slice();
  const second = new Float32Array(buf, secondAt, M).slice();
  const arg = new Int32Array(buf, argAt, M).slice();
  let rMax = 0;
  if (scaled) {
    const scale = new Float32Array(buf, scaleAt, N);
    for (let j = 0; j < N; j++) if (scale[j] > rMax) rMax = scale[j];
  }
  if (idle.length === 0) idle.push(mem);

  // Δ_i (module comment): the query's norm bound, the corpus' largest norm (dot) or reciprocal (cosine).
  const up = 1 + 2 ** -20;
  const F = 4 * (dim + 1) * 2 ** -126;
  let dMax = 0;
  for (let j = 0; j < N; j++) {
    const s = dss![j];
    if (!(s <= Number.MAX_VALUE)) dMax = Infinity;
    else if (s > dMax) dMax = s;
  }
  dMax = Math.sqrt(dMax) * up;
  const out = new Int32Array(M).fill(-1);
  const undecided: number[] = [];
  const cosineBound = engineErrorBound(dim, 'cosine');
  for (let i = 0; i < M; i++) {
    const q = Math.max(Math.sqrt(qss![i]), 1e-12) * up;
    const delta = sim === 'cosine' ? q * cosineBound + 2 * F * rMax : engineErrorBound(dim, 'dot', q, dMax) + 2 * F;
    const ok = Number.isFinite(delta) && q * dMax < NORM_PRODUCT_LIMIT && q < NORM_PRODUCT_LIMIT && Number.isFinite(best[i]);
    if (ok && second[i] < best[i] - 2 * delta) out[i] = arg[i];
    else undecided.push(i);
  }
  return { out, undecided };
}
