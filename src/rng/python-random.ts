/**
 * CPython's `random.Random` (3.x), reproduced draw for draw so that mteb's document downsampling
 * (`rng.sample`) and bootstrap rounds (`rng.choices`) select exactly the same items as the Python original.
 * Only the integer seeding and the methods mteb calls are provided.
 */
import { MT19937 } from './mt19937.js';

export class PythonRandom {
  private readonly mt = new MT19937();

  constructor(seed = 42) {
    this.seed(seed);
  }

  /** `random.seed(int)`: |seed| split into 32-bit words, least significant first, then init_by_array. */
  seed(seed: number): void {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Python random seed must be a safe integer, got ${seed}`);
    let a = Math.abs(seed);
    const key: number[] = [];
    do {
      key.push(a % 0x100000000);
      a = Math.floor(a / 0x100000000);
    } while (a > 0);
    this.mt.init_by_array(key);
  }

  /** Raw 32-bit output (`getrandbits(32)`). */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** `random()`: 53-bit double in [0, 1). */
  random(): number {
    return this.mt.nextDouble();
  }

  /**
   * `getrandbits(k)` for 0 <= k <= 53 (enough for every index mteb draws). Words are filled from the least
   * significant upwards and the most significant word keeps only the top bits of its output.
   */
  getrandbits(k: number): number {
    if (!Number.isInteger(k) || k < 0 || k > 53) throw new RangeError(`getrandbits supports 0..53 bits, got ${k}`);
    if (k === 0) return 0;
    if (k <= 32) return this.mt.nextUint32() >>> (32 - k);
    const low = this.mt.nextUint32();
    const high = this.mt.nextUint32() >>> (64 - k);
    return high * 0x100000000 + low;
  }

  /** `_randbelow(n)`: rejection on bit_length(n) bits (of n, not n-1, so n = 1 may cost several draws). */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError(`randbelow needs a positive integer, got ${n}`);
    const k = bitLength(n);
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `randrange(n)` with one argument. */
  randrange(n: number): number {
    return this.randbelow(n);
  }

  /**
   * `sample(range(n), k)`: CPython switches between a pool (list) and a rejection set depending on which
   * would use less memory; the switch changes the draws, so it is reproduced exactly.
   */
  sampleRange(n: number, k: number): number[] {
    if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`sample larger than population or negative: n=${n}, k=${k}`);
    }
    const out = new Array<number>(k);
    if (n <= sampleSetSize(k)) {
      const pool = new Array<number>(n);
      for (let i = 0; i < n; i++) pool[i] = i;
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        out[i] = pool[j];
        pool[j] = pool[n - i - 1];
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        out[i] = j;
      }
    }
    return out;
  }

  /** `sample(population, k)` for any array: the same draws as `sampleRange(population.length, k)`. */
  sample<T>(population: readonly T[], k: number): T[] {
    return this.sampleRange(population.length, k).map((i) => population[i]);
  }

  /** `choices(range(n), k=k)` without weights: one `random()` per pick, index = floor(random() * n). */
  choicesRange(n: number, k: number): number[] {
    const out = new Array<number>(k);
    for (let i = 0; i < k; i++) out[i] = Math.floor(this.random() * n);
    return out;
  }

  /** `shuffle(x)` in place: Fisher–Yates from the end with `_randbelow(i + 1)`. */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }
}

/** The set/pool threshold of `Random.sample` (21, plus the hash-table size for k > 5). */
export function sampleSetSize(k: number): number {
  let setsize = 21;
  if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
  return setsize;
}

function bitLength(n: number): number {
  let b = 0;
  while (n >= 1) {
    n = Math.floor(n / 2);
    b++;
  }
  return b;
}
