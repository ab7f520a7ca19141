/**
 * Python's `round(x, n)` rounds the exact binary value of x half-to-even; `toFixed` rounds the exact value
 * half-up, and `Math.round(x * 100) / 100` rounds an already-rounded product. The original leaderboard's
 * numbers depend on the Python behaviour, so it is reproduced on the exact decimal expansion.
 */

/** Exact decimal expansion of a finite double as (digits, exponent): x = digits * 10^-scale. */
function exactDecimal(x: number): { neg: boolean; digits: bigint; scale: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const neg = hi >>> 31 === 1;
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return { neg, digits: mant << BigInt(e), scale: 0 };
  // m * 2^e = m * 5^-e / 10^-e
  return { neg, digits: mant * 5n ** BigInt(-e), scale: -e };
}

export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { neg, digits, scale } = exactDecimal(x);
  if (scale <= ndigits) return x;
  const div = 10n ** BigInt(scale - ndigits);
  let q = digits / div;
  const r = digits % div;
  const twice = 2n * r;
  if (twice > div || (twice === div && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(ndigits + 1, '0');
  const text = ndigits > 0 ? `${s.slice(0, s.length - ndigits)}.${s.slice(s.length - ndigits)}` : s;
  const v = Number(text);
  return neg ? -v : v;
}

/** numpy/pandas `round(x, n)`: multiply, round half-to-even on the product, divide (what DataFrame.round does). */
export function npRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** ndigits;
  const y = x * f;
  let r = Math.round(y);
  if (Math.abs(y - Math.trunc(y)) === 0.5) r = 2 * Math.round(y / 2);
  return r / f;
}

/**
 * A score (0-1) as points with two decimals, the one way mteb-ts shows a score anywhere (run summary, report,
 * compare, gate, warnings): Python's round(x * 100, 2), half-even on the exact binary value, as the leaderboard.
 */
export function fmtPoints(raw: number): string {
  return pyRound(raw * 100, 2).toFixed(2);
}
