/**
 * numpy's `np.random.default_rng(seed)` = `Generator(PCG64(SeedSequence(seed)))`, with the methods
 * Hugging Face `datasets` uses for stratified train/test splits (mteb's ToxicConversations test subset):
 * `permutation`, `shuffle` and `choice(replace=False)`. Streams follow numpy 1.17-2.x source
 * (bit_generator.pyx SeedSequence, pcg64.h XSL-RR 128/64, distributions.c random_interval and the
 * 32-bit Lemire bounded draw, _generator.pyx shuffle/choice), so the chosen rows equal Python's.
 * 128-bit state arithmetic uses BigInt: these streams are short (one draw per row), so speed is moot.
 */
import { bitMask, fisherYates, maskedInterval } from './bounded.js';

const MASK32 = 0xffffffffn;
const MASK64 = (1n << 64n) - 1n;
const MASK128 = (1n << 128n) - 1n;
const PCG_MULT = (2549297995355413924n << 64n) | 4865540595714422341n;

const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const POOL_SIZE = 4;

/** numpy's `_coerce_to_uint32_array` for a non-negative integer: 32-bit words, least significant first. */
function intToWords(seed: number | bigint): number[] {
  let v = BigInt(seed);
  if (v < 0n) throw new RangeError('SeedSequence entropy must be non-negative');
  const words: number[] = [];
  do {
    words.push(Number(v & MASK32));
    v >>= 32n;
  } while (v > 0n);
  return words;
}

/** numpy `SeedSequence(entropy)` (no spawn key, pool size 4). */
export class SeedSequence {
  readonly pool: Uint32Array;

  constructor(entropy: number | bigint | readonly number[]) {
    const ent = typeof entropy === 'object' ? entropy.map((w) => w >>> 0) : intToWords(entropy);
    this.pool = new Uint32Array(POOL_SIZE);
    let hashConst = INIT_A;
    const hashmix = (value: number): number => {
      let v = (value ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_A) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      return (v ^ (v >>> 16)) >>> 0;
    };
    const mix = (x: number, y: number): number => {
      let r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
      return (r ^ (r >>> 16)) >>> 0;
    };
    const pool = this.pool;
    for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < ent.length ? ent[i] : 0);
    for (let src = 0; src < POOL_SIZE; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) {
        if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
      }
    }
    for (let src = POOL_SIZE; src < ent.length; src++) {
      for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(ent[src]));
    }
  }

  /** `generate_state(nWords, np.uint32)`. */
  generateState32(nWords: number): Uint32Array {
    const out = new Uint32Array(nWords);
    let hashConst = INIT_B;
    for (let i = 0; i < nWords; i++) {
      let v = (this.pool[i % POOL_SIZE] ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      out[i] = (v ^ (v >>> 16)) >>> 0;
    }
    return out;
  }

  /** `generate_state(nWords, np.uint64)`: pairs of 32-bit words, little-endian. */
  generateState64(nWords: number): bigint[] {
    const w = this.generateState32(nWords * 2);
    const out: bigint[] = [];
    for (let i = 0; i < nWords; i++) out.push(BigInt(w[2 * i]) | (BigInt(w[2 * i + 1]) << 32n));
    return out;
  }
}

/** PCG64 (XSL-RR 128/64) with numpy's buffered 32-bit output. */
export class PCG64 {
  private state = 0n;
  private inc = 0n;
  private hasUint32 = false;
  private uinteger = 0;

  constructor(seed: number | bigint | SeedSequence) {
    const ss = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    const v = ss.generateState64(4);
    const initstate = (v[0] << 64n) | v[1];
    const initseq = (v[2] << 64n) | v[3];
    this.state = 0n;
    this.inc = ((initseq << 1n) | 1n) & MASK128;
    this.step();
    this.state = (this.state + initstate) & MASK128;
    this.step();
  }

  private step(): void {
    this.state = (this.state * PCG_MULT + this.inc) & MASK128;
  }

  next64(): bigint {
    this.step();
    const hi = this.state >> 64n;
    const x = (hi ^ this.state) & MASK64;
    const rot = hi >> 58n;
    return ((x >> rot) | (x << ((64n - rot) & 63n))) & MASK64;
  }

  next32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    const next = this.next64();
    this.hasUint32 = true;
    this.uinteger = Number(next >> 32n);
    return Number(next & MASK32);
  }

  /** 53-bit double: (next64 >> 11) / 2^53. */
  nextDouble(): number {
    return Number(this.next64() >> 11n) / 9007199254740992;
  }
}

export class Generator {
  readonly bitgen: PCG64;

  constructor(bitgen: PCG64) {
    this.bitgen = bitgen;
  }

  random(): number {
    return this.bitgen.nextDouble();
  }

  /** distributions.c `random_interval(max)`: masked rejection in [0, max]. */
  interval(max: number): number {
    return maskedInterval(this.next32, max);
  }

  private readonly next32 = (): number => this.bitgen.next32();

  /** `random_bounded_uint64(off=0, rng, use_masked=False)`: Lemire's method in [0, rng]. */
  boundedLemire(rng: number): number {
    if (rng === 0) return 0;
    if (rng > 0xffffffff) throw new RangeError('bounded draw above 2^32 not supported');
    if (rng === 0xffffffff) return this.bitgen.next32();
    const rngExcl = BigInt(rng + 1);
    let m = BigInt(this.bitgen.next32()) * rngExcl;
    let leftover = Number(m & MASK32);
    if (leftover < rng + 1) {
      const threshold = (0xffffffff - rng) % (rng + 1);
      while (leftover < threshold) {
        m = BigInt(this.bitgen.next32()) * rngExcl;
        leftover = Number(m & MASK32);
      }
    }
    return Number(m >> 32n);
  }

  /** In-place `shuffle` of a 1-D array (ndarray fast path and list path draw identically). */
  shuffle<T>(x: T[] | { length: number; [i: number]: T }): void {
    fisherYates(x, (max) => this.interval(max));
  }

  /** `permutation(n)` or `permutation(array)` (a shuffled copy). */
  permutation(x: number | readonly number[]): number[] {
    const arr = typeof x === 'number' ? Array.from({ length: x }, (_, i) => i) : [...x];
    this.shuffle(arr);
    return arr;
  }

  /** `_shuffle_int`: Fisher-Yates down to `first` with Lemire draws (used inside `choice`). */
  private shuffleInt(data: number[], n: number, first: number): void {
    for (let i = n - 1; i >= first; i--) {
      const j = this.boundedLemire(i);
      const t = data[j];
      data[j] = data[i];
      data[i] = t;
    }
  }

  /** `choice(popSize, size, replace=False, shuffle=True)` without p: indices into the population. */
  choiceWithoutReplacement(popSize: number, size: number): number[] {
    if (size > popSize) throw new RangeError('Cannot take a larger sample than population when replace is False');
    if (size < 0) throw new RangeError('negative dimensions are not allowed');
    const cutoff = 50;
    if (popSize > 10000 && size > Math.floor(popSize / cutoff)) {
      const idx = Array.from({ length: popSize }, (_, i) => i);
      this.shuffleInt(idx, popSize, Math.max(popSize - size, 1));
      return idx.slice(popSize - size);
    }
    // Floyd's algorithm with numpy's open-addressing hash set.
    const out = new Array<number>(size);
    const mask = bitMask(Math.floor(1.2 * size));
    const hashSet = new Float64Array(mask + 1).fill(-1);
    for (let j = popSize - size; j < popSize; j++) {
      const val = this.boundedLemire(j);
      let loc = val & mask;
      while (hashSet[loc] !== -1 && hashSet[loc] !== val) loc = (loc + 1) & mask;
      if (hashSet[loc] === -1) {
        hashSet[loc] = val;
        out[j - popSize + size] = val;
      } else {
        loc = j & mask;
        while (hashSet[loc] !== -1) loc = (loc + 1) & mask;
        hashSet[loc] = j;
        out[j - popSize + size] = j;
      }
    }
    this.shuffleInt(out, size, 1);
    return out;
  }
}

/** `np.random.default_rng(seed)`. */
export function defaultRng(seed: number | bigint): Generator {
  return new Generator(new PCG64(seed));
}
