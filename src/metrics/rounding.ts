/**
 * CPython's `round(x, ndigits)` for floats, bit for bit.
 *
 * CPython rounds the exact binary value of `x` to `ndigits` decimal places with round-half-even
 * (`_Py_dg_dtoa` mode 3) and parses the resulting decimal string back (correctly rounded). So
 * `round(2.675, 2) == 2.67` (2.675 is really 2.67499999…) and `round(0.125, 2) == 0.12` (an exact tie).
 * `toFixed` and `Math.round(x * 10^n) / 10^n` both get such cases wrong, which is why mteb's 5-decimal
 * retrieval scores need this.
 */

// CPython's NDIGITS_MAX / NDIGITS_MIN: beyond these every double is returned unchanged / rounds to zero.
const NDIGITS_MAX = 323;
const NDIGITS_MIN = -308;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** |x| = mant * 2^exp exactly, for finite non-zero x. */
function decompose(x: number): { mant: bigint; exp: number } {
  f64[0] = Math.abs(x);
  const hi = u32[HI];
  const lo = u32[LO];
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) {
    exp = -1074; // subnormal
  } else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  return { mant, exp };
}

/** round-half-even of num/den for positive bigints. */
function divRoundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) return q + 1n;
  return q;
}

export function pythonRound(x: number, ndigits: number): number {
  if (!Number.isInteger(ndigits)) throw new RangeError(`pythonRound: ndigits must be an integer, got ${ndigits}`);
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > NDIGITS_MAX) return x;
  if (ndigits < NDIGITS_MIN) return 0 * x; // keeps the sign of zero, as CPython does
  const negative = x < 0;
  const { mant, exp } = decompose(x);
  // Scaled value |x| * 10^ndigits as the fraction num/den, then rounded to an integer N.
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (ndigits >= 0) num *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  const n = divRoundHalfEven(num, den);
  // N * 10^-ndigits back to the nearest double; V8's string-to-number conversion is correctly rounded.
  const text = `${negative ? '-' : ''}${n.toString()}e${-ndigits}`;
  const out = Number(text);
  if (!Number.isFinite(out)) throw new RangeError('pythonRound: rounded value too large to represent');
  return out;
}
