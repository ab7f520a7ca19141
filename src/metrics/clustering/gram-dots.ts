/**
 * k-means++'s candidate distances from one BLAS product. Every candidate is a row of the init subsample, so all
 * the dot products it can need are the subsample's Gram matrix, computed once by a DSYRK (half of S·Sᵀ) instead
 * of one fixed-order pass over the rows per step. A distance is a VALUE that feeds the sampling, so it must have
 * exactly the bits of the fixed-order dot64 (dot64.ts): each one is certified, never trusted.
 *
 * Why that is sound: the rows are float32, so every product x_f·c_f is exact in float64 and a dot product's only
 * roundings are its d − 1 additions. Any summation order (BLAS blocking, FMA, threads) is then within
 * γ_d Σ|x_f c_f| ≤ γ_d ‖x‖‖c‖ of the real value (γ_d = d u / (1 − d u), u = 2⁻⁵³), and so is dot64: the two are
 * within 2γ_d ‖x‖‖c‖ of each other; products are ≥ 2⁻²⁹⁸ in magnitude, so nothing underflows (flush-to-zero
 * cannot matter). The distance R(−2·dot + ‖c‖² + ‖x‖²), clamped at 0, is a monotone function of dot (each
 * rounding is), so when both ends of the interval give the same float32 the exact dot gives it too; otherwise
 * (about one value in 10⁵, and each candidate with itself) dot64 is computed here. The bits are therefore those
 * of the fixed-order path on every BLAS, kernel, thread count and CPU.
 */
import { dot64 } from './dot64.js';

/** The largest Gram matrix + widened rows (bytes) worth allocating; larger subsamples use the fixed-order products. */
const MAX_BYTES = 512 * 1024 ** 2;

export type Dsyrk = (n: number, k: number, a: Float64Array, c: Float64Array) => void;

export class GramDots {
  /** Values decided by dot64 because the interval straddled a float32 rounding boundary (statistics, tests). */
  recomputed = 0;

  private constructor(
    private readonly x: Float32Array,
    private readonly sub: readonly number[],
    private readonly d: number,
    private readonly norms: Float64Array,
    private readonly g: Float64Array,
    private readonly lens: Float64Array,
    private readonly slope: number,
  ) {}

  /**
   * The Gram matrix of rows `sub` of x (d values each) with their float64 squared norms `norms` (the caller's
   * sequential sums), or undefined when it would be too large.
   */
  static build(x: Float32Array, sub: readonly number[], d: number, norms: Float64Array, dsyrk: Dsyrk): GramDots | undefined {
    const m = sub.length;
    if (!GramDots.fits(m, d)) return undefined;
    const a = new Float64Array(m * d);
    GramDots.widen(x, sub, d, a);
    const g = new Float64Array(m * m);
    dsyrk(m, d, a, g);
    return GramDots.fromGram(x, sub, d, norms, g);
  }

  /** Whether an m-row subsample's Gram matrix and widened rows are worth allocating. */
  static fits(m: number, d: number): boolean {
    return (m * m + m * d) * 8 <= MAX_BYTES;
  }

  /** The DSYRK's input: rows `sub` of x widened to float64 (exactly) into `a`, m × d. */
  static widen(x: Float32Array, sub: readonly number[], d: number, a: Float64Array): void {
    for (let i = 0; i < sub.length; i++) a.set(x.subarray(sub[i] * d, sub[i] * d + d), i * d);
  }

  /** From a Gram matrix `g` (m × m, lower triangle) computed elsewhere (a DSYRK on a worker thread). */
  static fromGram(x: Float32Array, sub: readonly number[], d: number, norms: Float64Array, g: Float64Array): GramDots {
    const m = sub.length;
    const lens = new Float64Array(m);
    for (let i = 0; i < m; i++) lens[i] = Math.sqrt(norms[i]);
    const du = d * 2 ** -53;
    // 1 % covers the float64 norms' own error (≤ γ_d), the square roots and the bound's rounding.
    const slope = 1.01 * 2 * (du / (1 - du));
    return new GramDots(x, sub, d, norms, g, lens, slope);
  }

  /**
   * out[i] = R(−2 dot(c, x_i) + ‖c‖² + ‖x_i‖²) clamped at 0 for the candidate c = row `ci` of the subsample and
   * every row i, with dot64's bits (R rounds to the data's float32).
   */
  distances(ci: number, R: (v: number) => number, out: Float32Array | Float64Array): void {
    const { g, norms, lens, x, sub, d } = this;
    const m = sub.length;
    const cn = norms[ci];
    const e = this.slope * lens[ci];
    const co = sub[ci] * d;
    for (let i = 0; i < m; i++) {
      const dot = ci >= i ? g[ci * m + i] : g[i * m + ci];
      const err = e * lens[i];
      const ni = norms[i];
      const lo = R(-2 * (dot + err) + cn + ni);
      const hi = R(-2 * (dot - err) + cn + ni);
      const vLo = lo > 0 ? lo : 0;
      const vHi = hi > 0 ? hi : 0;
      // dot - dot: NaN for a non-finite product (a misbehaving library), which is recomputed too
      if (vLo === vHi && dot - dot === 0) {
        out[i] = vLo;
      } else {
        this.recomputed++;
        const v = R(-2 * dot64(x, co, x, sub[i] * d, d) + cn + ni);
        out[i] = v > 0 ? v : 0;
      }
    }
  }
}
