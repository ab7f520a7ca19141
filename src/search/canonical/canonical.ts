/**
 * Canonical scores: the one computation that decides every exact search's final ranking and the scores
 * written to result files, identical on every machine, BLAS kernel, engine, thread count and chunk layout.
 *
 * The score engines (BLAS, onnxruntime, JS) compute float32 scores whose last bits depend on their summation
 * order, so two machines could break a near-tie differently. They now only propose candidates; each candidate
 * is rescored here. Definition, for a query q and a document d (float32 vectors of `dim` values):
 *
 *   dot64(a, b): the products a[i] * b[i] in float64 (exact: 24 + 24 bits fit in 53); lane L = 0..7 sums the
 *                products with i = L (mod 8) in increasing i;
 *                dot64 = ((lane0 + lane4) + (lane2 + lane6)) + ((lane1 + lane5) + (lane3 + lane7)).
 *   norm(a)    = max(sqrt(dot64(a, a)), 1e-12)                       (torch.nn.functional.normalize's eps)
 *   cosine     = float32(dot64(q, d) / (norm(q) * norm(d)))
 *   dot        = float32(dot64(q, d))
 *   a NaN score becomes -1, as mteb's search does.
 *
 * The float64 sums carry ~29 more bits than float32, so the result is the float32 rounding of the exact
 * similarity except when that lies within ~1e-16 (relative) of a rounding boundary, and every implementation
 * of the definition above gives the same bits. canonical.wasm computes it with SIMD (WebAssembly has no fused
 * multiply-add; its float64 arithmetic is IEEE-754 round-to-nearest on every platform), driven by scorer.ts
 * (on worker threads for large batches); canonical-native.c computes the same bits with AVX-512 / AVX2 where
 * it loads (native-kernel.ts: its fused multiply-adds round as a multiply and an add do, the products being
 * exact); `canonicalScore` below is the plain-JavaScript statement of the same arithmetic that the tests compare
 * both with bit for bit.
 */
import type { Similarity } from '../types.js';
import { halfTable } from '../vectors.js';
import { rowSquares } from '../../util/row-squares.js';

/** Names this definition in result metadata (`search_scores`); a new definition gets a new name. */
export const CANONICAL_SCORES = 'canonical-f64-v1';

/** dot64 of two vectors as defined above (plain JavaScript: the reference). */
export function canonicalDot(a: ArrayLike<number>, b: ArrayLike<number>, dim: number, aOff = 0, bOff = 0): number {
  // Eight scalar lanes, unrolled (the same additions in the same order as l[i & 7] += ..., ~5× faster: the
  // scorer takes every query's norm here).
  let l0 = 0;
  let l1 = 0;
  let l2 = 0;
  let l3 = 0;
  let l4 = 0;
  let l5 = 0;
  let l6 = 0;
  let l7 = 0;
  let i = 0;
  for (; i + 8 <= dim; i += 8) {
    const x = aOff + i;
    const y = bOff + i;
    l0 += a[x] * b[y];
    l1 += a[x + 1] * b[y + 1];
    l2 += a[x + 2] * b[y + 2];
    l3 += a[x + 3] * b[y + 3];
    l4 += a[x + 4] * b[y + 4];
    l5 += a[x + 5] * b[y + 5];
    l6 += a[x + 6] * b[y + 6];
    l7 += a[x + 7] * b[y + 7];
  }
  // The last dim mod 8 (≤ 7) elements go to lanes 0, 1, ... in turn.
  const x = aOff + i;
  const y = bOff + i;
  const t = dim - i;
  if (t > 0) l0 += a[x] * b[y];
  if (t > 1) l1 += a[x + 1] * b[y + 1];
  if (t > 2) l2 += a[x + 2] * b[y + 2];
  if (t > 3) l3 += a[x + 3] * b[y + 3];
  if (t > 4) l4 += a[x + 4] * b[y + 4];
  if (t > 5) l5 += a[x + 5] * b[y + 5];
  if (t > 6) l6 += a[x + 6] * b[y + 6];
  return l0 + l4 + (l2 + l6) + (l1 + l5 + (l3 + l7));
}

/** norm(a) as defined above. */
export function canonicalNorm(a: ArrayLike<number>, dim: number, off = 0): number {
  return Math.max(Math.sqrt(canonicalDot(a, a, dim, off, off)), 1e-12);
}

/** The canonical score of one query/document pair (reference implementation). */
export function canonicalScore(q: ArrayLike<number>, d: ArrayLike<number>, dim: number, similarity: Similarity, qOff = 0, dOff = 0): number {
  let s = canonicalDot(q, d, dim, qOff, dOff);
  if (similarity === 'cosine') s /= canonicalNorm(q, dim, qOff) * canonicalNorm(d, dim, dOff);
  const f = Math.fround(s);
  return f !== f ? -1 : f;
}

/**
 * How far any engine's float32 score can be from the canonical one (an upper bound, never an estimate).
 * Float32 summation of n terms in any order errs by at most γ_n = n·u/(1 − n·u) of the sum of their absolute
 * values (u = 2^-24), which Cauchy–Schwarz bounds by ‖q‖·‖d‖. Cosine engines first normalise each row (sum
 * of squares in float32: relative error ≤ γ_n, halved by the square root, plus the root, reciprocal and
 * product roundings), which adds up to about n·u + 6u; the canonical score is within u of the exact value.
 * So |engine − canonical| ≤ (2n + 8)·u for cosine and ≤ (n + 2)·u·‖q‖·‖d‖ for dot; a quarter more on top
 * covers γ_n's denominator and the rounding of the bound's own arithmetic.
 */
export function engineErrorBound(dim: number, similarity: Similarity, qNorm = 1, maxDocNorm = 1): number {
  const u = 2 ** -24;
  if (similarity === 'cosine') return 1.25 * (2 * dim + 8) * u;
  return 1.25 * (dim + 2) * u * qNorm * maxDocNorm;
}

/**
 * An upper bound (≥ the largest float64 ‖row‖₂, times 1 + 2^-20) of a chunk's row norms, for the dot-product
 * error bound. Non-finite when a row holds Inf or NaN.
 */
export function maxRowNorm(data: Float32Array | Uint16Array, rows: number, dim: number): number {
  const lut = data instanceof Uint16Array ? halfTable() : undefined;
  let max = 0;
  for (let r = 0; r < rows; r++) {
    const s = lut ? halfRowSquares(data as Uint16Array, lut, r * dim, dim) : rowSquares(data as Float32Array, r * dim, dim);
    if (s > max) max = s;
    else if (s !== s) return NaN;
  }
  return Math.sqrt(max) * (1 + 2 ** -20);
}


function halfRowSquares(data: Uint16Array, lut: Float64Array | Float32Array, o: number, dim: number): number {
  let a = 0;
  for (let i = 0; i < dim; i++) {
    const x = lut[data[o + i]];
    a += x * x;
  }
  return a;
}
