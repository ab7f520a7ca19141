/**
 * The integer draws numpy's legacy `RandomState` and its `Generator` share (distributions.c): masked
 * rejection sampling and the Fisher-Yates shuffle built on it. Both generators must consume their 32-bit
 * words exactly as numpy does, so one implementation serves both, fed by each generator's own word source.
 */

/** Smallest 2^k − 1 that is ≥ x, for 0 ≤ x < 2^32 (the mask of masked rejection and of choice's hash set). */
export function bitMask(x: number): number {
  let mask = x;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/**
 * `random_interval(max)` / the legacy masked bounded draw: uniform in [0, max] for max < 2^32, drawing
 * 32-bit words and rejecting those above `max` after masking. max = 0 consumes nothing.
 */
export function maskedInterval(next32: () => number, max: number): number {
  if (max === 0) return 0;
  if (max > 0xffffffff) throw new RangeError('interval above 2^32 not supported');
  if (max === 0xffffffff) return next32();
  const mask = bitMask(max);
  let v: number;
  do {
    v = (next32() & mask) >>> 0;
  } while (v > max);
  return v;
}

/** numpy's in-place shuffle of a 1-D sequence: Fisher-Yates from the end, j = interval(i). */
export function fisherYates<T>(x: T[] | { length: number; [i: number]: T }, interval: (max: number) => number): void {
  for (let i = x.length - 1; i >= 1; i--) {
    const j = interval(i);
    const t = x[i];
    x[i] = x[j];
    x[j] = t;
  }
}
