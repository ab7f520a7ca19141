/**
 * The Mersenne Twister shared by numpy's legacy RandomState and CPython's `random`. Both libraries use the
 * same generator and tempering and differ only in how an integer seed is expanded (numpy: init_genrand,
 * Python: init_by_array), so one core serves both and streams stay bit-identical to the Python originals.
 */
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export interface MT19937State {
  key: Uint32Array;
  pos: number;
}

export class MT19937 {
  private mt = new Uint32Array(N);
  private pos = N;

  /** numpy's legacy integer seeding (`RandomState(s)`, `np.random.seed(s)`), 0 <= s < 2^32. */
  init_genrand(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.pos = N;
  }

  /** Array seeding as CPython's `random.seed(int)` does after splitting the int into 32-bit words. */
  init_by_array(keys: ArrayLike<number>): void {
    this.init_genrand(19650218);
    const mt = this.mt;
    const len = keys.length;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, len); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + (keys[j] >>> 0) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = (mt[k] & UPPER_MASK) | (mt[(k + 1) % N] & LOWER_MASK);
      mt[k] = (mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0)) >>> 0;
    }
    this.pos = 0;
  }

  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** 53-bit double in [0, 1): numpy `random_sample` and Python `random()` use this same construction. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  getState(): MT19937State {
    return { key: this.mt.slice(), pos: this.pos };
  }

  setState(s: MT19937State): void {
    if (s.key.length !== N) throw new RangeError(`MT19937 state needs ${N} words, got ${s.key.length}`);
    this.mt.set(s.key);
    this.pos = s.pos;
  }
}
