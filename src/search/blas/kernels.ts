import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The BLAS engine's SIMD kernels (kernels.wat, compiled to the committed kernels.wasm) over one growable linear
 * memory. Score blocks, query rows and prepared corpus blocks live in this memory so that the kernels read them
 * in place and the BLAS library writes/reads them through the same addresses (a Float32Array view passed to
 * the FFI is a pointer into it). Growing the memory moves it: callers grow only while no BLAS call is running.
 */
export interface Kernels {
  /** Byte size of the memory now. */
  readonly bytes: number;
  /** Grows the memory to at least `bytes` (views taken before are stale afterwards). */
  reserve(bytes: number): void;
  f32(byteOffset: number, length: number): Float32Array;
  u16(byteOffset: number, length: number): Uint16Array;
  /** In place x / max(‖x‖₂, 1e-12) per row (torch normalize); sums of squares to sq (float32). */
  normalizeRows(p: number, rows: number, dim: number, sq: number): void;
  /** n IEEE halves at src → float32 at dst, exactly. */
  halfToFloat(src: number, n: number, dst: number): void;
  i32(byteOffset: number, length: number): Int32Array;
  /**
   * Offers one score row (columns colBase + j, increasing) to a query's candidates: up to cap (value, column)
   * pairs at v (f32) / c (i32), state [count i32, threshold f32]. Scores ≥ threshold are appended (NaN as -1);
   * a full buffer is cut back to the kk best (value desc, column asc) and the threshold rises. A row offered
   * to an empty buffer first primes the threshold from group maxima (scratch: n/8 + 2 floats).
   */
  offerRow(row: number, n: number, colBase: number, v: number, c: number, cap: number, kk: number, state: number, scratch: number): void;
  /** Cuts the candidates to the kk best and sorts them best first; returns how many there are (≤ kk). */
  finishRow(v: number, c: number, kk: number, state: number): number;
}

let compiled: WebAssembly.Module | undefined;

export function loadKernels(initialBytes = 1 << 16): Kernels {
  compiled ??= new WebAssembly.Module(fs.readFileSync(fileURLToPath(new URL('./kernels.wasm', import.meta.url))));
  const PAGE = 65536;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(initialBytes / PAGE)), maximum: 65536 });
  const ex = new WebAssembly.Instance(compiled, { env: { memory } }).exports as Record<string, (...a: number[]) => number>;
  // i32 parameters: offsets above 2 GiB travel as their two's-complement bit pattern.
  const i32 = (x: number) => x | 0;
  return {
    get bytes() {
      return memory.buffer.byteLength;
    },
    reserve(bytes: number) {
      if (bytes > 4 * 1024 ** 3) throw new RangeError(`BLAS search buffers need ${bytes} bytes, over WebAssembly's 4 GiB`);
      const have = memory.buffer.byteLength;
      if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
    },
    f32: (o, n) => new Float32Array(memory.buffer, o, n),
    u16: (o, n) => new Uint16Array(memory.buffer, o, n),
    i32: (o, n) => new Int32Array(memory.buffer, o, n),
    offerRow: (row, n, base, v, c, cap, kk, st, tmp) => void ex.offerRow(i32(row), n, base, i32(v), i32(c), cap, kk, i32(st), i32(tmp)),
    finishRow: (v, c, kk, st) => ex.finishRow(i32(v), i32(c), kk, i32(st)),
    normalizeRows: (p, r, d, sq) => void ex.normalizeRows(i32(p), r, d, i32(sq)),
    halfToFloat: (s, n, d) => void ex.halfToFloat(i32(s), n, i32(d)),
  };
}

/**
 * One idle Kernels per process, kept between engines: a new one starts from an empty memory, and first touching
 * its ~100-250 MB of score and block buffers costs more than the search of a small task (bitext mining over a
 * Tatoeba subset, measured 2,500 × 2,500 × 1,024: 0.30 → 0.24 s of CPU with the memory reused). An engine must
 * not use its kernels after releasing them.
 */
const idle: Kernels[] = [];

export function acquireKernels(): Kernels {
  return idle.pop() ?? loadKernels();
}

export function releaseKernels(k: Kernels): void {
  if (idle.length === 0) idle.push(k);
}
