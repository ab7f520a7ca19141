/**
 * numpy's legacy `RandomState` (the API mteb and scikit-learn call), on top of MT19937 seeded with
 * init_genrand. Only the methods whose streams matter for reproducing mteb/sklearn are provided, and each
 * consumes generator outputs exactly as numpy 1.x-2.x legacy code does (masked rejection, never Lemire),
 * so a shuffle or a k-means++ draw here picks the same elements as in Python.
 */
import { fisherYates, maskedInterval } from './bounded.js';
import { MT19937 } from './mt19937.js';

export interface ChoiceOptions {
  /** Omitted = scalar draw (returns a one-element array; `choiceScalar` unwraps it). */
  size?: number;
  replace?: boolean;
  /** Probabilities; converted to float64 as numpy does. */
  p?: ArrayLike<number>;
  /** dtype of the `p` array the Python caller passed: widens the sum-to-one tolerance as numpy does. */
  pDtype?: 'float64' | 'float32';
}

const SQRT_EPS64 = Math.sqrt(2.220446049250313e-16);
const SQRT_EPS32 = Math.sqrt(1.1920928955078125e-7);

export class RandomState {
  readonly bitgen: MT19937;

  constructor(seed = 0) {
    this.bitgen = new MT19937();
    this.bitgen.init_genrand(seed);
  }

  /** `np.random.seed(s)` / re-seeding an existing instance. */
  seed(seed: number): void {
    this.bitgen.init_genrand(seed);
  }

  nextUint32(): number {
    return this.bitgen.nextUint32();
  }

  /** Legacy `random_sample()` / `random()` / `rand()`: 53-bit double in [0, 1). */
  randomSample(): number;
  randomSample(size: number): Float64Array;
  randomSample(size?: number): number | Float64Array {
    if (size === undefined) return this.bitgen.nextDouble();
    const out = new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.bitgen.nextDouble();
    return out;
  }

  /** Legacy `uniform(low, high, size)`: low + (high - low) * random_sample. */
  uniform(low = 0, high = 1, size?: number): Float64Array {
    const n = size ?? 1;
    const scale = high - low;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = low + scale * this.bitgen.nextDouble();
    return out;
  }

  /**
   * numpy `random_interval(max)`: uniform integer in [0, max] by masked rejection. Used by legacy
   * shuffle/permutation. max = 0 consumes nothing.
   */
  interval(max: number): number {
    return maskedInterval(this.next32, max);
  }

  private readonly next32 = (): number => this.bitgen.nextUint32();

  /**
   * Legacy `randint(low, high)`; `randint(n)` when high is omitted means [0, n). Exclusive upper bound.
   * A span of one value returns low without consuming output, as numpy does.
   */
  randint(low: number, high?: number): number {
    let lo = low;
    let hi = high;
    if (hi === undefined) {
      hi = lo;
      lo = 0;
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new RangeError('randint bounds must be integers');
    if (hi <= lo) throw new RangeError(`randint: low >= high (${lo} >= ${hi})`);
    const rng = hi - 1 - lo;
    if (rng > 0xffffffff) throw new RangeError('randint spans >= 2^32 are not supported');
    if (rng === 0) return lo;
    return lo + maskedInterval(this.next32, rng);
  }

  /** Array form `randint(low, high, size)`: same consumption as `size` scalar calls in order. */
  randintArray(low: number, high: number, size: number): Int32Array | Float64Array {
    const out = Math.abs(low) < 2 ** 31 && Math.abs(high) <= 2 ** 31 ? new Int32Array(size) : new Float64Array(size);
    for (let i = 0; i < size; i++) out[i] = this.randint(low, high);
    return out;
  }

  /** Legacy in-place Fisher-Yates from the end (identical stream for lists and 1-D arrays). */
  shuffle<T>(x: T[] | { length: number; [i: number]: T }): void {
    fisherYates(x, (max) => this.interval(max));
  }

  /** `permutation(n)`: a shuffled arange(n). */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    this.shuffle(out);
    return out;
  }

  /** Legacy `choice(a, size, replace, p)` for a = arange(n). Returns indices. */
  choice(n: number, opts: ChoiceOptions = {}): number[] {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`choice: a must be a positive integer, got ${n}`);
    const replace = opts.replace ?? true;
    const size = opts.size ?? 1;
    const p = opts.p ? this.checkedP(n, opts.p, opts.pDtype ?? 'float64') : undefined;
    if (replace) {
      if (p) {
        const cdf = cumulative(p);
        const out: number[] = [];
        for (let i = 0; i < size; i++) out.push(searchRight(cdf, this.bitgen.nextDouble()));
        return out;
      }
      const out: number[] = [];
      for (let i = 0; i < size; i++) out.push(this.randint(0, n));
      return out;
    }
    if (size > n) throw new RangeError("choice: cannot take a larger sample than population when replace=False");
    if (!p) return this.permutation(n).slice(0, size);
    let positive = 0;
    for (const v of p) if (v > 0) positive++;
    if (positive < size) throw new RangeError('choice: fewer non-zero entries in p than size');
    // numpy's iterative rejection: draw the missing count at once, keep first occurrences of new indices.
    const pw = Float64Array.from(p);
    const found: number[] = [];
    while (found.length < size) {
      const x = this.randomSample(size - found.length);
      for (const f of found) pw[f] = 0;
      const cdf = cumulative(pw);
      const fresh: number[] = [];
      const seen = new Set<number>();
      for (const u of x) {
        const k = searchRight(cdf, u);
        if (!seen.has(k)) {
          seen.add(k);
          fresh.push(k);
        }
      }
      found.push(...fresh);
    }
    return found;
  }

  /** Scalar `choice(n, p=...)` (one double with p, one masked draw without). */
  choiceScalar(n: number, opts: Omit<ChoiceOptions, 'size'> = {}): number {
    return this.choice(n, { ...opts, size: 1 })[0];
  }

  private checkedP(n: number, pIn: ArrayLike<number>, dtype: 'float64' | 'float32'): Float64Array {
    const p = Float64Array.from(pIn);
    if (p.length !== n) throw new RangeError('choice: a and p must have same size');
    for (const v of p) if (!(v >= 0)) throw new RangeError('choice: probabilities are not non-negative');
    const atol = dtype === 'float32' ? Math.max(SQRT_EPS64, SQRT_EPS32) : SQRT_EPS64;
    if (Math.abs(kahanSum(p) - 1) > atol) throw new RangeError('choice: probabilities do not sum to 1');
    return p;
  }
}

function cumulative(p: ArrayLike<number>): Float64Array {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    s += p[i];
    cdf[i] = s;
  }
  const last = cdf[cdf.length - 1];
  for (let i = 0; i < cdf.length; i++) cdf[i] /= last;
  return cdf;
}

/** numpy searchsorted(side='right'): number of entries <= u. */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** numpy's kahan_sum (used only for the sum-to-one validation). */
function kahanSum(p: Float64Array): number {
  if (p.length === 0) return 0;
  let sum = p[0];
  let c = 0;
  for (let i = 1; i < p.length; i++) {
    const y = p[i] - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}
