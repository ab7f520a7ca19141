/**
 * A rescoring batch's (row, query) pairs sorted by row, so each candidate row is read once for all the queries
 * that have it (canonical.wasm's scorePairs and the native kernel both walk them in this order). Query i's
 * candidates are rows[starts[i] .. starts[i] + counts[i]); each pair carries its position there, where its score
 * goes. (A counting sort in C was measured no faster: the scattered writes are the cost. BENCHMARKS.md round 9.)
 */
import { MtebError } from '../../core/errors.js';

/**
 * Counting sort of a batch's (row, query) pairs by row: bucket[r] = pairs with a row below r (n rows). A row
 * outside [0, n) is a typed E_INTERNAL here, in the pass that counts them anyway: the native kernel reads rows
 * without bounds checks, and an out-of-range count would silently mis-sort.
 */
export function rowBuckets(m: number, rows: Int32Array, starts: Int32Array, counts: Int32Array, n: number): Int32Array {
  const bucket = new Int32Array(n + 1);
  for (let i = 0; i < m; i++) {
    const s0 = starts[i];
    const e = s0 + counts[i];
    for (let pos = s0; pos < e; pos++) {
      const r = rows[pos];
      if (!(r >= 0 && r < n)) throw new MtebError('E_INTERNAL', `rescoring: row ${r} outside the ${n} held`);
      bucket[r + 1]++;
    }
  }
  for (let r = 0; r < n; r++) bucket[r + 1] += bucket[r];
  return bucket;
}

/**
 * The pairs as (row, slot, position) triples sorted by row (`bucket` from rowBuckets, used up); a query's slot is
 * slotOf[i], or i itself.
 */
export function pairsByRow(m: number, rows: Int32Array, starts: Int32Array, counts: Int32Array, bucket: Int32Array, total: number, slotOf?: Int32Array): Int32Array {
  const local = new Int32Array(total * 3);
  for (let i = 0; i < m; i++) {
    const s0 = starts[i];
    const e = s0 + counts[i];
    const sl = slotOf ? slotOf[i] : i;
    for (let pos = s0; pos < e; pos++) {
      const row = rows[pos];
      const p = 3 * bucket[row]++;
      local[p] = row;
      local[p + 1] = sl;
      local[p + 2] = pos;
    }
  }
  return local;
}
