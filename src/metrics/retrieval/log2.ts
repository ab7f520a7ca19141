/**
 * log2 of a positive integer as glibc computes it. trec_eval's nDCG discount is `log2((double)(i+2))` from the
 * C library, and V8's Math.log2 (an fdlibm port) differs from glibc ≥ 2.28 by one ulp for some integers (the
 * first is 1375), which can flip mteb's 5-decimal rounding. Exact for n ≤ 2^20 (table from Debian glibc 2.36);
 * above that Math.log2 is used, and could differ in the last bit.
 */
import { GLIBC_LOG2_EXCEPTIONS } from './glibc-log2.js';

const FIRST_EXCEPTION = GLIBC_LOG2_EXCEPTIONS.length ? GLIBC_LOG2_EXCEPTIONS[0][0] : Infinity;
const EXCEPTIONS = new Map<number, number>(GLIBC_LOG2_EXCEPTIONS.map(([n, v]) => [n, v]));

export function glibcLog2(n: number): number {
  if (n < FIRST_EXCEPTION) return Math.log2(n);
  return EXCEPTIONS.get(n) ?? Math.log2(n);
}
